// EditExampleCommand: redo writes the new fields, undo writes the old ones back.
#include "examples/undo/edit_example_command.h"

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"

namespace ts::ui {

EditExampleCommand::EditExampleCommand(ExamplesModel& model, ts::Example before, ts::Example after, bool mergeable,
                                       QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeable(mergeable)
{
    setText(editLabel(m_before, m_after));
}

void EditExampleCommand::redo()
{
    if (!m_model.applyExample(m_after))
        setObsolete(true);
}

void EditExampleCommand::undo()
{
    m_model.applyExample(m_before);
}

unsigned EditExampleCommand::fieldMask() const
{
    unsigned mask = 0;
    if (m_before.system() != m_after.system())
        mask |= 1u;
    if (m_before.input() != m_after.input())
        mask |= 2u;
    if (m_before.output() != m_after.output())
        mask |= 4u;
    if (m_before.split != m_after.split)
        mask |= 8u;
    if (m_before.tags != m_after.tags)
        mask |= 16u;
    return mask;
}

bool EditExampleCommand::mergeWith(const QUndoCommand* other)
{
    const auto* next = dynamic_cast<const EditExampleCommand*>(other);
    if (!next || !m_mergeable || !next->m_mergeable || next->m_before.id != m_after.id
        || next->fieldMask() != fieldMask())
        return false;
    m_after = next->m_after;
    if (m_after.sameContent(m_before))
        setObsolete(true);
    return true;
}

} // namespace ts::ui

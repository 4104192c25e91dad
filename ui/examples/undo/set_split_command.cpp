// SetSplitCommand: redo moves every row to the split, undo restores each row's own split.
#include "examples/undo/set_split_command.h"

#include <QCoreApplication>

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"

namespace ts::ui {

SetSplitCommand::SetSplitCommand(ExamplesModel& model, std::vector<ts::Example> before, ts::Split split,
                                 QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_before(std::move(before))
    , m_split(split)
{
    setText(QCoreApplication::translate("UndoCommands", "Set split of %1 to %2")
                .arg(examplesCountText(static_cast<qsizetype>(m_before.size())),
                     QString::fromUtf8(ts::splitName(m_split).data(), qsizetype(ts::splitName(m_split).size()))));
}

void SetSplitCommand::redo()
{
    std::vector<ts::Example> after = m_before;
    for (auto& example : after)
        example.split = m_split;
    if (!m_model.applyExamples(after))
        setObsolete(true);
}

void SetSplitCommand::undo()
{
    m_model.applyExamples(m_before);
}

} // namespace ts::ui

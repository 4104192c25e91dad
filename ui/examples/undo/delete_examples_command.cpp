// DeleteExamplesCommand: redo removes the ids; undo re-inserts the stored rows with their ids.
#include "examples/undo/delete_examples_command.h"

#include <QCoreApplication>

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"

namespace ts::ui {

DeleteExamplesCommand::DeleteExamplesCommand(ExamplesModel& model, std::vector<ts::Example> examples,
                                             QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_examples(std::move(examples))
{
    setText(QCoreApplication::translate("UndoCommands", "Delete %1")
                .arg(examplesCountText(static_cast<qsizetype>(m_examples.size()))));
}

void DeleteExamplesCommand::redo()
{
    std::vector<int64_t> ids;
    ids.reserve(m_examples.size());
    for (const auto& example : m_examples)
        ids.push_back(example.id);
    if (!m_model.removeIds(ids))
        setObsolete(true);
}

void DeleteExamplesCommand::undo()
{
    std::vector<ts::Example> rows = m_examples;
    m_model.insertExamples(rows);
}

} // namespace ts::ui

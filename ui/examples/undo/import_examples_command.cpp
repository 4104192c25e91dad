// ImportExamplesCommand: undo stores and deletes the imported rows, redo re-inserts them with the same ids.
#include "examples/undo/import_examples_command.h"

#include <QCoreApplication>

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

ImportExamplesCommand::ImportExamplesCommand(ExamplesModel& model, std::vector<int64_t> ids, const QString& fileName,
                                             QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_ids(std::move(ids))
{
    setText(QCoreApplication::translate("UndoCommands", "Import %1 from %2")
                .arg(examplesCountText(static_cast<qsizetype>(m_ids.size())), fileName));
}

void ImportExamplesCommand::redo()
{
    if (m_firstRedo) {
        m_firstRedo = false;
        m_model.addStoredIds(m_ids);
        return;
    }
    std::vector<ts::Example> rows = m_rows;
    if (m_model.insertExamples(rows))
        m_rows.clear();
}

void ImportExamplesCommand::undo()
{
    ts::Project* project = m_model.project();
    if (!project)
        return;
    // Keep the full rows (read through the writer, which has them all) so redo restores them.
    {
        auto lock = project->writeLock();
        ts::ExampleRepository repo(project->writer());
        auto rows = repo.getMany(m_ids);
        if (!rows)
            return;
        m_rows = std::move(*rows);
    }
    m_model.removeIds(m_ids);
}

} // namespace ts::ui

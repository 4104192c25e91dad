// InsertExamplesCommand: first redo inserts and remembers the ids; undo deletes; later redos restore them.
#include "examples/undo/insert_examples_command.h"

#include <QCoreApplication>

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"

namespace ts::ui {

InsertExamplesCommand::InsertExamplesCommand(ExamplesModel& model, std::vector<ts::Example> examples)
    : m_model(model)
    , m_examples(std::move(examples))
{ }

std::unique_ptr<InsertExamplesCommand> InsertExamplesCommand::add(ExamplesModel& model, ts::Example example)
{
    example.id = 0;
    example.createdAt = 0;
    example.updatedAt = 0;
    std::unique_ptr<InsertExamplesCommand> cmd(new InsertExamplesCommand(model, {std::move(example)}));
    cmd->setText(QCoreApplication::translate("UndoCommands", "Add example"));
    return cmd;
}

std::unique_ptr<InsertExamplesCommand> InsertExamplesCommand::duplicate(ExamplesModel& model,
                                                                        const std::vector<ts::Example>& originals)
{
    std::vector<ts::Example> copies;
    copies.reserve(originals.size());
    for (const auto& original : originals) {
        ts::Example copy;
        copy.messages = original.messages;
        copy.split = original.split;
        copy.tags = original.tags;
        copy.source = original.source;
        copies.push_back(std::move(copy));
    }
    const auto count = static_cast<qsizetype>(copies.size());
    std::unique_ptr<InsertExamplesCommand> cmd(new InsertExamplesCommand(model, std::move(copies)));
    cmd->setText(QCoreApplication::translate("UndoCommands", "Duplicate %1").arg(examplesCountText(count)));
    return cmd;
}

void InsertExamplesCommand::redo()
{
    // The first redo assigns ids; later ones put the rows back under those ids.
    if (!m_model.insertExamples(m_examples))
        setObsolete(true);
}

void InsertExamplesCommand::undo()
{
    m_model.removeIds(ids());
}

std::vector<int64_t> InsertExamplesCommand::ids() const
{
    std::vector<int64_t> out;
    out.reserve(m_examples.size());
    for (const auto& example : m_examples)
        out.push_back(example.id);
    return out;
}

} // namespace ts::ui

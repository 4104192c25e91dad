// SetTagsCommand: redo adds (or replaces) tags on every row, undo restores each row's own tags.
#include "examples/undo/set_tags_command.h"

#include <algorithm>

#include <QCoreApplication>

#include "examples/examples_model.h"
#include "examples/undo/undo_text.h"

namespace ts::ui {

SetTagsCommand::SetTagsCommand(ExamplesModel& model, std::vector<ts::Example> before, std::vector<std::string> tags,
                               Mode mode, QUndoCommand* parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_before(std::move(before))
    , m_tags(std::move(tags))
    , m_mode(mode)
{
    const QString count = examplesCountText(static_cast<qsizetype>(m_before.size()));
    const QString tagText = QString::fromStdString(ts::joinTags(m_tags));
    if (m_mode == Mode::Add)
        setText(QCoreApplication::translate("UndoCommands", "Tag %1 with %2").arg(count, tagText));
    else
        setText(QCoreApplication::translate("UndoCommands", "Set tags of %1").arg(count));
}

void SetTagsCommand::redo()
{
    std::vector<ts::Example> after = m_before;
    for (auto& example : after) {
        if (m_mode == Mode::Replace)
            example.tags.clear();
        for (const auto& tag : m_tags)
            if (std::find(example.tags.begin(), example.tags.end(), tag) == example.tags.end())
                example.tags.push_back(tag);
    }
    if (!m_model.applyExamples(after))
        setObsolete(true);
}

void SetTagsCommand::undo()
{
    m_model.applyExamples(m_before);
}

} // namespace ts::ui

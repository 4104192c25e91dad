// SetTagsCommand: undoable "Add tags" / "Replace tags" on the selected examples.
#pragma once

#include <string>
#include <vector>

#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class SetTagsCommand final : public QUndoCommand
{
public:
    enum class Mode { Add, Replace };

    SetTagsCommand(ExamplesModel& model, std::vector<ts::Example> before, std::vector<std::string> tags, Mode mode,
                   QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    ExamplesModel& m_model;
    std::vector<ts::Example> m_before;
    std::vector<std::string> m_tags;
    Mode m_mode;
};

} // namespace ts::ui

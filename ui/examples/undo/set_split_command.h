// SetSplitCommand: undoable "Set split" for the selected examples.
#pragma once

#include <vector>

#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class SetSplitCommand final : public QUndoCommand
{
public:
    SetSplitCommand(ExamplesModel& model, std::vector<ts::Example> before, ts::Split split,
                    QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    ExamplesModel& m_model;
    std::vector<ts::Example> m_before;
    ts::Split m_split;
};

} // namespace ts::ui

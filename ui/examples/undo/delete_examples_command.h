// DeleteExamplesCommand: undoable delete that keeps the full rows and restores them under the same ids.
#pragma once

#include <vector>

#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class DeleteExamplesCommand final : public QUndoCommand
{
public:
    DeleteExamplesCommand(ExamplesModel& model, std::vector<ts::Example> examples, QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;

private:
    ExamplesModel& m_model;
    std::vector<ts::Example> m_examples;
};

} // namespace ts::ui

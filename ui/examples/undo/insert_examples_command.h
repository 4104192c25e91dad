// InsertExamplesCommand: undoable "Add example" / "Duplicate examples"; redo re-inserts with the same ids.
#pragma once

#include <memory>
#include <vector>

#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class InsertExamplesCommand final : public QUndoCommand
{
public:
    static std::unique_ptr<InsertExamplesCommand> add(ExamplesModel& model, ts::Example example);
    // Copies of `originals` (new ids, same conversation, split and tags).
    static std::unique_ptr<InsertExamplesCommand> duplicate(ExamplesModel& model,
                                                            const std::vector<ts::Example>& originals);

    void undo() override;
    void redo() override;

    // Ids of the inserted rows (after the first redo).
    std::vector<int64_t> ids() const;

private:
    InsertExamplesCommand(ExamplesModel& model, std::vector<ts::Example> examples);

    ExamplesModel& m_model;
    std::vector<ts::Example> m_examples; // ids assigned by the first redo, kept afterwards
};

} // namespace ts::ui

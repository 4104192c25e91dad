// EditExampleCommand: undoable edit of one example's fields (text, split, tags); typing edits merge.
#pragma once

#include <QUndoCommand>

#include "store/example.h"

namespace ts::ui {

class ExamplesModel;

class EditExampleCommand final : public QUndoCommand
{
public:
    static constexpr int kTypingId = 0x7453'0001;

    // `mergeable`: consecutive typing edits of the same fields of the same example (the side
    // panel's idle commits) merge into one undo step.
    EditExampleCommand(ExamplesModel& model, ts::Example before, ts::Example after, bool mergeable = false,
                       QUndoCommand* parent = nullptr);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeable ? kTypingId : -1; }
    bool mergeWith(const QUndoCommand* other) override;

    int64_t exampleId() const { return m_after.id; }

private:
    unsigned fieldMask() const;

    ExamplesModel& m_model;
    ts::Example m_before;
    ts::Example m_after;
    bool m_mergeable;
};

} // namespace ts::ui

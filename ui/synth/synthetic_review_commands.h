// The review panel's undoable commands on the window's undo stack: a review of rows (accept, reject, the bulk
// ones), an edit of one row's text, and a promotion of the accepted rows to the training set. Each goes through
// SyntheticReviewWriter; one whose writer is gone (the panel was closed) does nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <QPointer>
#include <QUndoCommand>

#include "synth/synthetic_review_writer.h"
#include "synth/synthetic_row.h"

namespace ts::ui {

// Redo sets `review` on every row; undo gives each row back its own earlier review.
class SetSyntheticReviewCommand final : public QUndoCommand
{
public:
    SetSyntheticReviewCommand(SyntheticReviewWriter& writer,
                              std::vector<std::pair<int64_t, ts::synth::SyntheticReview>> before,
                              ts::synth::SyntheticReview review, const QString& text);
    void redo() override;
    void undo() override;

private:
    QPointer<SyntheticReviewWriter> m_writer;
    std::vector<std::pair<int64_t, ts::synth::SyntheticReview>> m_before;
    ts::synth::SyntheticReview m_review;
};

// The text a row had and the text it gets (the edit marks it edited; undo restores the earlier mark too).
struct SyntheticRowText
{
    std::string instruction;
    std::string output;
    bool edited = false;
};

class EditSyntheticRowCommand final : public QUndoCommand
{
public:
    EditSyntheticRowCommand(SyntheticReviewWriter& writer, int64_t rowId, SyntheticRowText before,
                            SyntheticRowText after);
    void redo() override;
    void undo() override;

private:
    QPointer<SyntheticReviewWriter> m_writer;
    int64_t m_rowId;
    SyntheticRowText m_before;
    SyntheticRowText m_after;
};

// Redo promotes the run's accepted rows not yet promoted; undo deletes the examples that made.
class PromoteSyntheticRowsCommand final : public QUndoCommand
{
public:
    PromoteSyntheticRowsCommand(SyntheticReviewWriter& writer, int64_t runId, qsizetype count);
    void redo() override;
    void undo() override;

private:
    QPointer<SyntheticReviewWriter> m_writer;
    int64_t m_runId;
    std::shared_ptr<std::vector<int64_t>> m_promoted = std::make_shared<std::vector<int64_t>>();
};

} // namespace ts::ui

// The review panel's undo commands (see synthetic_review_commands.h).
#include "synth/synthetic_review_commands.h"

#include <QCoreApplication>

namespace ts::ui {

using ts::synth::SyntheticReview;

SetSyntheticReviewCommand::SetSyntheticReviewCommand(SyntheticReviewWriter& writer,
                                                     std::vector<std::pair<int64_t, SyntheticReview>> before,
                                                     SyntheticReview review, const QString& text)
    : m_writer(&writer)
    , m_before(std::move(before))
    , m_review(review)
{
    setText(text);
}

void SetSyntheticReviewCommand::redo()
{
    if (!m_writer)
        return;
    std::vector<int64_t> ids;
    ids.reserve(m_before.size());
    for (const auto& entry : m_before)
        ids.push_back(entry.first);
    m_writer->setReview(ids, m_review);
}

void SetSyntheticReviewCommand::undo()
{
    if (m_writer)
        m_writer->restoreReviews(m_before);
}

EditSyntheticRowCommand::EditSyntheticRowCommand(SyntheticReviewWriter& writer, int64_t rowId, SyntheticRowText before,
                                                 SyntheticRowText after)
    : m_writer(&writer)
    , m_rowId(rowId)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    setText(QCoreApplication::translate("UndoCommands", "Edit synthetic row"));
}

void EditSyntheticRowCommand::redo()
{
    if (m_writer)
        m_writer->setText(m_rowId, m_after.instruction, m_after.output, m_after.edited);
}

void EditSyntheticRowCommand::undo()
{
    if (m_writer)
        m_writer->setText(m_rowId, m_before.instruction, m_before.output, m_before.edited);
}

PromoteSyntheticRowsCommand::PromoteSyntheticRowsCommand(SyntheticReviewWriter& writer, int64_t runId, qsizetype count)
    : m_writer(&writer)
    , m_runId(runId)
{
    setText(count == 1
                ? QCoreApplication::translate("UndoCommands", "Promote 1 synthetic row to training")
                : QCoreApplication::translate("UndoCommands", "Promote %1 synthetic rows to training").arg(count));
}

void PromoteSyntheticRowsCommand::redo()
{
    if (m_writer)
        m_writer->promote(m_runId, m_promoted);
}

void PromoteSyntheticRowsCommand::undo()
{
    if (m_writer)
        m_writer->unpromote(m_runId, m_promoted);
}

} // namespace ts::ui

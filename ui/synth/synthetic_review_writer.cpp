// SyntheticReviewWriter: the reviewer's writes, in order, on the work pool (see synthetic_review_writer.h).
#include "synth/synthetic_review_writer.h"

#include "bridge/background_task.h"
#include "bridge/path_conversion.h"
#include "store/project.h"
#include "synth/synthetic_row_repository.h"
#include "synth/synthetic_rows_model.h"

namespace ts::ui {

using ts::synth::SyntheticReview;
using ts::synth::SyntheticRow;
using ts::synth::SyntheticRowRepository;

namespace {

// The rows as stored now (the writer connection, under the write lock the caller holds).
ts::Status readBack(SyntheticRowRepository& repo, const std::vector<int64_t>& ids, std::vector<SyntheticRow>& out)
{
    for (int64_t id : ids) {
        auto row = repo.get(id);
        if (!row)
            return row.error();
        if (*row)
            out.push_back(std::move(**row));
    }
    return {};
}

} // namespace

SyntheticReviewWriter::SyntheticReviewWriter(SyntheticRowsModel& model, QObject* parent)
    : QObject(parent)
    , m_model(model)
{ }

SyntheticReviewWriter::~SyntheticReviewWriter()
{
    std::lock_guard<std::mutex> lock(m_access->mutex);
    m_access->project = nullptr;
}

void SyntheticReviewWriter::setProject(ts::Project* project)
{
    {
        // Waits for the write in flight, if any: after this, no pool thread touches the old project.
        std::lock_guard<std::mutex> lock(m_access->mutex);
        m_access->project = project;
    }
    ++m_generation; // the write in flight (ended now) reports to nobody
    const bool wasBusy = isBusy();
    m_queue.clear();
    m_running = false;
    if (wasBusy)
        emit busyChanged(false);
}

void SyntheticReviewWriter::setReview(const std::vector<int64_t>& ids, SyntheticReview review)
{
    if (ids.empty())
        return;
    m_model.holdUserColumns(ids);
    for (int64_t id : ids)
        m_model.setReviewLocally(id, review);
    enqueue({ids,
             [ids, review](SyntheticRowRepository& repo, Outcome& outcome) -> ts::Status {
                 if (auto previous = repo.setReview(ids, review); !previous)
                     return previous.error();
                 return readBack(repo, ids, outcome.rows);
             },
             review == SyntheticReview::Accepted       ? tr("Cannot save the acceptance: %1")
                 : review == SyntheticReview::Rejected ? tr("Cannot save the rejection: %1")
                                                       : tr("Cannot save the review: %1")});
}

void SyntheticReviewWriter::restoreReviews(const std::vector<std::pair<int64_t, SyntheticReview>>& reviews)
{
    if (reviews.empty())
        return;
    std::vector<int64_t> ids;
    ids.reserve(reviews.size());
    for (const auto& [id, review] : reviews) {
        ids.push_back(id);
        m_model.holdUserColumns({id});
        m_model.setReviewLocally(id, review);
    }
    enqueue({ids,
             [ids, reviews](SyntheticRowRepository& repo, Outcome& outcome) -> ts::Status {
                 if (auto s = repo.setReviews(reviews); !s)
                     return s;
                 return readBack(repo, ids, outcome.rows);
             },
             tr("Cannot restore the earlier reviews: %1")});
}

void SyntheticReviewWriter::setText(int64_t id, const std::string& instruction, const std::string& output, bool edited)
{
    m_model.holdUserColumns({id});
    m_model.setTextLocally(id, instruction, output, edited);
    enqueue({{id},
             [id, instruction, output, edited](SyntheticRowRepository& repo, Outcome& outcome) -> ts::Status {
                 if (auto s = repo.setText(id, instruction, output, edited); !s)
                     return s;
                 return readBack(repo, {id}, outcome.rows);
             },
             tr("Cannot save the edited text: %1")});
}

void SyntheticReviewWriter::promote(int64_t runId, std::shared_ptr<std::vector<int64_t>> promoted)
{
    enqueue({{},
             [runId, promoted](SyntheticRowRepository& repo, Outcome& outcome) -> ts::Status {
                 auto ids = repo.promoteAccepted(runId);
                 if (!ids)
                     return ids.error();
                 *promoted = std::move(*ids);
                 outcome.examplesChanged = !promoted->empty();
                 auto rows = repo.rows(runId);
                 if (!rows)
                     return rows.error();
                 outcome.rows = std::move(*rows);
                 return {};
             },
             tr("Cannot promote the accepted rows to the training set: %1")});
}

void SyntheticReviewWriter::unpromote(int64_t runId, std::shared_ptr<std::vector<int64_t>> promoted)
{
    enqueue({{},
             [runId, promoted](SyntheticRowRepository& repo, Outcome& outcome) -> ts::Status {
                 if (promoted->empty())
                     return {};
                 if (auto s = repo.unpromote(*promoted); !s)
                     return s;
                 promoted->clear();
                 outcome.examplesChanged = true;
                 auto rows = repo.rows(runId);
                 if (!rows)
                     return rows.error();
                 outcome.rows = std::move(*rows);
                 return {};
             },
             tr("Cannot undo the promotion: %1")});
}

void SyntheticReviewWriter::enqueue(Pending pending)
{
    const bool wasBusy = isBusy();
    m_queue.push_back(std::move(pending));
    if (!wasBusy)
        emit busyChanged(true);
    if (!m_running)
        startNext();
}

void SyntheticReviewWriter::startNext()
{
    if (m_queue.empty()) {
        emit busyChanged(false);
        return;
    }
    m_running = true;
    auto pending = std::make_shared<Pending>(std::move(m_queue.front()));
    m_queue.pop_front();
    const quint64 generation = m_generation;
    runInBackground<std::shared_ptr<Outcome>>(
        this,
        [access = m_access, pending]() {
            auto outcome = std::make_shared<Outcome>();
            std::lock_guard<std::mutex> guard(access->mutex);
            if (!access->project) {
                outcome->error = tr("the project was closed");
                return outcome;
            }
            auto lock = access->project->writeLock();
            SyntheticRowRepository repo(access->project->writer());
            if (auto s = pending->work(repo, *outcome); !s) {
                outcome->error = fromStd(s.error().message);
                // Whatever did land is what the table shows.
                outcome->rows.clear();
                (void)readBack(repo, pending->held, outcome->rows);
            }
            return outcome;
        },
        [this, generation, pending](const std::shared_ptr<Outcome>& outcome) {
            if (generation != m_generation)
                return;
            m_running = false;
            m_model.releaseUserColumns(pending->held);
            m_model.applyRows(outcome->rows);
            if (!outcome->error.isEmpty())
                emit failed(pending->failure.arg(outcome->error));
            if (outcome->examplesChanged)
                emit examplesChanged();
            emit rowsWritten();
            startNext();
        });
}

} // namespace ts::ui

// SyntheticRowRepository: the synthetic_rows table (synth/synthetic_row.h). The evolve job stores a row when its
// teacher calls end and updates its pipeline columns as dedupe and the judge get to it; the user's review, edits
// and promotion to the training set touch only their own columns, so both can work on a run at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "store/database.h"
#include "synth/synthetic_row.h"

namespace ts::synth {

class SyntheticRowRepository
{
public:
    explicit SyntheticRowRepository(Database& db)
        : m_db(db)
    { }

    // Stores a row the job made: inserted, or — for a slot already stored (a failed call done again) — its pipeline
    // columns and text replaced, keeping the id and the user's review. Sets id, createdAt and updatedAt.
    Status put(SyntheticRow& row);
    // The job's later verdicts on a stored row: stage, reason, duplicate/leak, quality, judge reply, tokens, cost,
    // latency (everything the pipeline owns except the text). Sets updatedAt.
    Status updatePipeline(SyntheticRow& row);

    Expected<std::optional<SyntheticRow>> get(int64_t id);
    Expected<std::vector<SyntheticRow>> rows(int64_t runId); // by slot
    // Rows of the run changed at or after `sinceMs` (a poll; the caller drops those it already has by id and
    // updatedAt).
    Expected<std::vector<SyntheticRow>> changedSince(int64_t runId, int64_t sinceMs);
    // The row's ancestry, the oldest synthetic ancestor first and the row itself last.
    Expected<std::vector<SyntheticRow>> lineage(int64_t id);
    Expected<SyntheticFunnel> funnel(int64_t runId);

    // The user's decisions. setReview returns each row's review before the change (for undo), in the order given.
    Expected<std::vector<SyntheticReview>> setReview(const std::vector<int64_t>& ids, SyntheticReview review);
    Status setReviews(const std::vector<std::pair<int64_t, SyntheticReview>>& reviews); // undo of setReview
    // The user's edit of a row's text (marks it edited).
    Status setText(int64_t id, const std::string& instruction, const std::string& output, bool edited);

    // Accepted rows of the run not yet promoted become training examples (split train, source synthetic, parent =
    // the seed example, the seed's system message and tags plus "synthetic", the operation and the quality), in one
    // transaction. Returns the new example ids (in slot order).
    Expected<std::vector<int64_t>> promoteAccepted(int64_t runId);
    // Undo of a promotion: those examples are deleted and their rows are no longer promoted.
    Status unpromote(const std::vector<int64_t>& exampleIds);

private:
    Database& m_db;
};

} // namespace ts::synth

// The spend ledger of an A/B test run: one row per paid call (variant answer, judge grading, pairwise
// judgement), kept in the run's `metrics` rows named "spend/variant", "spend/judge" and "spend/pairwise"
// (step = the cell the call belongs to, value = USD). Written in the same transaction as the cell or
// score the call produced, so a stored result always has its cost recorded and a resumed run, which
// skips stored results, never counts a call twice. A retried failed cell keeps the cost of the earlier
// attempt: that money was spent.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/expected.h"
#include "promptlab/spend_by_role.h"
#include "store/database.h"

namespace ts::promptlab {

struct CallSpend
{
    SpendRole role = SpendRole::Variant;
    double usd = 0;
};

// Appends `spend` for `cellId` of `runId`; runs inside the caller's transaction.
Status appendSpend(Database& db, int64_t runId, int64_t cellId, const std::vector<CallSpend>& spend);

// The ledger of `runId` summed by role; nullopt when it has no rows (a run stored before the ledger, or
// one with no priced call).
Expected<std::optional<SpendByRole>> runSpend(Database& db, int64_t runId);

} // namespace ts::promptlab

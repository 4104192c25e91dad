// CellRepository: the `cells` and `scores` tables. A cell is one
// (run, variant, example, repeat): the exact messages sent, the output or the error, usage,
// latency, cost, and one score per scorer. Cells are unique, so a resumed run skips the done ones
// and rewrites failed ones in place.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/expected.h"
#include "promptlab/spend_ledger.h"
#include "store/database.h"

namespace ts {

struct CellScore
{
    std::string scorer; // display name
    double value = 0;
    std::optional<bool> passed; // pass/fail scorers
    std::string detail; // rationale (judge) or why (deterministic scorers)
};

struct Cell
{
    int64_t id = 0; // cells.id
    int64_t runId = 0;
    std::string variant; // the variant's label in the run, e.g. "A v2"
    std::optional<int64_t> promptVersionId;
    int64_t exampleId = 0;
    int repeat = 0;
    std::string request; // JSON messages sent
    std::string output; // raw model output ("" when the call failed)
    std::string error; // "" when the call succeeded
    std::string errorKind; // llm::chatErrorKindName, or "render" / "spend_cap"
    int attempts = 1;
    std::optional<int64_t> tokensIn, tokensOut;
    std::optional<double> latencyMs;
    std::optional<double> cost; // USD; unknown without a price
    int64_t createdAt = 0;
    std::vector<CellScore> scores;
    bool ok() const { return error.empty(); }
};

using CellKey = std::tuple<std::string, int64_t, int>; // variant, example, repeat

// The columns a cell is read from (for "SELECT <kCellColumns> FROM cells ..."), and such a row as a Cell without
// its scores; a score's columns (scorer, value, passed, rationale) and such a row read from column `first` on.
extern const char* const kCellColumns;
extern const char* const kScoreColumns;
Cell cellFromRow(const Statement& row);
CellScore scoreFromRow(const Statement& row, int first);

class CellRepository
{
public:
    explicit CellRepository(Database& db)
        : m_db(db)
    { }

    // Writes the cell, its scores and the cost of the calls that made it (the spend ledger) in one
    // transaction, replacing an earlier attempt at the same (run, variant, example, repeat). Sets id
    // and createdAt.
    Status put(Cell& cell, const std::vector<promptlab::CallSpend>& spend = {});
    // Adds (or replaces) one score of a stored cell, with the cost of the calls that made it.
    Status putScore(const Cell& cell, const CellScore& score, const std::vector<promptlab::CallSpend>& spend = {});
    // Cells of a run that succeeded (resume skips them).
    Expected<std::set<CellKey>> doneCells(int64_t runId);
    // Every cell of a run with its scores, ordered by variant, example, repeat.
    Expected<std::vector<Cell>> cells(int64_t runId);

private:
    Database& m_db;
};

} // namespace ts

#include "promptlab/spend_ledger.h"

#include <string>

#include "store/run_repository.h" // unixMillisNow

namespace ts::promptlab {

namespace {

constexpr const char* kPrefix = "spend/";

} // namespace

Status appendSpend(Database& db, int64_t runId, int64_t cellId, const std::vector<CallSpend>& spend)
{
    if (spend.empty())
        return {};
    auto st = db.prepare("INSERT INTO metrics (run_id, step, name, value, wall_ms) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    const int64_t now = unixMillisNow();
    for (const auto& s : spend) {
        st->reset();
        st->bind(1, runId)
            .bind(2, cellId)
            .bind(3, std::string(kPrefix) + spendRoleName(s.role))
            .bind(4, s.usd)
            .bind(5, now);
        if (auto r = st->run(); !r)
            return r;
    }
    return {};
}

Expected<std::optional<SpendByRole>> runSpend(Database& db, int64_t runId)
{
    auto st = db.prepare("SELECT name, SUM(value), COUNT(*) FROM metrics WHERE run_id = ? AND name IN "
                         "('spend/variant', 'spend/judge', 'spend/pairwise') GROUP BY name");
    if (!st)
        return st.error();
    st->bind(1, runId);
    SpendByRole spend;
    int64_t rows = 0;
    auto s = st->forEachRow([&](Statement& r) {
        const std::string name = r.columnText(0);
        rows += r.columnInt(2);
        for (SpendRole role : {SpendRole::Variant, SpendRole::Judge, SpendRole::Pairwise})
            if (name == std::string(kPrefix) + spendRoleName(role))
                spend[role] = r.columnDouble(1);
    });
    if (!s)
        return s.error();
    if (rows == 0)
        return std::optional<SpendByRole>();
    return std::optional<SpendByRole>(spend);
}

} // namespace ts::promptlab

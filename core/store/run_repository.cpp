#include "store/run_repository.h"

#include <array>
#include <chrono>

namespace ts {

namespace {

constexpr std::array<std::string_view, 6> kStatusNames
    = {"pending", "running", "succeeded", "failed", "cancelled", "interrupted"};

Run readRun(const Statement& s)
{
    Run r;
    r.id = s.columnInt(0);
    r.kind = s.columnText(1);
    r.name = s.columnText(2);
    r.config = s.columnText(3);
    r.status = runStatusFromName(s.columnText(4)).value_or(RunStatus::Failed);
    r.error = s.columnText(5);
    r.createdAt = s.columnInt(6);
    if (!s.columnIsNull(7))
        r.startedAt = s.columnInt(7);
    if (!s.columnIsNull(8))
        r.finishedAt = s.columnInt(8);
    if (!s.columnIsNull(9))
        r.lease = RunLeaseHolder {s.columnInt(9), s.columnText(10), s.columnInt(11)};
    // Stored as running, but nothing drives it: its process died (or it predates leases).
    if (r.status == RunStatus::Running && !(r.lease && runLeaseHolderAlive(*r.lease, unixMillisNow())))
        r.status = RunStatus::Interrupted;
    return r;
}

constexpr std::string_view kRunColumns
    = "SELECT r.id, r.kind, r.name, r.config, r.status, r.error, r.created_at, r.started_at, r.finished_at, "
      "l.pid, l.host, l.heartbeat_ms FROM runs r LEFT JOIN run_leases l ON l.run_id = r.id";

} // namespace

std::string_view runStatusName(RunStatus status)
{
    return kStatusNames[static_cast<size_t>(status)];
}

std::optional<RunStatus> runStatusFromName(std::string_view name)
{
    for (size_t i = 0; i < kStatusNames.size(); ++i)
        if (kStatusNames[i] == name)
            return static_cast<RunStatus>(i);
    return std::nullopt;
}

int64_t unixMillisNow()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Status RunRepository::create(Run& run)
{
    if (run.createdAt == 0)
        run.createdAt = unixMillisNow();
    auto st = m_db.prepare("INSERT INTO runs (kind, name, config, status, error, created_at, started_at, finished_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, run.kind)
        .bind(2, run.name)
        .bind(3, run.config.empty() ? std::string("{}") : run.config)
        .bind(4, runStatusName(run.status))
        .bind(5, run.error)
        .bind(6, run.createdAt)
        .bind(7, run.startedAt)
        .bind(8, run.finishedAt);
    if (auto s = st->run(); !s)
        return s;
    run.id = m_db.lastInsertId();
    return {};
}

Expected<std::optional<Run>> RunRepository::get(int64_t id)
{
    auto st = m_db.prepare(std::string(kRunColumns) + " WHERE r.id = ?");
    if (!st)
        return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Run> {};
    return std::optional<Run>(readRun(*st));
}

Expected<std::vector<Run>> RunRepository::list(std::string_view kind)
{
    auto st
        = m_db.prepare(std::string(kRunColumns) + (kind.empty() ? "" : " WHERE r.kind = ?") + " ORDER BY r.id DESC");
    if (!st)
        return st.error();
    if (!kind.empty())
        st->bind(1, kind);
    std::vector<Run> out;
    if (auto s = st->forEachRow([&](const Statement& r) { out.push_back(readRun(r)); }); !s)
        return s.error();
    return out;
}

Status RunRepository::setStatus(int64_t id, RunStatus status, std::string_view error)
{
    if (status == RunStatus::Interrupted)
        return makeError("run " + std::to_string(id) + ": \"interrupted\" is not a stored status");
    const int64_t now = unixMillisNow();
    const bool finished
        = status == RunStatus::Succeeded || status == RunStatus::Failed || status == RunStatus::Cancelled;
    auto st = m_db.prepare("UPDATE runs SET status = ?, error = ?, "
                           "started_at = CASE WHEN ? THEN coalesce(started_at, ?) ELSE started_at END, "
                           "finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, runStatusName(status))
        .bind(2, std::string(error)) // a default string_view has no data: it would bind NULL
        .bind(3, int64_t {status == RunStatus::Running})
        .bind(4, now)
        .bind(5, int64_t {finished})
        .bind(6, now)
        .bind(7, id);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return makeError("run " + std::to_string(id) + " does not exist");
    return {};
}

Status RunRepository::setConfig(int64_t id, std::string_view configJson)
{
    auto st = m_db.prepare("UPDATE runs SET config = ? WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, configJson).bind(2, id);
    return st->run();
}

Status RunRepository::addMetrics(const std::vector<MetricPoint>& points)
{
    if (points.empty())
        return {};
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto st = m_db.prepare("INSERT INTO metrics (run_id, step, name, value, wall_ms) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    for (const auto& p : points) {
        st->reset();
        st->bind(1, p.runId)
            .bind(2, p.step)
            .bind(3, p.name)
            .bind(4, p.value)
            .bind(5, p.wallMs ? p.wallMs : unixMillisNow());
        if (auto s = st->run(); !s)
            return s;
    }
    return tx->commit();
}

Expected<std::vector<MetricPoint>> RunRepository::metricsSince(int64_t runId, int64_t afterId, std::string_view name)
{
    auto st = m_db.prepare(std::string("SELECT id, run_id, step, name, value, wall_ms FROM metrics "
                                       "WHERE run_id = ? AND id > ?")
                           + (name.empty() ? "" : " AND name = ?") + " ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, runId).bind(2, afterId);
    if (!name.empty())
        st->bind(3, name);
    std::vector<MetricPoint> out;
    auto s = st->forEachRow([&](const Statement& r) {
        out.push_back(MetricPoint {r.columnInt(0), r.columnInt(1), r.columnInt(2), r.columnText(3), r.columnDouble(4),
                                   r.columnInt(5)});
    });
    if (!s)
        return s.error();
    return out;
}

Status RunRepository::truncateMetrics(int64_t runId, int64_t step)
{
    auto st = m_db.prepare("DELETE FROM metrics WHERE run_id = ? AND step > ?");
    if (!st)
        return st.error();
    st->bind(1, runId).bind(2, step);
    return st->run();
}

Status RunRepository::addArtifact(Artifact& a)
{
    if (a.createdAt == 0)
        a.createdAt = unixMillisNow();
    auto st = m_db.prepare(
        "INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, a.runId).bind(2, a.kind).bind(3, a.path).bind(4, a.sha256).bind(5, a.bytes).bind(6, a.createdAt);
    if (auto s = st->run(); !s)
        return s;
    a.id = m_db.lastInsertId();
    return {};
}

Expected<std::vector<Artifact>> RunRepository::artifacts(int64_t runId, std::string_view kind)
{
    auto st = m_db.prepare(std::string("SELECT id, run_id, kind, path, sha256, bytes, created_at FROM artifacts "
                                       "WHERE run_id = ?")
                           + (kind.empty() ? "" : " AND kind = ?") + " ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, runId);
    if (!kind.empty())
        st->bind(2, kind);
    std::vector<Artifact> out;
    auto s = st->forEachRow([&](const Statement& r) {
        Artifact a;
        a.id = r.columnInt(0);
        if (!r.columnIsNull(1))
            a.runId = r.columnInt(1);
        a.kind = r.columnText(2);
        a.path = r.columnText(3);
        a.sha256 = r.columnText(4);
        a.bytes = r.columnInt(5);
        a.createdAt = r.columnInt(6);
        out.push_back(std::move(a));
    });
    if (!s)
        return s.error();
    return out;
}

} // namespace ts

// RunLease: acquisition (take over a dead owner's lease, refuse a live one), the heartbeat thread, release.
#include "store/run_lease.h"

#include <chrono>
#include <random>
#include <unistd.h>

#include "store/busy_retry.h"
#include "store/run_repository.h"

namespace ts {

namespace {

std::string newToken()
{
    std::random_device device;
    std::mt19937_64 random((static_cast<uint64_t>(device()) << 32) ^ device());
    return std::to_string(getpid()) + "-" + std::to_string(random());
}

// One attempt at taking the lease, in one write transaction: the holder is read and replaced together.
Status tryAcquire(Database& db, int64_t runId, const std::string& token)
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.error();
    auto read = db.prepare("SELECT pid, host, heartbeat_ms FROM run_leases WHERE run_id = ?");
    if (!read)
        return read.error();
    read->bind(1, runId);
    auto row = read->step();
    if (!row)
        return row.error();
    const int64_t now = unixMillisNow();
    if (*row) {
        const RunLeaseHolder holder {read->columnInt(0), read->columnText(1), read->columnInt(2)};
        if (runLeaseHolderAlive(holder, now))
            return makeError("run " + std::to_string(runId) + " is being run by " + describeRunLeaseHolder(holder, now)
                             + "; cancel it there first");
    }
    read->reset();
    auto write = db.prepare("INSERT OR REPLACE INTO run_leases (run_id, token, pid, host, acquired_ms, heartbeat_ms) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
    if (!write)
        return write.error();
    write->bind(1, runId)
        .bind(2, token)
        .bind(3, static_cast<int64_t>(getpid()))
        .bind(4, thisHostName())
        .bind(5, now)
        .bind(6, now);
    if (auto w = write->run(); !w)
        return w;
    return tx->commit();
}

} // namespace

Expected<std::unique_ptr<RunLease>> RunLease::acquire(const std::filesystem::path& projectFile, int64_t runId,
                                                      const CancelToken& cancel, int64_t heartbeatMs)
{
    auto db = Database::open(projectFile, Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    if (auto fk = db->exec("PRAGMA foreign_keys = ON"); !fk)
        return fk.error();
    const std::string token = newToken();
    auto taken = retryWhileBusy([&] { return tryAcquire(*db, runId, token); }, cancel);
    if (!taken) {
        if (cancel.stopRequested() && taken.error().kind == ErrorKind::Busy)
            return cancelledError();
        return taken.error();
    }
    return std::unique_ptr<RunLease>(new RunLease(std::move(*db), runId, token, heartbeatMs));
}

RunLease::RunLease(Database db, int64_t runId, std::string token, int64_t heartbeatMs)
    : m_db(std::move(db))
    , m_runId(runId)
    , m_token(std::move(token))
    , m_heartbeatMs(heartbeatMs)
{
    m_thread = std::thread([this] { heartbeatLoop(); });
}

RunLease::~RunLease()
{
    (void)release();
}

Status RunLease::writeHeartbeat()
{
    auto st = m_db.prepare("UPDATE run_leases SET heartbeat_ms = ? WHERE run_id = ? AND token = ?");
    if (!st)
        return st.error();
    st->bind(1, unixMillisNow()).bind(2, m_runId).bind(3, m_token);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        m_lost = true;
    return {};
}

void RunLease::heartbeatLoop()
{
    // Catches everything: a failed heartbeat only lets the lease age (another process may then take the run over,
    // which the next heartbeat notices as lost()); it never ends the process.
    try {
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_wake.wait_for(lock, std::chrono::milliseconds(m_heartbeatMs), [&] { return m_stop.stopRequested(); });
            }
            if (m_stop.stopRequested() || m_lost)
                return;
            if (retryWhileBusy([&] { return writeHeartbeat(); }, m_stop))
                ++m_heartbeats;
        }
    } catch (...) {
        return;
    }
}

Status RunLease::release()
{
    if (m_released)
        return {};
    m_released = true;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop.requestStop();
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    auto st = m_db.prepare("DELETE FROM run_leases WHERE run_id = ? AND token = ?");
    if (!st)
        return st.error();
    st->bind(1, m_runId).bind(2, m_token);
    return st->run();
}

} // namespace ts

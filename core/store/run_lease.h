// RunLease: which process drives a long run (training, A/B test), so two processes never drive one run. The
// lease is a row of `run_leases` (schema v6): the owner's pid, host name and a heartbeat time that a thread of
// the owner advances every few seconds. A second process (or a second job in the same process) that asks for
// the lease of a run whose owner is alive is refused with a message naming the owner; the lease of an owner
// that died (a heartbeat older than kRunLeaseStaleMs, or on this host a pid that no longer exists) is taken
// over. The runs list shows a run left "running" without a live owner as interrupted (RunStatus::Interrupted,
// see run_repository.h), ready to resume.
//
// The lease writes through its own connection to the project file, never Project::writeLock(), so a heartbeat
// is not held up by a long write of this process; a busy file is waited out (store/busy_retry.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/cancel.h"
#include "common/expected.h"
#include "store/database.h"
#include "store/run_lease_holder.h"

namespace ts {

class RunLease
{
public:
    // Takes the lease of `runId` (which must exist) in the project file at `projectFile` and starts the
    // heartbeat, every `heartbeatMs`. Refused while another owner is alive: "run 7 is being run by process 1234
    // on host X (last heartbeat 3 s ago); cancel it there first". A busy file is waited out until `cancel`.
    static Expected<std::unique_ptr<RunLease>> acquire(const std::filesystem::path& projectFile, int64_t runId,
                                                       const CancelToken& cancel = {},
                                                       int64_t heartbeatMs = kRunLeaseHeartbeatMs);
    ~RunLease(); // release()

    RunLease(const RunLease&) = delete;
    RunLease& operator=(const RunLease&) = delete;

    int64_t runId() const { return m_runId; }
    // Stops the heartbeat and deletes the lease row (once; later calls do nothing). Should the file stay busy,
    // the row is left behind: it is taken for dead once this process has ended or its heartbeat has aged.
    Status release();
    // Heartbeats written so far (the acquisition not counted).
    int64_t heartbeats() const { return m_heartbeats.load(); }
    // True once a heartbeat found the lease held by someone else (this process's heartbeat had aged past
    // kRunLeaseStaleMs and another process took the run over): the run must stop without writing its status.
    bool lost() const { return m_lost.load(); }

private:
    RunLease(Database db, int64_t runId, std::string token, int64_t heartbeatMs);
    void heartbeatLoop();
    Status writeHeartbeat();

    Database m_db; // own connection: the acquisition, then the heartbeat thread, then release()
    int64_t m_runId = 0;
    std::string m_token; // tells this lease from a later one of the same process
    int64_t m_heartbeatMs = 0;
    std::atomic<int64_t> m_heartbeats {0};
    std::atomic<bool> m_lost {false};
    bool m_released = false;
    CancelToken m_stop; // ends the heartbeat (and its busy waits)
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
};

} // namespace ts

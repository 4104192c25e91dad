// RunLeaseHolder: who holds a run's lease (store/run_lease.h) as the project file records it, and whether that
// owner is still alive as seen from this process. Used by the lease itself and by the runs list, which shows a
// run left "running" without a live owner as interrupted.
#pragma once

#include <cstdint>
#include <string>

namespace ts {

// An owner whose last heartbeat is older than this is taken for dead (it heartbeats every few seconds).
inline constexpr int64_t kRunLeaseStaleMs = 15000;
inline constexpr int64_t kRunLeaseHeartbeatMs = 3000;

// Who holds a run's lease, as stored.
struct RunLeaseHolder
{
    int64_t pid = 0;
    std::string host;
    int64_t heartbeatMs = 0; // unix ms of the last heartbeat
};

// This machine's host name (gethostname), the same in every process on it.
const std::string& thisHostName();
// Whether a process with this id exists on this machine.
bool processExists(int64_t pid);
// Whether the holder still drives its run at `nowMs`: a heartbeat fresher than kRunLeaseStaleMs and, on this
// host, a pid that still exists.
bool runLeaseHolderAlive(const RunLeaseHolder& holder, int64_t nowMs);
// "process 1234 on host X (last heartbeat 3 s ago)".
std::string describeRunLeaseHolder(const RunLeaseHolder& holder, int64_t nowMs);

} // namespace ts

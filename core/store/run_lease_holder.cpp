// RunLeaseHolder: this host's name, whether a pid exists, and the liveness rule of a lease's owner.
#include "store/run_lease_holder.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace ts {

const std::string& thisHostName()
{
    static const std::string name = [] {
        char buffer[256] = {};
        if (gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0')
            return std::string("localhost");
        return std::string(buffer);
    }();
    return name;
}

bool processExists(int64_t pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 checks existence; EPERM means it exists but belongs to another user.
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool runLeaseHolderAlive(const RunLeaseHolder& holder, int64_t nowMs)
{
    if (nowMs - holder.heartbeatMs > kRunLeaseStaleMs)
        return false;
    return holder.host != thisHostName() || processExists(holder.pid);
}

std::string describeRunLeaseHolder(const RunLeaseHolder& holder, int64_t nowMs)
{
    const int64_t ageS = std::max<int64_t>(0, nowMs - holder.heartbeatMs) / 1000;
    return "process " + std::to_string(holder.pid) + " on host " + holder.host + " (last heartbeat "
        + std::to_string(ageS) + " s ago)";
}

} // namespace ts

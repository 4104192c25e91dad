// retryWhileBusy: attempts, backoff and cancellation (see busy_retry.h).
#include "store/busy_retry.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace ts {

Status retryWhileBusy(const std::function<Status()>& write, const CancelToken& cancel,
                      const std::function<void(int attempt, const std::string& message)>& onBusy)
{
    using std::chrono::milliseconds;
    milliseconds pause(250);
    for (int attempt = 1;; ++attempt) {
        Status done = write();
        if (done || done.error().kind != ErrorKind::Busy || cancel.stopRequested())
            return done;
        if (onBusy)
            onBusy(attempt, done.error().message);
        // Sleep in short slices so a cancel is seen within 50 ms.
        const auto until = std::chrono::steady_clock::now() + pause;
        while (std::chrono::steady_clock::now() < until && !cancel.stopRequested())
            std::this_thread::sleep_for(milliseconds(50));
        if (cancel.stopRequested())
            return done;
        pause = std::min(pause * 2, milliseconds(5000));
    }
}

} // namespace ts

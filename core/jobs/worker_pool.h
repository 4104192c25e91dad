// runWorkerPool: a job's fan-out — `work` (a loop that takes items until none are left or the job stops) on
// several threads, joined before it returns. An exception that escapes a worker (a provider, a scorer) does not end
// the process: the first one's message is returned and `onException` is called, so the job can stop the other
// workers and fail with that message.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace ts {

// Runs `work` on `threads` threads (at least 1). Returns the first escaped exception's message, if any.
std::optional<std::string> runWorkerPool(int threads, const std::function<void()>& work,
                                         const std::function<void()>& onException = {});

} // namespace ts

// retryWhileBusy: a write of a long run (a training step's metrics, an A/B cell) that waits out a busy
// project file instead of failing the run. Another process (`tunesmith-cli import`, a second writer) may hold
// the write lock for longer than the connection's busy timeout; the write then fails with ErrorKind::Busy and
// is tried again after a pause (0.25 s, doubling to 5 s), for as long as it takes, until it succeeds, fails for
// a real reason (disk full, file gone), or the run is cancelled.
//
// Call it with no lock held that the write takes itself: the write function takes Project::writeLock() for
// each attempt, so the lock is never held across a pause or an error path.
#pragma once

#include <functional>
#include <string>

#include "common/cancel.h"
#include "common/expected.h"

namespace ts {

// `onBusy(attempt, message)` is called before each pause (attempt 1, 2, ...) with the busy error's message,
// e.g. to say "the project file is busy" in the job's progress.
Status retryWhileBusy(const std::function<Status()>& write, const CancelToken& cancel,
                      const std::function<void(int attempt, const std::string& message)>& onBusy = {});

} // namespace ts

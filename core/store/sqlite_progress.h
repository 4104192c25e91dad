// SqliteProgress: while it lives, a long statement on one connection (VACUUM INTO, an integrity check) can be
// cancelled and reports progress. It installs sqlite3_progress_handler: every few thousand virtual-machine
// steps SQLite calls back; the callback interrupts the statement when the token asks to stop and, at most
// every 100 ms, asks `measure` for the work done so far and passes it to the sink.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <tuple>
#include <utility>

#include "common/cancel.h"
#include "common/progress.h"
#include "store/database.h"

namespace ts {

class SqliteProgress
{
public:
    // `measure` returns {done, total} (total 0 = unknown); without it only the message is reported.
    using Measure = std::function<std::pair<int64_t, int64_t>()>;

    SqliteProgress(Database& db, const CancelToken& cancel, ProgressSink& progress, std::string message,
                   Measure measure = {});
    ~SqliteProgress();
    SqliteProgress(const SqliteProgress&) = delete;
    SqliteProgress& operator=(const SqliteProgress&) = delete;

    // The error to return for a statement that failed while this watch was installed: cancelledError() when
    // the statement was interrupted because the token asked to stop, else `error` as it is.
    Error explain(Error error) const;

private:
    static int onStep(void* self);

    Database& m_db;
    CancelToken m_cancel;
    ProgressSink& m_progress;
    std::string m_message;
    Measure m_measure;
    std::chrono::steady_clock::time_point m_lastReport;
    bool m_interrupted = false;
};

} // namespace ts

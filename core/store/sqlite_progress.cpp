// SqliteProgress: sqlite3_progress_handler as cancel + throttled progress (see sqlite_progress.h).
#include "store/sqlite_progress.h"

#include <sqlite3.h>

namespace ts {

namespace {

// Virtual-machine steps between callbacks: a few microseconds of work, so a cancel is seen at once and the
// callback itself costs nothing measurable.
constexpr int kStepsPerCallback = 4000;
constexpr auto kReportEvery = std::chrono::milliseconds(100);

} // namespace

SqliteProgress::SqliteProgress(Database& db, const CancelToken& cancel, ProgressSink& progress, std::string message,
                               Measure measure)
    : m_db(db)
    , m_cancel(cancel)
    , m_progress(progress)
    , m_message(std::move(message))
    , m_measure(std::move(measure))
    , m_lastReport(std::chrono::steady_clock::now())
{
    m_progress.report({0, m_measure ? m_measure().second : 0, m_message});
    sqlite3_progress_handler(m_db.handle(), kStepsPerCallback, &SqliteProgress::onStep, this);
}

SqliteProgress::~SqliteProgress()
{
    sqlite3_progress_handler(m_db.handle(), 0, nullptr, nullptr);
}

int SqliteProgress::onStep(void* self)
{
    auto* watch = static_cast<SqliteProgress*>(self);
    if (watch->m_cancel.stopRequested()) {
        watch->m_interrupted = true;
        return 1; // SQLite stops the statement with SQLITE_INTERRUPT
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - watch->m_lastReport >= kReportEvery) {
        watch->m_lastReport = now;
        Progress p;
        p.message = watch->m_message;
        if (watch->m_measure)
            std::tie(p.done, p.total) = watch->m_measure();
        watch->m_progress.report(p);
    }
    return 0;
}

Error SqliteProgress::explain(Error error) const
{
    if (m_interrupted)
        return cancelledError();
    return error;
}

} // namespace ts

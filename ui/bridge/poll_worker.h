// Helpers for the workers that poll the project file on a thread of their own (MetricsFeed, AbFeed): each worker
// owns one read-only connection, opened here on the GUI thread, used and closed on the worker's thread.
#pragma once

#include <functional>
#include <memory>

#include <QString>

class QObject;
class QThread;

namespace ts {
class Database;
class Project;
} // namespace ts

namespace ts::ui {

// A new read-only connection to `project` (nullptr for no project, or with *error set when it cannot be opened).
std::shared_ptr<ts::Database> openSharedReader(ts::Project* project, QString* error);

// Runs `stop` on `worker`'s thread and waits for it (a poll takes milliseconds), then quits and joins `thread`.
void stopPollThread(QThread& thread, QObject* worker, const std::function<void()>& stop);

} // namespace ts::ui

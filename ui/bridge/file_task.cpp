// FileTask: runInBackground + QEventLoop, progress posted to the GUI thread (see file_task.h).
#include "bridge/file_task.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QMetaObject>

#include "bridge/background_task.h"

namespace ts::ui {

namespace {

// Posts each report to the task's thread as a queued signal. Reports come throttled (SQLite's progress
// handler reports at most every 100 ms), so nothing is dropped here.
class QueuedProgress final : public ts::ProgressSink
{
public:
    explicit QueuedProgress(FileTask* task)
        : m_task(task)
    { }
    void report(const ts::Progress& p) override
    {
        const QString message = QString::fromStdString(p.message);
        QMetaObject::invokeMethod(
            m_task, [task = m_task, p, message] { emit task->progress(p.done, p.total, message); },
            Qt::QueuedConnection);
    }

private:
    FileTask* m_task;
};

} // namespace

FileTask::FileTask(QObject* parent)
    : QObject(parent)
{ }

bool FileTask::runAndWait(const QString& title, Work work)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = ts::CancelToken();
    emit started(title);
    QEventLoop loop;
    // The loop cannot end before the work does, so the sink (and this task) outlive every report it posts.
    auto sink = std::make_shared<QueuedProgress>(this);
    runInBackground<bool>(
        this,
        [work = std::move(work), cancel = m_cancel, sink] {
            // Work reports failures in its result; an exception must still end the wait.
            try {
                work(cancel, *sink);
            } catch (const std::exception& e) {
                qWarning("file task failed: %s", e.what());
            } catch (...) {
                qWarning("file task failed with an unknown exception");
            }
            return true;
        },
        [&loop](const bool&) { loop.quit(); });
    loop.exec();
    // Deliver the reports still queued before saying that the task is over.
    QCoreApplication::sendPostedEvents(this);
    m_running = false;
    emit finished();
    return true;
}

void FileTask::cancel()
{
    if (m_running)
        m_cancel.requestStop();
}

} // namespace ts::ui

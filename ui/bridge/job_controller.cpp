// JobController: bridges ts::JobRunner to queued Qt signals with rate-limited progress.
#include "bridge/job_controller.h"

#include <QMetaObject>

namespace ts::ui {

// Latest progress report, written by the worker thread and sampled by the GUI timer.
struct JobController::Shared
{
    std::mutex mutex;
    ts::Progress latest;
    bool fresh = false;
};

JobController::JobController(QObject* parent)
    : QObject(parent)
{
    m_progressTimer.setInterval(kProgressIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, &JobController::flushProgress);
}

JobController::~JobController()
{
    // m_runner's destructor cancels and joins; queued callbacks to this object are dropped.
    if (m_running)
        m_handle.cancel();
}

bool JobController::start(std::shared_ptr<ts::Job> job)
{
    if (m_running || !job)
        return false;
    const quint64 generation = ++m_generation;
    m_shared = std::make_shared<Shared>();
    m_title = QString::fromStdString(job->title());
    m_running = true;

    auto sink = std::make_shared<ts::CallbackProgress>([shared = m_shared](const ts::Progress& p) {
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->latest = p;
        shared->fresh = true;
    });
    // The callback runs on the worker thread. The controller outlives every worker (its runner
    // joins them on destruction), and a call posted to it is dropped once it is deleted.
    m_handle = m_runner.start(std::move(job), sink, [this, generation](const ts::Status& status) {
        const bool ok = status.ok();
        const bool cancelled = ts::isCancelled(status);
        const QString error = ok ? QString() : QString::fromStdString(status.error().message);
        QMetaObject::invokeMethod(
            this, [this, generation, ok, error, cancelled] { onFinished(generation, ok, error, cancelled); },
            Qt::QueuedConnection);
    });
    m_progressTimer.start();
    emit started(m_title);
    emit runningChanged(true);
    return true;
}

void JobController::cancel()
{
    if (m_running)
        m_handle.cancel();
}

void JobController::cancelAndWait()
{
    if (!m_running)
        return;
    m_handle.cancel();
    m_handle.wait();
}

void JobController::flushProgress()
{
    if (!m_shared)
        return;
    ts::Progress p;
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        if (!m_shared->fresh)
            return;
        p = m_shared->latest;
        m_shared->fresh = false;
    }
    emit progress(p.done, p.total, QString::fromStdString(p.message));
}

void JobController::onFinished(quint64 generation, bool ok, const QString& error, bool cancelled)
{
    if (generation != m_generation || !m_running)
        return;
    m_progressTimer.stop();
    flushProgress();
    m_running = false;
    emit runningChanged(false);
    emit finished(ok, error, cancelled);
}

} // namespace ts::ui

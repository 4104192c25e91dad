// JobController: bridges ts::JobManager to queued Qt signals with rate-limited progress.
#include "bridge/job_controller.h"

#include <QEventLoop>
#include <QMetaObject>
#include <QPointer>

namespace ts::ui {

JobController::JobController(QObject* parent)
    : QObject(parent)
{
    m_progressTimer.setInterval(kProgressIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, &JobController::flushProgress);
    // Worker threads say "something changed"; bursts become one jobsChanged() on the GUI thread.
    m_manager = std::make_unique<ts::JobManager>([this](ts::JobId) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_changePosted)
                    return;
                m_changePosted = true;
                QTimer::singleShot(0, this, [this] {
                    m_changePosted = false;
                    emit jobsChanged();
                });
            },
            Qt::QueuedConnection);
    });
}

JobController::~JobController()
{
    // The manager's destructor cancels and joins; calls its workers post to this object are dropped with it.
    m_manager.reset();
}

JobId JobController::start(std::shared_ptr<ts::Job> job)
{
    if (!job)
        return 0;
    const QString title = QString::fromStdString(job->title());
    // The finished callback runs on the worker thread. The controller outlives every worker (the manager joins
    // them on destruction), and a call posted to it is dropped once it is deleted.
    auto finished = [this](ts::JobId id, const ts::Status& status) {
        const bool ok = status.ok();
        const bool cancelled = ts::isCancelled(status);
        const QString error = ok ? QString() : QString::fromStdString(status.error().message);
        QMetaObject::invokeMethod(
            this, [this, id, ok, error, cancelled] { onFinished(id, ok, error, cancelled); }, Qt::QueuedConnection);
    };
    const JobId id = m_manager->submit(std::move(job), nullptr, finished);
    m_active[id] = title;
    if (!m_progressTimer.isActive())
        m_progressTimer.start();
    emit started(id, title);
    emit activeCountChanged(activeCount());
    emit jobsChanged();
    return id;
}

bool JobController::isActive(JobId id) const
{
    return id != 0 && m_active.count(id) > 0;
}

bool JobController::isQueued(JobId id) const
{
    auto info = m_manager->info(id);
    return info && info->state == ts::JobState::Queued;
}

QString JobController::title(JobId id) const
{
    auto it = m_active.find(id);
    if (it != m_active.end())
        return it->second;
    auto info = m_manager->info(id);
    return info ? QString::fromStdString(info->title) : QString();
}

QStringList JobController::activeTitles() const
{
    QStringList titles;
    for (const auto& [id, title] : m_active)
        titles << title;
    return titles;
}

JobView JobController::viewOf(const ts::JobInfo& info)
{
    JobView view;
    view.id = info.id;
    view.title = QString::fromStdString(info.title);
    view.state = info.state;
    view.waitingFor = QString::fromStdString(info.waitingFor);
    view.done = info.progress.done;
    view.total = info.progress.total;
    view.message = QString::fromStdString(info.progress.message);
    view.error = QString::fromStdString(info.error);
    if (info.startedAt) {
        const auto end = info.endedAt.value_or(ts::JobInfo::Clock::now());
        view.elapsedSeconds = std::chrono::duration<double>(end - *info.startedAt).count();
        if (info.state == ts::JobState::Running && view.total > 0 && view.done > 0 && view.done < view.total
            && view.elapsedSeconds > 1.0)
            view.etaSeconds
                = view.elapsedSeconds * static_cast<double>(view.total - view.done) / static_cast<double>(view.done);
    }
    return view;
}

QList<JobView> JobController::jobs() const
{
    QList<JobView> views;
    for (const ts::JobInfo& info : m_manager->list()) {
        JobView view = viewOf(info);
        // Until the GUI has seen its end, a job that ended on its thread still shows as active here.
        if (!ts::isActive(view.state) && isActive(view.id))
            view.state = ts::JobState::Running;
        views.push_back(view);
    }
    return views;
}

std::optional<JobView> JobController::job(JobId id) const
{
    auto info = m_manager->info(id);
    if (!info)
        return std::nullopt;
    return viewOf(*info);
}

void JobController::cancel(JobId id)
{
    if (isActive(id))
        m_manager->cancel(id);
}

void JobController::cancelAll()
{
    m_manager->cancelAll();
}

void JobController::cancelAndWait(JobId id)
{
    if (!isActive(id))
        return;
    m_manager->cancel(id);
    m_manager->wait(id);
}

void JobController::cancelAllAndWait()
{
    m_manager->cancelAll();
    m_manager->waitAll();
}

void JobController::stopAll(int graceMs)
{
    if (m_active.empty())
        return;
    m_manager->cancelAll();
    if (!m_active.empty()) {
        QEventLoop loop;
        QTimer grace;
        grace.setSingleShot(true);
        connect(&grace, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(this, &JobController::activeCountChanged, &loop, [&loop](int count) {
            if (count == 0)
                loop.quit();
        });
        grace.start(graceMs);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    m_manager->waitAll();
    // Deliver the ends still queued, so every started() gets its finished().
    QList<JobId> left;
    for (const auto& [id, title] : m_active)
        left << id;
    for (JobId id : left)
        if (auto info = m_manager->info(id); info && !ts::isActive(info->state))
            onFinished(id, info->state == ts::JobState::Succeeded, QString::fromStdString(info->error),
                       info->state == ts::JobState::Cancelled);
}

void JobController::flushProgress()
{
    // The manager records each job's latest report; emit the ones that changed since the last tick.
    for (const ts::JobInfo& info : m_manager->list()) {
        if (!isActive(info.id) || info.state != ts::JobState::Running)
            continue;
        ts::Progress& last = m_emitted[info.id];
        if (last.done == info.progress.done && last.total == info.progress.total
            && last.message == info.progress.message)
            continue;
        last = info.progress;
        emit progress(info.id, info.progress.done, info.progress.total, QString::fromStdString(info.progress.message));
    }
    if (m_active.empty())
        m_progressTimer.stop();
}

void JobController::onFinished(JobId id, bool ok, const QString& error, bool cancelled)
{
    if (!isActive(id))
        return;
    if (auto info = m_manager->info(id); info && info->startedAt)
        emit progress(id, info->progress.done, info->progress.total, QString::fromStdString(info->progress.message));
    m_active.erase(id);
    m_emitted.erase(id);
    emit activeCountChanged(activeCount());
    emit finished(id, ok, error, cancelled);
    emit jobsChanged();
}

} // namespace ts::ui

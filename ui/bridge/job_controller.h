// JobController: runs core jobs (ts::Job) through a ts::JobManager — any number at once, a job
// needing a busy exclusive resource (the local engine on a device) queued behind it — and
// re-emits their progress, starts and ends as Qt signals on the GUI thread.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include "jobs/job_manager.h"

namespace ts::ui {

using JobId = quint64; // a ts::JobId as Qt signals carry it; 0 = no job

// What the jobs panel shows of one job.
struct JobView
{
    JobId id = 0;
    QString title;
    ts::JobState state = ts::JobState::Queued;
    QString waitingFor; // while queued
    qint64 done = 0;
    qint64 total = 0; // 0 = unknown
    QString message;
    double elapsedSeconds = 0; // running time so far (or in all, once ended)
    std::optional<double> etaSeconds; // from the rate so far, when the total is known
    QString error;
};

// progress() is emitted on the GUI thread at most ~10 times a second per job (a GUI-side timer
// samples the latest report); finished() once per job, after its last progress(). The GUI thread
// waits for jobs only in cancelAndWait() (destructors) and stopAll() (which keeps painting).
class JobController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobController)

public:
    static constexpr int kProgressIntervalMs = 100;

    explicit JobController(QObject* parent = nullptr);
    ~JobController() override; // cancels every job and joins its thread

    // Starts the job, or queues it while a resource it needs exclusively is held. Returns its id (0 for no job).
    JobId start(std::shared_ptr<ts::Job> job);

    bool isActive(JobId id) const; // queued or running
    bool isQueued(JobId id) const;
    int activeCount() const { return static_cast<int>(m_active.size()); }
    QString title(JobId id) const;
    QStringList activeTitles() const;
    QList<JobView> jobs() const; // active ones first, then recently ended ones
    std::optional<JobView> job(JobId id) const;

public slots:
    void cancel(JobId id);
    void cancelAll();
    // Cancel and block until ended (destructors of what the jobs report into; nothing is painted meanwhile).
    void cancelAndWait(JobId id);
    void cancelAllAndWait();
    // Cancels every job and waits for them to end while the window keeps painting (user input is held back);
    // jobs still going after `graceMs` are then waited for without painting. No job outlives this call.
    void stopAll(int graceMs = 2000);

signals:
    void started(JobId id, const QString& title); // submitted (it may be queued)
    void progress(JobId id, qint64 done, qint64 total, const QString& message);
    void finished(JobId id, bool ok, const QString& error, bool cancelled);
    void jobsChanged(); // a job was queued, started or ended: the panel refreshes
    void activeCountChanged(int count);

private:
    void flushProgress();
    void onFinished(JobId id, bool ok, const QString& error, bool cancelled);
    static JobView viewOf(const ts::JobInfo& info);

    std::map<JobId, ts::Progress> m_emitted; // last progress() per active job
    std::map<JobId, QString> m_active; // id → title, as the GUI thread knows it (until finished() is emitted)
    QTimer m_progressTimer;
    bool m_changePosted = false;
    std::unique_ptr<ts::JobManager> m_manager; // last member: destroyed (joining the workers) first
};

} // namespace ts::ui

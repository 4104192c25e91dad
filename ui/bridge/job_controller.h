// JobController: runs core jobs (ts::Job) off the GUI thread and re-emits their progress and end as Qt signals.
#pragma once

#include <memory>
#include <mutex>

#include <QObject>
#include <QString>
#include <QTimer>

#include "jobs/job_runner.h"

namespace ts::ui {

// One job at a time. progress() is emitted on the GUI thread at most ~10 times a second
// (a GUI-side timer samples the latest report); finished() is emitted once per job, on the
// GUI thread, after the last progress(). The GUI thread never waits for a job, except in
// cancelAndWait(), which closing a project uses so no job outlives the project it writes.
class JobController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobController)

public:
    static constexpr int kProgressIntervalMs = 100;

    explicit JobController(QObject* parent = nullptr);
    ~JobController() override; // cancels and joins a running job

    // false (and nothing starts) when a job is already running.
    bool start(std::shared_ptr<ts::Job> job);
    bool isRunning() const { return m_running; }
    QString title() const { return m_title; }

public slots:
    void cancel();
    void cancelAndWait();

signals:
    void started(const QString& title);
    void progress(qint64 done, qint64 total, const QString& message);
    void finished(bool ok, const QString& error, bool cancelled);
    void runningChanged(bool running);

private:
    struct Shared;
    void flushProgress();
    void onFinished(quint64 generation, bool ok, const QString& error, bool cancelled);

    ts::JobRunner m_runner;
    ts::JobHandle m_handle;
    std::shared_ptr<Shared> m_shared;
    QTimer m_progressTimer;
    QString m_title;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace ts::ui

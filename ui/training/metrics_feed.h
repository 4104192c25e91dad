// MetricsFeed: follows a project's training runs and their metrics as the trainer (in this process or a CLI
// in another) writes them, by polling the project file from a worker thread.
#pragma once

#include <cstdint>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QSet>
#include <QThread>

#include "store/run_repository.h"

namespace ts {
class Project;
}

Q_DECLARE_METATYPE(std::vector<ts::Run>)
Q_DECLARE_METATYPE(std::vector<ts::MetricPoint>)

namespace ts::ui {

class MetricsPoller;

// The worker owns one read-only connection (Project::openReader()) and, every kPollIntervalMs, lists the
// "train" runs and reads the metrics of the watched runs with id > that run's cursor (RunRepository::
// metricsSince), so each point is read once and SQLite's WAL lets it read while a writer commits. The GUI thread
// never runs a query and never waits for one; results arrive as queued signals. Switching projects drops the
// cursors, and results of the previous project that are still in flight are discarded.
//
// When a watched run's status or start time changes (it started, was resumed, or ended) its metrics are read again
// from the start and sent with `replace` set: a resumed run deletes the points after its checkpoint and may write
// new ones under ids at or below the cursor (the metrics table reuses the ids of deleted rows), so a re-read is the
// only way to see them; a run resumed while the feed watches is re-read every few seconds until it ends.
class MetricsFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsFeed)

public:
    static constexpr int kPollIntervalMs = 300; // ~3 Hz

    explicit MetricsFeed(QObject* parent = nullptr);
    ~MetricsFeed() override; // stops and joins the worker

    // nullptr stops polling. The project only has to live through this call.
    void setProject(ts::Project* project);
    // Runs whose metrics are read; a run that is watched again continues from its cursor.
    void setWatched(const QSet<qint64>& runIds);
    QSet<qint64> watched() const { return m_watched; }
    void pollNow(); // an extra poll at once (e.g. right after a run starts or ends)
    // While paused (the page is not shown) nothing is read; resuming polls at once.
    void setPaused(bool paused);

signals:
    // Every train run, newest first: once after each setProject() and whenever a run is added or changes.
    void runsListed(const std::vector<ts::Run>& runs);
    // New points of one run, in id order; with `replace` they are all of the run's points so far.
    void metricsArrived(qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace);
    // A poll failed (a transient lock, a deleted file); the next poll tries again. "" after a good poll.
    void pollError(const QString& message);

private:
    QThread m_thread;
    MetricsPoller* m_poller = nullptr;
    quint64 m_generation = 0;
    QSet<qint64> m_watched;
};

} // namespace ts::ui

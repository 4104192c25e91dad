// MetricsFeed: follows a project's training runs and their metrics as the trainer (in this process or a CLI
// in another) writes them, by polling the project file from a worker thread (a ProjectFeed).
#pragma once

#include <vector>

#include <QMetaType>
#include <QSet>

#include "bridge/project_poller.h"
#include "store/run_repository.h"

Q_DECLARE_METATYPE(std::vector<ts::MetricPoint>)

namespace ts::ui {

class MetricsPoller;

// The poller lists the "train" runs (runsListed) and reads the metrics of the watched runs with id > that run's
// cursor (RunRepository::metricsSince), so each point is read once. Switching projects drops the cursors.
//
// When a watched run's status or start time changes (it started, was resumed, or ended) its metrics are read again
// from the start and sent with `replace` set: a resumed run deletes the points after its checkpoint and may write
// new ones under ids at or below the cursor (the metrics table reuses the ids of deleted rows), so a re-read is the
// only way to see them; a run resumed while the feed watches is re-read every few seconds until it ends.
class MetricsFeed final : public ProjectFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsFeed)

public:
    explicit MetricsFeed(QObject* parent = nullptr);

    // Runs whose metrics are read; a run that is watched again continues from its cursor.
    void setWatched(const QSet<qint64>& runIds);
    QSet<qint64> watched() const { return m_watched; }

signals:
    // New points of one run, in id order; with `replace` they are all of the run's points so far.
    void metricsArrived(qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace);

private:
    void projectChanged() override;

    MetricsPoller* m_poller = nullptr;
    QSet<qint64> m_watched;
};

} // namespace ts::ui

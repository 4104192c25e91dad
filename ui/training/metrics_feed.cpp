// MetricsFeed: the GUI-side handle; MetricsPoller: the metric cursors on the poll thread.
#include "training/metrics_feed.h"

#include <algorithm>

#include <QHash>

#include "bridge/path_conversion.h"

namespace ts::ui {

// Lives on MetricsFeed's poll thread; every method runs there.
class MetricsPoller final : public ProjectPoller
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPoller)

public:
    static constexpr quint64 kResyncEveryPolls = 8; // ~2.4 s

    explicit MetricsPoller(MetricsFeed& feed)
        : ProjectPoller(feed, "train")
        , m_feed(&feed)
    { }

    void setWatched(const QSet<qint64>& runIds)
    {
        m_watched = runIds;
        if (ts::Database* db = reader())
            readWatched(*db);
    }

private:
    void reset() override
    {
        m_cursors.clear();
        m_replace.clear();
        m_resumed.clear();
        m_watched.clear();
    }

    // A run that started, resumed or ended is read again in full (see MetricsFeed).
    void runsChanged(const std::vector<ts::Run>& before, const std::vector<ts::Run>& now) override
    {
        for (const ts::Run& run : now) {
            const auto was
                = std::find_if(before.begin(), before.end(), [&](const ts::Run& r) { return r.id == run.id; });
            if (was != before.end() && (was->status != run.status || was->startedAt != run.startedAt)
                && m_cursors.value(run.id, 0) > 0) {
                m_cursors.insert(run.id, 0);
                m_replace.insert(run.id);
                // Resumed: its rewritten points may hide under reused ids until it ends; re-read it now and then.
                if (run.status == ts::RunStatus::Running)
                    m_resumed.insert(run.id);
            }
            if (run.status != ts::RunStatus::Running)
                m_resumed.remove(run.id);
        }
    }

    QString readWatched(ts::Database& reader) override
    {
        ts::RunRepository repo(reader);
        const bool resync = ++m_polls % kResyncEveryPolls == 0;
        for (qint64 runId : std::as_const(m_watched)) {
            if (resync && m_resumed.contains(runId)) {
                m_cursors.insert(runId, 0);
                m_replace.insert(runId);
            }
            qint64& cursor = m_cursors[runId];
            auto points = repo.metricsSince(runId, cursor);
            if (!points)
                return fromStd(points.error().message);
            countRowsRead(static_cast<qint64>(points->size()));
            const bool replace = m_replace.remove(runId);
            if (points->empty() && !replace)
                continue;
            if (!points->empty())
                cursor = points->back().id;
            MetricsFeed* feed = m_feed;
            deliver([feed, runId, points = std::move(*points), replace] {
                emit feed->metricsArrived(runId, points, replace);
            });
        }
        return {};
    }

    MetricsFeed* m_feed = nullptr;
    QSet<qint64> m_watched;
    QHash<qint64, qint64> m_cursors; // run id -> last metric id read
    QSet<qint64> m_replace; // runs whose next points are all of their points
    QSet<qint64> m_resumed; // running runs that were resumed while listed: re-read every kResyncEveryPolls
    quint64 m_polls = 0;
};

MetricsFeed::MetricsFeed(QObject* parent)
    : ProjectFeed(QStringLiteral("MetricsFeed"), parent)
{
    qRegisterMetaType<std::vector<ts::MetricPoint>>();
    m_poller = new MetricsPoller(*this);
    startPolling(m_poller);
}

void MetricsFeed::setWatched(const QSet<qint64>& runIds)
{
    m_watched = runIds;
    MetricsPoller* poller = m_poller;
    queueForProject([poller, runIds] { poller->setWatched(runIds); });
}

void MetricsFeed::projectChanged()
{
    m_watched.clear();
}

} // namespace ts::ui

#include "metrics_feed.moc"

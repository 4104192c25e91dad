// MetricsFeed: the GUI-side handle; MetricsPoller: the worker that owns the read-only connection and the cursors.
#include "training/metrics_feed.h"

#include <algorithm>

#include <QHash>
#include <QTimer>

#include "bridge/path_conversion.h"
#include "bridge/poll_worker.h"
#include "store/project.h"

namespace ts::ui {

// Lives on MetricsFeed's thread; every method runs there.
class MetricsPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPoller)

public:
    static constexpr quint64 kResyncEveryPolls = 8; // ~2.4 s

    MetricsPoller()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(MetricsFeed::kPollIntervalMs);
        connect(m_timer, &QTimer::timeout, this, &MetricsPoller::poll);
    }

    void attach(quint64 generation, std::shared_ptr<ts::Database> reader)
    {
        m_generation = generation;
        m_reader = std::move(reader);
        m_cursors.clear();
        m_replace.clear();
        m_resumed.clear();
        m_watched.clear();
        m_lastRuns.clear();
        m_listedOnce = false;
        m_lastError.clear();
        if (m_reader && !m_paused) {
            poll();
            m_timer->start();
        } else {
            m_timer->stop();
        }
    }

    void setWatched(quint64 generation, const QSet<qint64>& runIds)
    {
        if (generation != m_generation)
            return;
        m_watched = runIds;
        pollMetrics();
    }

    void setPaused(bool paused)
    {
        m_paused = paused;
        if (!m_reader)
            return;
        if (paused) {
            m_timer->stop();
        } else {
            poll();
            m_timer->start();
        }
    }

    void stop()
    {
        m_timer->stop();
        m_reader.reset();
    }

    void poll()
    {
        if (!m_reader)
            return;
        QString error = pollRuns();
        const QString metricsError = pollMetrics();
        if (error.isEmpty())
            error = metricsError;
        if (error != m_lastError) {
            m_lastError = error;
            emit pollError(m_generation, error);
        }
    }

signals:
    void runsListed(quint64 generation, const std::vector<ts::Run>& runs);
    void metricsArrived(quint64 generation, qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace);
    void pollError(quint64 generation, const QString& message);

private:
    static bool sameRuns(const std::vector<ts::Run>& a, const std::vector<ts::Run>& b)
    {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            const ts::Run& x = a[i];
            const ts::Run& y = b[i];
            if (x.id != y.id || x.status != y.status || x.name != y.name || x.error != y.error
                || x.startedAt != y.startedAt || x.finishedAt != y.finishedAt || x.config != y.config)
                return false;
        }
        return true;
    }

    QString pollRuns()
    {
        ts::RunRepository repo(*m_reader);
        auto runs = repo.list("train");
        if (!runs)
            return fromStd(runs.error().message);
        if (!m_listedOnce || !sameRuns(*runs, m_lastRuns)) {
            // A run that started, resumed or ended is read again in full (see MetricsFeed).
            for (const ts::Run& run : *runs) {
                const auto before = std::find_if(m_lastRuns.begin(), m_lastRuns.end(),
                                                 [&](const ts::Run& r) { return r.id == run.id; });
                if (before != m_lastRuns.end() && (before->status != run.status || before->startedAt != run.startedAt)
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
            m_listedOnce = true;
            m_lastRuns = *runs;
            emit runsListed(m_generation, m_lastRuns);
        }
        return {};
    }

    QString pollMetrics()
    {
        if (!m_reader)
            return {};
        ts::RunRepository repo(*m_reader);
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
            const bool replace = m_replace.remove(runId);
            if (points->empty() && !replace)
                continue;
            if (!points->empty())
                cursor = points->back().id;
            emit metricsArrived(m_generation, runId, *points, replace);
        }
        return {};
    }

    QTimer* m_timer = nullptr;
    quint64 m_generation = 0;
    std::shared_ptr<ts::Database> m_reader;
    QSet<qint64> m_watched;
    QHash<qint64, qint64> m_cursors; // run id -> last metric id read
    QSet<qint64> m_replace; // runs whose next points are all of their points
    QSet<qint64> m_resumed; // running runs that were resumed while listed: re-read every kResyncEveryPolls
    quint64 m_polls = 0;
    bool m_paused = false;
    std::vector<ts::Run> m_lastRuns;
    bool m_listedOnce = false;
    QString m_lastError;
};

MetricsFeed::MetricsFeed(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::vector<ts::Run>>();
    qRegisterMetaType<std::vector<ts::MetricPoint>>();
    m_thread.setObjectName(QStringLiteral("MetricsFeed"));
    m_poller = new MetricsPoller;
    m_poller->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_poller, &QObject::deleteLater);
    connect(m_poller, &MetricsPoller::runsListed, this, [this](quint64 generation, const std::vector<ts::Run>& runs) {
        if (generation == m_generation)
            emit runsListed(runs);
    });
    connect(m_poller, &MetricsPoller::metricsArrived, this,
            [this](quint64 generation, qint64 runId, const std::vector<ts::MetricPoint>& points, bool replace) {
                if (generation == m_generation)
                    emit metricsArrived(runId, points, replace);
            });
    connect(m_poller, &MetricsPoller::pollError, this, [this](quint64 generation, const QString& message) {
        if (generation == m_generation)
            emit pollError(message);
    });
    m_thread.start();
}

MetricsFeed::~MetricsFeed()
{
    // The connection is closed on its own thread before the thread ends.
    MetricsPoller* poller = m_poller;
    stopPollThread(m_thread, poller, [poller] { poller->stop(); });
}

void MetricsFeed::setProject(ts::Project* project)
{
    const quint64 generation = ++m_generation;
    m_watched.clear();
    QString error;
    std::shared_ptr<ts::Database> reader = openSharedReader(project, &error);
    MetricsPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, generation, reader] { poller->attach(generation, reader); }, Qt::QueuedConnection);
    if (!error.isEmpty())
        emit pollError(error);
}

void MetricsFeed::setWatched(const QSet<qint64>& runIds)
{
    m_watched = runIds;
    MetricsPoller* poller = m_poller;
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        poller, [poller, generation, runIds] { poller->setWatched(generation, runIds); }, Qt::QueuedConnection);
}

void MetricsFeed::setPaused(bool paused)
{
    MetricsPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, paused] { poller->setPaused(paused); }, Qt::QueuedConnection);
}

void MetricsFeed::pollNow()
{
    MetricsPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller] { poller->poll(); }, Qt::QueuedConnection);
}

} // namespace ts::ui

#include "metrics_feed.moc"

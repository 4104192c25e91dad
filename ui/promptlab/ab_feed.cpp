// AbFeed / AbPoller: a timer on the worker thread; a cheap fingerprint of the cells (ids, times, errors) decides
// whether the (bootstrap) summary is computed again.
#include "promptlab/ab_feed.h"

#include <algorithm>

#include <QTimer>

#include "bridge/path_conversion.h"
#include "bridge/poll_worker.h"
#include "store/example_repository.h"
#include "store/project.h"

namespace ts::ui {

class AbPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbPoller)

public:
    AbPoller()
    {
        m_timer = new QTimer(this);
        m_timer->setInterval(AbFeed::kPollIntervalMs);
        connect(m_timer, &QTimer::timeout, this, &AbPoller::poll);
    }

    void attach(quint64 generation, std::shared_ptr<ts::Database> reader)
    {
        m_generation = generation;
        m_reader = std::move(reader);
        m_watched = 0;
        m_runsKey.clear();
        m_cellsKey.clear();
        m_lastError.clear();
        restart();
    }

    void setWatched(quint64 generation, qint64 runId)
    {
        if (generation != m_generation)
            return;
        m_watched = runId;
        m_cellsKey.clear();
        poll();
    }

    void setPaused(bool paused)
    {
        m_paused = paused;
        restart();
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
        if (error.isEmpty())
            error = pollCells();
        if (error != m_lastError) {
            m_lastError = error;
            emit pollError(m_generation, error);
        }
    }

signals:
    void runsListed(quint64 generation, const std::vector<ts::Run>& runs);
    void snapshot(quint64 generation, const ts::ui::AbSnapshot& snapshot);
    void pollError(quint64 generation, const QString& message);

private:
    void restart()
    {
        if (m_reader && !m_paused) {
            poll();
            m_timer->start();
        } else {
            m_timer->stop();
        }
    }

    QString pollRuns()
    {
        auto runs = ts::RunRepository(*m_reader).list("ab_test");
        if (!runs)
            return fromStd(runs.error().message);
        std::string key = "#";
        for (const ts::Run& r : *runs)
            key += std::to_string(r.id) + ':' + std::string(ts::runStatusName(r.status)) + ':' + r.name + ':' + r.error
                + ':' + std::to_string(r.startedAt.value_or(0)) + ';';
        if (key != m_runsKey) {
            m_runsKey = key;
            emit runsListed(m_generation, *runs);
        }
        return {};
    }

    QString pollCells()
    {
        if (m_watched == 0)
            return {};
        auto cells = ts::CellRepository(*m_reader).cells(m_watched);
        if (!cells)
            return fromStd(cells.error().message);
        std::string key = std::to_string(m_watched) + '|';
        for (const ts::Cell& c : *cells)
            key += std::to_string(c.id) + ':' + std::to_string(c.createdAt) + ':' + (c.ok() ? '1' : '0') + ';';
        if (key == m_cellsKey)
            return {};
        m_cellsKey = key;
        AbSnapshot snap;
        snap.runId = m_watched;
        snap.cells = std::move(*cells);
        if (!snap.cells.empty()) {
            std::vector<int64_t> ids;
            for (const ts::Cell& c : snap.cells)
                if (ids.empty() || ids.back() != c.exampleId)
                    ids.push_back(c.exampleId);
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            auto examples = ts::ExampleRepository(*m_reader).getMany(ids);
            if (examples)
                snap.examples = std::move(*examples);
            auto summary = ts::promptlab::summarizeRun(*m_reader, m_watched);
            if (summary)
                snap.summary = std::make_shared<const ts::promptlab::AbSummary>(std::move(*summary));
            else
                snap.summaryError = fromStd(summary.error().message);
        }
        emit snapshot(m_generation, snap);
        return {};
    }

    QTimer* m_timer = nullptr;
    quint64 m_generation = 0;
    std::shared_ptr<ts::Database> m_reader;
    qint64 m_watched = 0;
    bool m_paused = false;
    std::string m_runsKey;
    std::string m_cellsKey;
    QString m_lastError;
};

AbFeed::AbFeed(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::vector<ts::Run>>();
    qRegisterMetaType<ts::ui::AbSnapshot>();
    m_thread.setObjectName(QStringLiteral("AbFeed"));
    m_poller = new AbPoller;
    m_poller->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_poller, &QObject::deleteLater);
    connect(m_poller, &AbPoller::runsListed, this, [this](quint64 generation, const std::vector<ts::Run>& runs) {
        if (generation == m_generation)
            emit runsListed(runs);
    });
    connect(m_poller, &AbPoller::snapshot, this, [this](quint64 generation, const ts::ui::AbSnapshot& snap) {
        if (generation == m_generation && snap.runId == m_watched)
            emit snapshot(snap);
    });
    connect(m_poller, &AbPoller::pollError, this, [this](quint64 generation, const QString& message) {
        if (generation == m_generation)
            emit pollError(message);
    });
    m_thread.start();
}

AbFeed::~AbFeed()
{
    AbPoller* poller = m_poller;
    stopPollThread(m_thread, poller, [poller] { poller->stop(); });
}

void AbFeed::setProject(ts::Project* project)
{
    const quint64 generation = ++m_generation;
    m_watched = 0;
    QString error;
    std::shared_ptr<ts::Database> reader = openSharedReader(project, &error);
    if (!error.isEmpty())
        emit pollError(error);
    AbPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, generation, reader] { poller->attach(generation, reader); }, Qt::QueuedConnection);
}

void AbFeed::setWatched(qint64 runId)
{
    m_watched = runId;
    AbPoller* poller = m_poller;
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        poller, [poller, generation, runId] { poller->setWatched(generation, runId); }, Qt::QueuedConnection);
}

void AbFeed::pollNow()
{
    AbPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller] { poller->poll(); }, Qt::QueuedConnection);
}

void AbFeed::setPaused(bool paused)
{
    AbPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, paused] { poller->setPaused(paused); }, Qt::QueuedConnection);
}

} // namespace ts::ui

#include "ab_feed.moc"

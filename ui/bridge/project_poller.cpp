// ProjectPoller: the timer, the run list and error reporting on the poll thread; ProjectFeed: the thread, the
// project's read-only connection (opened on the GUI thread, used and closed on the poll thread) and generations.
#include "bridge/project_poller.h"

#include <algorithm>

#include <QMetaObject>
#include <QTimer>

#include "bridge/path_conversion.h"
#include "store/project.h"

namespace ts::ui {

namespace {

// The fields a view shows or reacts to; `kind` is the query's and `createdAt` never changes.
bool sameListing(const std::vector<ts::Run>& a, const std::vector<ts::Run>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const ts::Run& x = a[i];
        const ts::Run& y = b[i];
        if (x.id != y.id || x.status != y.status || x.name != y.name || x.error != y.error || x.startedAt != y.startedAt
            || x.finishedAt != y.finishedAt || x.config != y.config)
            return false;
    }
    return true;
}

// A new read-only connection to `project` (nullptr for no project, or with *error set when it cannot be opened).
std::shared_ptr<ts::Database> openSharedReader(ts::Project* project, QString* error)
{
    if (!project)
        return nullptr;
    auto opened = project->openReader();
    if (!opened) {
        *error = fromStd(opened.error().message);
        return nullptr;
    }
    return std::make_shared<ts::Database>(std::move(*opened));
}

} // namespace

ProjectPoller::ProjectPoller(ProjectFeed& feed, std::string runKind)
    : m_feed(&feed)
    , m_runKind(std::move(runKind))
{
    m_timer = new QTimer(this);
    m_timer->setInterval(ProjectFeed::kPollIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &ProjectPoller::poll);
    m_soon = new QTimer(this);
    m_soon->setSingleShot(true);
    connect(m_soon, &QTimer::timeout, this, &ProjectPoller::poll);
}

ProjectPoller::~ProjectPoller() = default;

void ProjectPoller::attach(quint64 generation, std::shared_ptr<ts::Database> reader)
{
    m_generation = generation;
    m_reader = std::move(reader);
    m_runs.clear();
    m_listed = false;
    m_lastError.clear();
    reset();
    restart();
}

void ProjectPoller::setPaused(bool paused)
{
    m_paused = paused;
    restart();
}

void ProjectPoller::stop()
{
    m_timer->stop();
    m_soon->stop();
    m_reader.reset();
}

void ProjectPoller::poll()
{
    // Requests from now on need a poll after this one: it may read before their rows are committed.
    m_feed->m_pollRequested = false;
    m_soon->stop();
    if (!m_reader)
        return;
    m_sinceLastPoll.start();
    ++m_feed->m_polls;
    QString error = listRuns();
    if (error.isEmpty())
        error = readWatched(*m_reader);
    if (error != m_lastError) {
        m_lastError = error;
        ProjectFeed* feed = m_feed;
        deliver([feed, error] { emit feed->pollError(error); });
    }
}

void ProjectPoller::requestPoll()
{
    if (m_soon->isActive())
        return;
    const qint64 since = m_sinceLastPoll.isValid() ? m_sinceLastPoll.elapsed() : ProjectFeed::kMinPollGapMs;
    m_soon->start(static_cast<int>(std::max<qint64>(0, ProjectFeed::kMinPollGapMs - since)));
}

void ProjectPoller::countRowsRead(qint64 rows)
{
    m_feed->m_rowsRead += rows;
}

void ProjectPoller::runsChanged(const std::vector<ts::Run>& /*before*/, const std::vector<ts::Run>& /*now*/) { }

void ProjectPoller::deliver(std::function<void()> onGuiThread)
{
    ProjectFeed* feed = m_feed;
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        feed,
        [feed, generation, onGuiThread = std::move(onGuiThread)] {
            if (generation == feed->m_generation)
                onGuiThread();
        },
        Qt::QueuedConnection);
}

void ProjectPoller::restart()
{
    if (m_reader && !m_paused) {
        poll();
        m_timer->start();
    } else {
        m_timer->stop();
        m_soon->stop();
        m_feed->m_pollRequested = false;
    }
}

QString ProjectPoller::listRuns()
{
    auto runs = ts::RunRepository(*m_reader).list(m_runKind);
    if (!runs)
        return fromStd(runs.error().message);
    if (m_listed && sameListing(*runs, m_runs))
        return {};
    runsChanged(m_runs, *runs);
    m_runs = std::move(*runs);
    m_listed = true;
    ProjectFeed* feed = m_feed;
    deliver([feed, runs = m_runs] { emit feed->runsListed(runs); });
    return {};
}

ProjectFeed::ProjectFeed(const QString& threadName, QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<std::vector<ts::Run>>();
    m_thread.setObjectName(threadName);
}

ProjectFeed::~ProjectFeed()
{
    if (!m_poller)
        return;
    // The connection is closed on its own thread (a poll takes milliseconds), then the thread ends and deletes the
    // poller. Deliveries still queued to this object are discarded with it.
    ProjectPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller] { poller->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ProjectFeed::setProject(ts::Project* project)
{
    const quint64 generation = ++m_generation;
    projectChanged();
    QString error;
    std::shared_ptr<ts::Database> reader = openSharedReader(project, &error);
    ProjectPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, generation, reader] { poller->attach(generation, reader); }, Qt::QueuedConnection);
    if (!error.isEmpty())
        emit pollError(error);
}

void ProjectFeed::pollNow()
{
    if (m_pollRequested.exchange(true))
        return; // one is on its way
    ProjectPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller] { poller->requestPoll(); }, Qt::QueuedConnection);
}

void ProjectFeed::setPaused(bool paused)
{
    ProjectPoller* poller = m_poller;
    QMetaObject::invokeMethod(
        poller, [poller, paused] { poller->setPaused(paused); }, Qt::QueuedConnection);
}

void ProjectFeed::startPolling(ProjectPoller* poller)
{
    m_poller = poller;
    m_poller->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_poller, &QObject::deleteLater);
    m_thread.start();
}

void ProjectFeed::queueForProject(std::function<void()> call)
{
    ProjectPoller* poller = m_poller;
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        poller,
        [poller, generation, call = std::move(call)] {
            if (poller->generation() == generation)
                call();
        },
        Qt::QueuedConnection);
}

} // namespace ts::ui

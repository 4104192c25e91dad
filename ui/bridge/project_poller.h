// ProjectFeed / ProjectPoller: the base of every live view of a project file. Jobs write runs and their results (in
// this process, or a `tunesmith-cli` in another on the same project); a feed follows them by polling the file from a
// worker thread with a read-only connection of its own, so the GUI thread never runs a query and never waits for one.
// Polls are incremental (a poller keeps cursors and what it has read, and reads only rows newer than those) and
// coalesced (a burst of "new data" notifications becomes one read).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

#include "store/run_repository.h"

class QTimer;

namespace ts {
class Database;
class Project;
} // namespace ts

Q_DECLARE_METATYPE(std::vector<ts::Run>)

namespace ts::ui {

class ProjectFeed;

// The worker half of a feed: lives on the feed's poll thread, and every method runs there. It holds the read-only
// connection and the timer; each poll lists the runs of one kind (RunRepository::list), reports the list when it
// changed, then calls readWatched() for what the view watches. SQLite's WAL lets it read while a writer commits.
//
// A new live view derives a poller from this class and overrides, all on the poll thread:
//   - readWatched(): read what the view shows that is new since the last poll (keep cursors, e.g. the highest id
//     read) and send it with deliver(); count the rows read with countRowsRead(); return "" or the error message;
//   - reset() (optional): forget cursors and keys, called when a project (or none) is attached;
//   - runsChanged() (optional): react to the run list changing, before readWatched() runs in that same poll.
// Its own watch setters are queued from the feed with ProjectFeed::queueForProject().
class ProjectPoller : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectPoller)

public:
    ~ProjectPoller() override;

    // Called by ProjectFeed, each queued onto this thread.
    void attach(quint64 generation, std::shared_ptr<ts::Database> reader); // null reader: no project
    void setPaused(bool paused); // while paused nothing is read; resuming polls at once
    void stop(); // closes the connection on this thread before the thread ends
    // One poll now: the run list, then readWatched() when the list could be read; a changed error is reported.
    void poll();
    // A poll soon: at once when the last one is ProjectFeed::kMinPollGapMs old, else when it will be; requests made
    // until then are one poll.
    void requestPoll();

    quint64 generation() const { return m_generation; }

protected:
    // `runKind`: the runs this view lists ("train", "ab_test", ...; see ts::Run::kind).
    ProjectPoller(ProjectFeed& feed, std::string runKind);

    // Extension points (poll thread).
    virtual QString readWatched(ts::Database& reader) = 0;
    virtual void reset() { }
    // `before` is empty on the first listing after attach(); `now` is newest first, like the list the view gets.
    virtual void runsChanged(const std::vector<ts::Run>& before, const std::vector<ts::Run>& now);

    // The connection, or nullptr when no project is attached.
    ts::Database* reader() const { return m_reader.get(); }
    // The runs as listed by the poll in progress (newest first), e.g. to know whether a watched run still runs.
    const std::vector<ts::Run>& runs() const { return m_runs; }
    // Adds to the feed's count of rows read (ProjectFeed::rowsRead).
    void countRowsRead(qint64 rows);
    // Runs `onGuiThread` on the GUI thread (queued), unless the feed has switched projects by then: results of a
    // previous project that are still in flight are dropped. Typically it emits one of the feed's signals.
    void deliver(std::function<void()> onGuiThread);

private:
    void restart();
    QString listRuns();

    ProjectFeed* m_feed = nullptr;
    std::string m_runKind;
    QTimer* m_timer = nullptr;
    QTimer* m_soon = nullptr; // the requested poll
    QElapsedTimer m_sinceLastPoll;
    quint64 m_generation = 0;
    std::shared_ptr<ts::Database> m_reader;
    bool m_paused = false;
    std::vector<ts::Run> m_runs; // as last listed
    bool m_listed = false; // m_runs holds this project's list
    QString m_lastError;
};

// The GUI half of a feed: owns the poll thread and its ProjectPoller, switches projects, pauses, and carries the
// signals every live view shares. Results arrive as queued calls from the poller, each tagged with the project's
// generation so that a project switch discards what was read from the previous one.
//
// A new live view derives a feed from this class: its constructor creates its poller (a ProjectPoller subclass
// constructed with *this) and hands it to startPolling(); it adds the view's signals and watch setters (the latter
// update the GUI-side copy and queueForProject() the poller's setter), and overrides projectChanged() to clear that
// copy. The poller emits the feed's signals through ProjectPoller::deliver().
class ProjectFeed : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectFeed)

public:
    static constexpr int kPollIntervalMs = 300; // ~3 Hz
    static constexpr int kMinPollGapMs = 100; // pollNow() polls at most at 10 Hz

    ~ProjectFeed() override; // stops and joins the poll thread

    // nullptr stops polling. The project only has to live through this call.
    void setProject(ts::Project* project);
    // An extra poll soon (e.g. right after a run starts or ends, or a job stored a row): at most kMinPollGapMs after
    // the last one; calls until it runs are one poll. Any thread.
    void pollNow();
    // While paused (the page is not shown) nothing is read; resuming polls at once.
    void setPaused(bool paused);

    // For tests and diagnostics (any thread): polls run and rows read by them since the feed was made.
    qint64 pollCount() const { return m_polls.load(); }
    qint64 rowsRead() const { return m_rowsRead.load(); }

signals:
    // The runs of the poller's kind, newest first: once after each setProject() and whenever a run is added or
    // changes (status, name, error, config, start or finish time).
    void runsListed(const std::vector<ts::Run>& runs);
    // A poll failed (a transient lock, a deleted file); the next poll tries again. "" after a good poll.
    void pollError(const QString& message);

protected:
    // `threadName` names the poll thread (seen in debuggers).
    ProjectFeed(const QString& threadName, QObject* parent);

    // Takes `poller` (created on this thread, without a parent), moves it to the poll thread and starts polling.
    // Call once, from the derived constructor.
    void startPolling(ProjectPoller* poller);
    // Runs `call` on the poll thread, unless the project changes before it runs there.
    void queueForProject(std::function<void()> call);
    // GUI thread, at setProject(): forget what was watched in the previous project.
    virtual void projectChanged() { }

private:
    friend class ProjectPoller; // deliver() checks the generation

    QThread m_thread;
    ProjectPoller* m_poller = nullptr;
    quint64 m_generation = 0;
    std::atomic<bool> m_pollRequested {false}; // a requestPoll() is queued or pending on the poll thread
    std::atomic<qint64> m_polls {0};
    std::atomic<qint64> m_rowsRead {0};
};

} // namespace ts::ui

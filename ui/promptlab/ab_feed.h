// AbFeed: follows a project's A/B test runs and the cells of the run on screen as they are stored — by this
// page's job or by `tunesmith-cli ab` in another process — by polling the project file from a worker thread
// with its own read-only connection. When the watched run's cells change, they and the run's summary
// (promptlab::summarizeRun: bootstrap CIs, verdicts) are computed there and sent to the GUI thread.
#pragma once

#include <memory>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>

#include "promptlab/ab_summary.h"
#include "store/example.h"
#include "promptlab/cell_repository.h"
#include "store/run_repository.h"
#include "training/metrics_feed.h" // Q_DECLARE_METATYPE(std::vector<ts::Run>), shared with the Training page

namespace ts {
class Project;
}

namespace ts::ui {

class AbPoller;

// What the GUI gets for the watched run: every cell, and the summary (or why there is none yet).
struct AbSnapshot
{
    qint64 runId = 0;
    std::vector<ts::Cell> cells;
    std::vector<ts::Example> examples; // those the cells name (input and reference), by id
    std::shared_ptr<const ts::promptlab::AbSummary> summary; // null with summaryError set
    QString summaryError;
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::AbSnapshot)

namespace ts::ui {

class AbFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbFeed)

public:
    static constexpr int kPollIntervalMs = 300;

    explicit AbFeed(QObject* parent = nullptr);
    ~AbFeed() override; // stops and joins the worker

    void setProject(ts::Project* project); // nullptr stops
    void setWatched(qint64 runId); // 0: none; a new run id sends a snapshot at the next poll
    qint64 watched() const { return m_watched; }
    void pollNow();
    void setPaused(bool paused);

signals:
    void runsListed(const std::vector<ts::Run>& runs); // "ab_test" runs, newest first, when they change
    void snapshot(const ts::ui::AbSnapshot& snapshot); // the watched run's cells changed
    void pollError(const QString& message); // "" after a good poll

private:
    QThread m_thread;
    AbPoller* m_poller = nullptr;
    quint64 m_generation = 0;
    qint64 m_watched = 0;
};

} // namespace ts::ui

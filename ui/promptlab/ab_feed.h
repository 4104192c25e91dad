// AbFeed: follows a project's A/B test runs and the cells of the run on screen as they are stored — by this
// page's job or by `tunesmith-cli ab` in another process — by polling the project file from a worker thread
// with its own read-only connection (a ProjectFeed). When the watched run's cells change, they and the run's summary
// (promptlab::summarizeRun: bootstrap CIs, verdicts) are computed there and sent to the GUI thread.
#pragma once

#include <memory>
#include <vector>

#include <QMetaType>
#include <QString>

#include "bridge/project_poller.h"
#include "promptlab/ab_summary.h"
#include "promptlab/cell_repository.h"
#include "store/example.h"

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

class AbFeed final : public ProjectFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbFeed)

public:
    explicit AbFeed(QObject* parent = nullptr);

    // runsListed: the "ab_test" runs, newest first, when they change.
    void setWatched(qint64 runId); // 0: none; a new run id sends a snapshot at the next poll
    qint64 watched() const { return m_watched; }

signals:
    void snapshot(const ts::ui::AbSnapshot& snapshot); // the watched run's cells changed

private:
    void projectChanged() override;

    AbPoller* m_poller = nullptr;
    qint64 m_watched = 0;
};

} // namespace ts::ui

// AbFeed: follows a project's A/B test runs and the cells of the run on screen as they are stored — by this
// page's job or by `tunesmith-cli ab` in another process — by polling the project file from a worker thread
// with its own read-only connection (a ProjectFeed). Each poll reads only the cells and scores stored since the
// last one (promptlab::CellTail, which keeps the run's cells on the poll thread) and sends them to the GUI thread as
// an AbUpdate to add to the grid. The summary (promptlab::summarizeCells: bootstrap CIs, verdicts) is computed
// there too: while the run goes, at most every kLiveSummaryIntervalMs with kLiveResamples resamples (a live
// estimate); once more with the full resamples when it has ended.
#pragma once

#include <memory>
#include <vector>

#include <QMetaType>
#include <QString>
#include <QStringList>

#include "bridge/project_poller.h"
#include "promptlab/ab_summary.h"
#include "promptlab/cell_tail.h"
#include "store/example.h"

namespace ts::ui {

class AbPoller;

// What is new for the watched run since the previous update.
struct AbUpdate
{
    qint64 runId = 0;
    bool replace = false; // the first update of a watched run: `added` holds every cell so far
    std::vector<ts::Cell> added; // cells at a (variant, example, repeat) not sent before
    std::vector<ts::Cell> changed; // cells sent before, replaced (a resumed run) or with a new score
    std::vector<ts::Example> examples; // those the cells name for the first time (input and reference)
    QStringList variantOrder; // the run's variant labels, baseline first (with `replace`)
    ts::promptlab::CellTotals totals; // over every cell of the run so far

    // The summary, when this update recomputed it (summaryChanged); null with summaryError set when it failed.
    bool summaryChanged = false;
    std::shared_ptr<const ts::promptlab::AbSummary> summary;
    QString summaryError;
    bool summaryLive = false; // a live estimate (kLiveResamples), not the final numbers
    int resamples = 0;
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::AbUpdate)

namespace ts::ui {

class AbFeed final : public ProjectFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbFeed)

public:
    static constexpr int kLiveSummaryIntervalMs = 2000;
    static constexpr int kLiveResamples = 1000;

    explicit AbFeed(QObject* parent = nullptr);

    // runsListed: the "ab_test" runs, newest first, when they change.
    void setWatched(qint64 runId); // 0: none; a new run id sends an update with `replace` at the next poll
    qint64 watched() const { return m_watched; }

signals:
    void updated(const ts::ui::AbUpdate& update); // the watched run has new cells, or a new summary

private:
    void projectChanged() override;

    AbPoller* m_poller = nullptr;
    qint64 m_watched = 0;
};

} // namespace ts::ui

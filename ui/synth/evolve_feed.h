// EvolveFeed: follows a project's "evolve" runs and the rows of the run on screen as they are stored — by this
// page's job or by `tunesmith-cli evolve` in another process — by polling the project file from a worker thread
// (a ProjectFeed). Each poll reads the watched run's rows changed since the last one
// (SyntheticRowRepository::changedSince) and, when any changed, the run's funnel, and sends both to the GUI thread
// as an EvolveUpdate.
#pragma once

#include <vector>

#include <QMetaType>

#include "bridge/project_poller.h"
#include "synth/synthetic_row.h"

namespace ts::ui {

class EvolvePoller;

// What is new for the watched run since the previous update.
struct EvolveUpdate
{
    qint64 runId = 0;
    std::vector<ts::synth::SyntheticRow> rows; // new or changed since the previous update (every row in the first)
    ts::synth::SyntheticFunnel funnel; // of the whole run, as of this poll
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::EvolveUpdate)

namespace ts::ui {

class EvolveFeed final : public ProjectFeed
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvolveFeed)

public:
    explicit EvolveFeed(QObject* parent = nullptr);

    // runsListed: the "evolve" runs, newest first, when they change.
    void setWatched(qint64 runId); // 0: none; a new run id sends every row of the run at the next poll
    qint64 watched() const { return m_watched; }
    // The funnel is read again at the next poll even when no row changed (the user reviewed or promoted rows).
    void refreshFunnel();

signals:
    void updated(const ts::ui::EvolveUpdate& update);

private:
    void projectChanged() override;

    EvolvePoller* m_poller = nullptr;
    qint64 m_watched = 0;
};

} // namespace ts::ui

// EvolveFeed / EvolvePoller: the watched run's cursor (the newest updatedAt read, and the ids read at that
// millisecond, so a row updated in the same millisecond as the cursor is neither lost nor sent twice).
#include "synth/evolve_feed.h"

#include <algorithm>
#include <map>

#include "bridge/path_conversion.h"
#include "synth/synthetic_row_repository.h"

namespace ts::ui {

// Lives on EvolveFeed's poll thread; every method runs there.
class EvolvePoller final : public ProjectPoller
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvolvePoller)

public:
    explicit EvolvePoller(EvolveFeed& feed)
        : ProjectPoller(feed, "evolve")
        , m_feed(&feed)
    { }

    void setWatched(qint64 runId)
    {
        reset();
        m_watched = runId;
        poll();
    }

    void refreshFunnel()
    {
        m_funnelDue = true;
        poll();
    }

private:
    void reset() override
    {
        m_watched = 0;
        m_sinceMs = 0;
        m_seen.clear();
        m_sentFirst = false;
        m_funnelDue = false;
    }

    QString readWatched(ts::Database& reader) override
    {
        if (m_watched == 0)
            return {};
        ts::synth::SyntheticRowRepository repo(reader);
        auto changed = repo.changedSince(m_watched, m_sinceMs);
        if (!changed)
            return fromStd(changed.error().message);
        countRowsRead(static_cast<qint64>(changed->size()));
        EvolveUpdate update;
        update.runId = m_watched;
        for (ts::synth::SyntheticRow& row : *changed) {
            auto seen = m_seen.find(row.id);
            if (seen != m_seen.end() && seen->second == row.updatedAt)
                continue; // read by an earlier poll (rows at the cursor's millisecond come again)
            m_seen[row.id] = row.updatedAt;
            m_sinceMs = std::max(m_sinceMs, row.updatedAt);
            update.rows.push_back(std::move(row));
        }
        if (m_sentFirst && update.rows.empty() && !m_funnelDue)
            return {};
        auto funnel = repo.funnel(m_watched);
        if (!funnel)
            return fromStd(funnel.error().message);
        update.funnel = *funnel;
        m_sentFirst = true;
        m_funnelDue = false;
        EvolveFeed* feed = m_feed;
        deliver([feed, update = std::move(update)] {
            if (update.runId == feed->watched())
                emit feed->updated(update);
        });
        return {};
    }

    EvolveFeed* m_feed = nullptr;
    qint64 m_watched = 0;
    int64_t m_sinceMs = 0;
    std::map<int64_t, int64_t> m_seen; // row id → the updatedAt sent
    bool m_sentFirst = false;
    bool m_funnelDue = false;
};

EvolveFeed::EvolveFeed(QObject* parent)
    : ProjectFeed(QStringLiteral("EvolveFeed"), parent)
{
    qRegisterMetaType<ts::ui::EvolveUpdate>();
    m_poller = new EvolvePoller(*this);
    startPolling(m_poller);
}

void EvolveFeed::setWatched(qint64 runId)
{
    m_watched = runId;
    EvolvePoller* poller = m_poller;
    queueForProject([poller, runId] { poller->setWatched(runId); });
}

void EvolveFeed::refreshFunnel()
{
    EvolvePoller* poller = m_poller;
    queueForProject([poller] { poller->refreshFunnel(); });
}

void EvolveFeed::projectChanged()
{
    m_watched = 0;
}

} // namespace ts::ui

#include "evolve_feed.moc"

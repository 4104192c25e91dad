// AbFeed / AbPoller: a cheap fingerprint of the watched run's cells (ids, times, errors) decides on the poll thread
// whether the cells are sent again and the (bootstrap) summary is computed again.
#include "promptlab/ab_feed.h"

#include <algorithm>

#include "bridge/path_conversion.h"
#include "store/example_repository.h"

namespace ts::ui {

// Lives on AbFeed's poll thread; every method runs there.
class AbPoller final : public ProjectPoller
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AbPoller)

public:
    explicit AbPoller(AbFeed& feed)
        : ProjectPoller(feed, "ab_test")
        , m_feed(&feed)
    { }

    void setWatched(qint64 runId)
    {
        m_watched = runId;
        m_cellsKey.clear();
        poll();
    }

private:
    void reset() override
    {
        m_watched = 0;
        m_cellsKey.clear();
    }

    QString readWatched(ts::Database& reader) override
    {
        if (m_watched == 0)
            return {};
        auto cells = ts::CellRepository(reader).cells(m_watched);
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
            auto examples = ts::ExampleRepository(reader).getMany(ids);
            if (examples)
                snap.examples = std::move(*examples);
            auto summary = ts::promptlab::summarizeRun(reader, m_watched);
            if (summary)
                snap.summary = std::make_shared<const ts::promptlab::AbSummary>(std::move(*summary));
            else
                snap.summaryError = fromStd(summary.error().message);
        }
        AbFeed* feed = m_feed;
        deliver([feed, snap = std::move(snap)] {
            if (snap.runId == feed->watched())
                emit feed->snapshot(snap);
        });
        return {};
    }

    AbFeed* m_feed = nullptr;
    qint64 m_watched = 0;
    std::string m_cellsKey;
};

AbFeed::AbFeed(QObject* parent)
    : ProjectFeed(QStringLiteral("AbFeed"), parent)
{
    qRegisterMetaType<ts::ui::AbSnapshot>();
    m_poller = new AbPoller(*this);
    startPolling(m_poller);
}

void AbFeed::setWatched(qint64 runId)
{
    m_watched = runId;
    AbPoller* poller = m_poller;
    queueForProject([poller, runId] { poller->setWatched(runId); });
}

void AbFeed::projectChanged()
{
    m_watched = 0;
}

} // namespace ts::ui

#include "ab_feed.moc"

// AbFeed / AbPoller: the watched run's CellTail, which examples were sent, and when the summary is due.
#include "promptlab/ab_feed.h"

#include <algorithm>
#include <set>

#include <QElapsedTimer>

#include "bridge/path_conversion.h"
#include "promptlab/spend_ledger.h"
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
        reset();
        m_watched = runId;
        poll();
    }

private:
    void reset() override
    {
        m_watched = 0;
        m_tail.reset();
        m_setup.reset();
        m_setupError.clear();
        m_examplesSent.clear();
        m_sentFirst = false;
        m_summaryStale = false;
        m_finalDone = false;
        m_sinceSummary.invalidate();
    }

    // Whether the watched run may still store cells, from the list read at the start of this poll (a run not
    // listed yet has just been created).
    bool watchedIsLive() const
    {
        for (const ts::Run& run : runs())
            if (run.id == m_watched)
                return run.status == ts::RunStatus::Pending || run.status == ts::RunStatus::Running;
        return true;
    }

    QString readWatched(ts::Database& reader) override
    {
        if (m_watched == 0)
            return {};
        // The status first (listed before this call): a run seen ended has stored every cell the read below gets.
        const bool live = watchedIsLive();
        if (!m_tail)
            m_tail = std::make_unique<ts::promptlab::CellTail>(m_watched);
        if (!m_setup) {
            auto setup = ts::promptlab::summarySetup(reader, m_watched);
            if (setup)
                m_setup = std::move(*setup);
            else
                m_setupError = fromStd(setup.error().message);
        }
        auto delta = m_tail->readNew(reader);
        if (!delta)
            return fromStd(delta.error().message);
        countRowsRead(delta->rowsRead);
        if (!delta->empty())
            m_summaryStale = true;
        if (live)
            m_finalDone = false; // (again: a resumed run)

        AbUpdate update;
        update.runId = m_watched;
        update.replace = !m_sentFirst;
        if (m_tail->size() > 0) {
            const bool liveDue = live && m_summaryStale
                && (!m_sinceSummary.isValid() || m_sinceSummary.elapsed() >= AbFeed::kLiveSummaryIntervalMs);
            const bool finalDue = !live && (m_summaryStale || !m_finalDone);
            if (liveDue || finalDue)
                summarize(reader, update, live);
        }
        if (m_sentFirst && delta->empty() && !update.summaryChanged)
            return {};
        m_sentFirst = true;
        update.added = std::move(delta->added);
        update.changed = std::move(delta->changed);
        update.totals = m_tail->totals();
        if (update.replace && m_setup)
            for (const std::string& label : m_setup->variantOrder)
                update.variantOrder.append(fromStd(label));
        // Without its examples (a failed read) a row shows the input from the cell's request, and no reference.
        const QString error = newExamples(reader, update);
        AbFeed* feed = m_feed;
        deliver([feed, update = std::move(update)] {
            if (update.runId == feed->watched())
                emit feed->updated(update);
        });
        return error;
    }

    void summarize(ts::Database& reader, AbUpdate& update, bool live)
    {
        update.summaryChanged = true;
        update.summaryLive = live;
        ts::eval::BootstrapOptions options;
        if (live)
            options.resamples = AbFeed::kLiveResamples;
        update.resamples = options.resamples;
        m_summaryStale = false;
        m_finalDone = !live;
        m_sinceSummary.start();
        if (!m_setup) {
            update.summaryError = m_setupError;
            return;
        }
        auto summary = ts::promptlab::summarizeCells(m_tail->cellsInRunOrder(), m_setup->variantOrder,
                                                     m_setup->pointsPerUnit, options, m_setup->units);
        if (!summary) {
            update.summaryError = fromStd(summary.error().message);
            return;
        }
        // Spend by role comes from the run's ledger (judge and pairwise calls have no cell of their own): one
        // indexed sum per summary.
        auto ledger = ts::promptlab::runSpend(reader, m_watched);
        if (ledger && *ledger)
            summary->spend = **ledger;
        update.summary = std::make_shared<const ts::promptlab::AbSummary>(std::move(*summary));
    }

    // Reads the examples the update's cells name that were not sent before; returns "" or the error.
    QString newExamples(ts::Database& reader, AbUpdate& update)
    {
        std::vector<int64_t> ids;
        for (const auto* list : {&update.added, &update.changed})
            for (const ts::Cell& c : *list)
                if (c.exampleId != 0 && !m_examplesSent.count(c.exampleId))
                    ids.push_back(c.exampleId);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        if (ids.empty())
            return {};
        auto examples = ts::ExampleRepository(reader).getMany(ids);
        if (!examples)
            return fromStd(examples.error().message);
        m_examplesSent.insert(ids.begin(), ids.end());
        update.examples = std::move(*examples);
        return {};
    }

    AbFeed* m_feed = nullptr;
    qint64 m_watched = 0;
    std::unique_ptr<ts::promptlab::CellTail> m_tail;
    std::optional<ts::promptlab::AbSummarySetup> m_setup;
    QString m_setupError;
    std::set<int64_t> m_examplesSent;
    bool m_sentFirst = false; // the update with `replace` went out
    bool m_summaryStale = false; // cells arrived since the last summary
    bool m_finalDone = false; // the last summary has the full resamples and the run has ended
    QElapsedTimer m_sinceSummary;
};

AbFeed::AbFeed(QObject* parent)
    : ProjectFeed(QStringLiteral("AbFeed"), parent)
{
    qRegisterMetaType<ts::ui::AbUpdate>();
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

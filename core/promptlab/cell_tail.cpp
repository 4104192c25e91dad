// CellTail: the three cursor queries of a read (see the header), and merging their rows into the cells held.
#include "promptlab/cell_tail.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace ts::promptlab {

namespace {

// A read-only snapshot: SAVEPOINT starts a (deferred) transaction when none is open and nests otherwise.
class ReadSnapshot
{
public:
    static Expected<ReadSnapshot> begin(Database& db)
    {
        if (auto s = db.exec("SAVEPOINT cell_tail"); !s)
            return s.error();
        return ReadSnapshot(db);
    }
    ReadSnapshot(ReadSnapshot&& other) noexcept
        : m_db(std::exchange(other.m_db, nullptr))
    { }
    ReadSnapshot& operator=(ReadSnapshot&&) = delete;
    ~ReadSnapshot()
    {
        if (m_db)
            (void)m_db->exec("RELEASE cell_tail");
    }

private:
    explicit ReadSnapshot(Database& db)
        : m_db(&db)
    { }
    Database* m_db;
};

// Whether a cell read again at the cursor is still the row held (not a replacement that got the same id back).
bool sameRow(const Cell& a, const Cell& b)
{
    return a.createdAt == b.createdAt && a.variant == b.variant && a.exampleId == b.exampleId && a.repeat == b.repeat
        && a.output == b.output && a.error == b.error && a.attempts == b.attempts && a.latencyMs == b.latencyMs;
}

} // namespace

void CellTail::putScore(Held& held, int64_t scoreId, CellScore score)
{
    auto& ids = held.scoreIds;
    auto& scores = held.cell.scores;
    for (size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == scoreId || scores[i].scorer == score.scorer) {
            ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(i));
            scores.erase(scores.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
    const auto at = std::upper_bound(ids.begin(), ids.end(), scoreId);
    scores.insert(scores.begin() + (at - ids.begin()), std::move(score));
    ids.insert(at, scoreId);
}

Expected<CellsDelta> CellTail::readNew(Database& reader)
{
    auto snapshot = ReadSnapshot::begin(reader);
    if (!snapshot)
        return snapshot.error();
    CellsDelta delta;

    // 1. Cells at or after the cursor. The first read uses the run's index; later ones walk the id range only
    //    ("+run_id" keeps SQLite from scanning the run's whole index instead).
    const int64_t cursorBefore = m_cellCursor;
    const bool first = cursorBefore == 0;
    auto st = reader.prepare(std::string("SELECT ") + kCellColumns + " FROM cells WHERE "
                             + (first ? "run_id = ?1" : "id >= ?2 AND +run_id = ?1") + " ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, m_runId);
    if (!first)
        st->bind(2, m_cellCursor);
    std::set<int64_t> arrived; // cells new or replaced in this read: their scores are read by cell id
    const bool hadCells = !m_cells.empty();
    if (auto s = st->forEachRow([&](Statement& r) {
            ++delta.rowsRead;
            Cell cell = cellFromRow(r);
            m_cellCursor = std::max(m_cellCursor, cell.id);
            if (auto same = m_cells.find(cell.id); same != m_cells.end()) {
                if (sameRow(same->second.cell, cell))
                    return; // the row at the cursor, unchanged
            }
            const Key key = keyOf(cell);
            bool replaces = false;
            if (auto old = m_idByKey.find(key); old != m_idByKey.end()) {
                m_cells.erase(old->second);
                replaces = true;
            }
            if (auto sameId = m_cells.find(cell.id); sameId != m_cells.end()) { // id reused for another key
                m_idByKey.erase(keyOf(sameId->second.cell));
                m_cells.erase(sameId);
            }
            m_idByKey[key] = cell.id;
            arrived.insert(cell.id);
            const int64_t id = cell.id;
            m_cells[id] = Held {std::move(cell), {}};
            if (replaces)
                delta.changed.push_back(m_cells[id].cell); // scores filled in below
            else
                delta.added.push_back(m_cells[id].cell);
        });
        !s)
        return s.error();

    // 2. Scores of the cells that arrived, by cell id (the range may hold other runs' cells: skipped).
    std::set<int64_t> scored; // held cells that got a score in this read
    auto take = [&](Statement& r) {
        ++delta.rowsRead;
        const int64_t scoreId = r.columnInt(0);
        auto held = m_cells.find(r.columnInt(1));
        if (held == m_cells.end())
            return;
        m_scoreCursor = std::max(m_scoreCursor, scoreId);
        putScore(held->second, scoreId, scoreFromRow(r, 2));
        scored.insert(held->first);
    };
    if (!arrived.empty()) {
        auto sc = reader.prepare(std::string("SELECT id, cell_id, ") + kScoreColumns
                                 + " FROM scores WHERE cell_id BETWEEN ? AND ? ORDER BY id");
        if (!sc)
            return sc.error();
        sc->bind(1, *arrived.begin()).bind(2, *arrived.rbegin());
        if (auto s = sc->forEachRow([&](Statement& r) {
                if (arrived.count(r.columnInt(1)))
                    take(r);
                else
                    ++delta.rowsRead;
            });
            !s)
            return s.error();
    }

    // 3. Scores added to cells held before this read (ids up to the cursor before it): score ids after the score
    //    cursor, this run's only (the cross join makes SQLite walk the scores' id range and look each cell up,
    //    rather than walk the run's cells).
    if (hadCells) {
        auto sc = reader.prepare(std::string("SELECT s.id, s.cell_id, ") + kScoreColumns
                                 + " FROM scores s CROSS JOIN cells c ON c.id = s.cell_id WHERE s.id > ? AND "
                                   "c.run_id = ? AND c.id <= ? ORDER BY s.id");
        if (!sc)
            return sc.error();
        sc->bind(1, m_scoreCursor).bind(2, m_runId).bind(3, cursorBefore);
        if (auto s = sc->forEachRow([&](Statement& r) {
                if (arrived.count(r.columnInt(1)))
                    ++delta.rowsRead; // already read by cell id above
                else
                    take(r);
            });
            !s)
            return s.error();
    }

    // The cells' final state: those that arrived now carry their scores; held ones that got a score are changed.
    for (auto* list : {&delta.added, &delta.changed})
        for (Cell& c : *list)
            c.scores = m_cells[c.id].cell.scores;
    for (int64_t id : scored)
        if (!arrived.count(id))
            delta.changed.push_back(m_cells[id].cell);
    m_rowsRead += delta.rowsRead;
    return delta;
}

std::vector<Cell> CellTail::cellsInRunOrder() const
{
    std::vector<Cell> out;
    out.reserve(m_cells.size());
    for (const auto& [key, id] : m_idByKey) // ordered by variant, example, repeat
        out.push_back(m_cells.at(id).cell);
    return out;
}

CellTotals CellTail::totals() const
{
    CellTotals t;
    for (const auto& [id, held] : m_cells) {
        ++t.cells;
        t.failed += held.cell.ok() ? 0 : 1;
        if (held.cell.cost) {
            ++t.priced;
            t.spentUsd += *held.cell.cost;
        }
    }
    return t;
}

} // namespace ts::promptlab

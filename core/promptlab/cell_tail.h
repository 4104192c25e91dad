// CellTail: follows the cells of one A/B test run as they are stored, like `tail -f`: each read returns only the
// rows newer than those already seen, and the tail keeps every cell it has read (with its scores) in memory, so a
// live view never reads a cell twice and can summarise the run without going back to the file.
//
// What is read each time, in one read transaction (a consistent snapshot):
//   - cells with id >= the highest id seen (the row at the cursor itself is read again: a cell that is replaced
//     — a resumed run rewrites its failed cells — is deleted and inserted, and gets the same id back when it was
//     the highest of the table); a cell whose (variant, example, repeat) is already held replaces the old one;
//   - the scores of the cells that arrived (by cell id: a replaced cell's scores may reuse freed ids);
//   - scores added to cells read earlier (the pairwise judge scores finished cells): score id > the highest seen.
// Rows are never updated in place by the A/B job (a cell is replaced, a pairwise score is only added once), so
// these cursors see every change it makes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/expected.h"
#include "promptlab/cell_repository.h"
#include "store/database.h"

namespace ts::promptlab {

// What one read brought.
struct CellsDelta
{
    std::vector<Cell> added; // cells at a (variant, example, repeat) not held before, in id order
    std::vector<Cell> changed; // held cells that were replaced or got a new score: their whole new state
    int64_t rowsRead = 0; // cell and score rows the queries returned
    bool empty() const { return added.empty() && changed.empty(); }
};

// Running totals over the cells held.
struct CellTotals
{
    int64_t cells = 0;
    int64_t failed = 0;
    int64_t priced = 0; // cells with a known cost
    double spentUsd = 0;
};

class CellTail
{
public:
    explicit CellTail(int64_t runId)
        : m_runId(runId)
    { }

    int64_t runId() const { return m_runId; }

    // Reads what is new since the last call (everything on the first).
    Expected<CellsDelta> readNew(Database& reader);

    // Every cell held, ordered like CellRepository::cells (variant, example, repeat) with scores in id order: the
    // input summarizeCells() gets from a full read.
    std::vector<Cell> cellsInRunOrder() const;
    CellTotals totals() const;
    size_t size() const { return m_cells.size(); }
    int64_t rowsRead() const { return m_rowsRead; } // over all reads

private:
    struct Held
    {
        Cell cell;
        std::vector<int64_t> scoreIds; // parallel to cell.scores, ascending
    };
    // variant, example, repeat; and the cell id when the example is gone (NULL), as several cells may share that
    using Key = std::tuple<std::string, int64_t, int, int64_t>;
    static Key keyOf(const Cell& cell)
    {
        return {cell.variant, cell.exampleId, cell.repeat, cell.exampleId ? 0 : cell.id};
    }

    static void putScore(Held& held, int64_t scoreId, CellScore score);

    int64_t m_runId = 0;
    std::map<int64_t, Held> m_cells; // by cell id
    std::map<Key, int64_t> m_idByKey;
    int64_t m_cellCursor = 0; // highest cell id read (0: nothing yet)
    int64_t m_scoreCursor = 0; // highest score id read for this run's cells
    int64_t m_rowsRead = 0;
};

} // namespace ts::promptlab

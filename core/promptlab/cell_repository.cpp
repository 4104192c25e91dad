#include "promptlab/cell_repository.h"

#include <map>

#include "store/run_repository.h" // unixMillisNow

namespace ts {

Status CellRepository::put(Cell& c, const std::vector<promptlab::CallSpend>& spend)
{
    if (c.createdAt == 0)
        c.createdAt = unixMillisNow();
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    // Replacing deletes the old row, and its scores with it (ON DELETE CASCADE).
    auto del = m_db.prepare("DELETE FROM cells WHERE run_id = ? AND variant = ? AND example_id = ? AND repeat = ?");
    if (!del)
        return del.error();
    del->bind(1, c.runId).bind(2, c.variant).bind(3, c.exampleId).bind(4, c.repeat);
    if (auto s = del->run(); !s)
        return s;
    auto ins = m_db.prepare(
        "INSERT INTO cells (run_id, variant, example_id, repeat, request, output, tokens_in, tokens_out, "
        "latency_ms, cost, created_at, prompt_version_id, error, error_kind, attempts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!ins)
        return ins.error();
    ins->bind(1, c.runId)
        .bind(2, c.variant)
        .bind(3, c.exampleId)
        .bind(4, c.repeat)
        .bind(5, c.request)
        .bind(6, c.output)
        .bind(7, c.tokensIn)
        .bind(8, c.tokensOut)
        .bind(9, c.latencyMs)
        .bind(10, c.cost)
        .bind(11, c.createdAt)
        .bind(12, c.promptVersionId)
        .bind(13, c.error)
        .bind(14, c.errorKind)
        .bind(15, c.attempts);
    if (auto s = ins->run(); !s)
        return s;
    c.id = m_db.lastInsertId();
    auto score = m_db.prepare("INSERT INTO scores (cell_id, scorer, value, rationale, passed) VALUES (?, ?, ?, ?, ?)");
    if (!score)
        return score.error();
    for (const auto& s : c.scores) {
        score->reset();
        score->bind(1, c.id).bind(2, s.scorer).bind(3, s.value).bind(4, s.detail);
        if (s.passed)
            score->bind(5, *s.passed ? 1 : 0);
        else
            score->bindNull(5);
        if (auto r = score->run(); !r)
            return r;
    }
    if (auto r = promptlab::appendSpend(m_db, c.runId, c.id, spend); !r)
        return r;
    return tx->commit();
}

Status CellRepository::putScore(const Cell& cell, const CellScore& s, const std::vector<promptlab::CallSpend>& spend)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto st = m_db.prepare("INSERT INTO scores (cell_id, scorer, value, rationale, passed) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT(cell_id, scorer) DO UPDATE SET value = excluded.value, "
                           "rationale = excluded.rationale, passed = excluded.passed");
    if (!st)
        return st.error();
    st->bind(1, cell.id).bind(2, s.scorer).bind(3, s.value).bind(4, s.detail);
    if (s.passed)
        st->bind(5, *s.passed ? 1 : 0);
    else
        st->bindNull(5);
    if (auto r = st->run(); !r)
        return r;
    if (auto r = promptlab::appendSpend(m_db, cell.runId, cell.id, spend); !r)
        return r;
    return tx->commit();
}

Expected<std::set<CellKey>> CellRepository::doneCells(int64_t runId)
{
    auto st = m_db.prepare("SELECT variant, example_id, repeat FROM cells WHERE run_id = ? AND error = ''");
    if (!st)
        return st.error();
    st->bind(1, runId);
    std::set<CellKey> out;
    if (auto s = st->forEachRow(
            [&](Statement& r) { out.emplace(r.columnText(0), r.columnInt(1), static_cast<int>(r.columnInt(2))); });
        !s)
        return s.error();
    return out;
}

const char* const kCellColumns = "id, run_id, variant, prompt_version_id, example_id, repeat, request, output, error, "
                                 "error_kind, attempts, tokens_in, tokens_out, latency_ms, cost, created_at";
const char* const kScoreColumns = "scorer, value, passed, rationale";

Cell cellFromRow(const Statement& r)
{
    Cell c;
    c.id = r.columnInt(0);
    c.runId = r.columnInt(1);
    c.variant = r.columnText(2);
    if (!r.columnIsNull(3))
        c.promptVersionId = r.columnInt(3);
    c.exampleId = r.columnIsNull(4) ? 0 : r.columnInt(4);
    c.repeat = static_cast<int>(r.columnInt(5));
    c.request = r.columnText(6);
    c.output = r.columnText(7);
    c.error = r.columnText(8);
    c.errorKind = r.columnText(9);
    c.attempts = static_cast<int>(r.columnInt(10));
    if (!r.columnIsNull(11))
        c.tokensIn = r.columnInt(11);
    if (!r.columnIsNull(12))
        c.tokensOut = r.columnInt(12);
    if (!r.columnIsNull(13))
        c.latencyMs = r.columnDouble(13);
    if (!r.columnIsNull(14))
        c.cost = r.columnDouble(14);
    c.createdAt = r.columnInt(15);
    return c;
}

CellScore scoreFromRow(const Statement& r, int first)
{
    CellScore score;
    score.scorer = r.columnText(first);
    score.value = r.columnDouble(first + 1);
    if (!r.columnIsNull(first + 2))
        score.passed = r.columnInt(first + 2) != 0;
    score.detail = r.columnText(first + 3);
    return score;
}

Expected<std::vector<Cell>> CellRepository::cells(int64_t runId)
{
    auto st = m_db.prepare(std::string("SELECT ") + kCellColumns
                           + " FROM cells WHERE run_id = ? ORDER BY variant, example_id, repeat");
    if (!st)
        return st.error();
    st->bind(1, runId);
    std::vector<Cell> out;
    std::map<int64_t, size_t> index;
    if (auto s = st->forEachRow([&](Statement& r) {
            Cell c = cellFromRow(r);
            index[c.id] = out.size();
            out.push_back(std::move(c));
        });
        !s)
        return s.error();
    auto sc = m_db.prepare(std::string("SELECT s.cell_id, ") + kScoreColumns
                           + " FROM scores s JOIN cells c ON c.id = s.cell_id WHERE c.run_id = ? ORDER BY s.id");
    if (!sc)
        return sc.error();
    sc->bind(1, runId);
    if (auto s = sc->forEachRow([&](Statement& r) {
            auto it = index.find(r.columnInt(0));
            if (it != index.end())
                out[it->second].scores.push_back(scoreFromRow(r, 1));
        });
        !s)
        return s.error();
    return out;
}

} // namespace ts

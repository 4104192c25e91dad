// SyntheticRowRepository: SQL over synthetic_rows.
#include "synth/synthetic_row_repository.h"

#include <algorithm>
#include <map>

#include "store/example.h"
#include "store/example_repository.h"
#include "store/run_repository.h" // unixMillisNow

namespace ts::synth {

namespace {

constexpr const char* kColumns
    = "id, run_id, round, slot, seed_example_id, parent_row_id, operation, instruction, output, stage, reason, "
      "duplicate_of_row_id, leak_example_id, quality, judge_reply, review, edited, promoted_example_id, "
      "teacher_endpoint, teacher_model, template_version, evolve_reply, tokens_in, tokens_out, cost, latency_ms, "
      "created_at, updated_at";

std::optional<int64_t> optionalInt(const Statement& st, int col)
{
    return st.columnIsNull(col) ? std::nullopt : std::optional<int64_t>(st.columnInt(col));
}

std::optional<double> optionalDouble(const Statement& st, int col)
{
    return st.columnIsNull(col) ? std::nullopt : std::optional<double>(st.columnDouble(col));
}

SyntheticRow readRow(const Statement& st)
{
    SyntheticRow r;
    r.id = st.columnInt(0);
    r.runId = st.columnInt(1);
    r.round = static_cast<int>(st.columnInt(2));
    r.slot = st.columnInt(3);
    r.seedExampleId = optionalInt(st, 4);
    r.parentRowId = optionalInt(st, 5);
    r.operation = st.columnText(6);
    r.instruction = st.columnText(7);
    r.output = st.columnText(8);
    r.stage = syntheticStageFromName(st.columnText(9)).value_or(SyntheticStage::Failed);
    r.reason = st.columnText(10);
    r.duplicateOfRowId = optionalInt(st, 11);
    r.leakExampleId = optionalInt(st, 12);
    r.quality = optionalDouble(st, 13);
    r.judgeReply = st.columnText(14);
    r.review = syntheticReviewFromName(st.columnText(15)).value_or(SyntheticReview::Pending);
    r.edited = st.columnInt(16) != 0;
    r.promotedExampleId = optionalInt(st, 17);
    r.teacherEndpoint = st.columnText(18);
    r.teacherModel = st.columnText(19);
    r.templateVersion = static_cast<int>(st.columnInt(20));
    r.evolveReply = st.columnText(21);
    r.tokensIn = st.columnInt(22);
    r.tokensOut = st.columnInt(23);
    r.cost = optionalDouble(st, 24);
    r.latencyMs = st.columnInt(25);
    r.createdAt = st.columnInt(26);
    r.updatedAt = st.columnInt(27);
    return r;
}

Expected<std::vector<SyntheticRow>> query(Database& db, const std::string& where, int64_t a,
                                          std::optional<int64_t> b = std::nullopt)
{
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM synthetic_rows WHERE " + where);
    if (!st)
        return st.error();
    st->bind(1, a);
    if (b)
        st->bind(2, *b);
    return st->collect<SyntheticRow>([](const Statement& s) { return readRow(s); });
}

// Binds the pipeline's columns of `r` from `first` on: stage, reason, duplicate_of_row_id, leak_example_id, quality,
// judge_reply, tokens_in, tokens_out, cost, latency_ms, updated_at (11 parameters).
void bindPipeline(Statement& st, int first, const SyntheticRow& r)
{
    st.bind(first, syntheticStageName(r.stage))
        .bind(first + 1, r.reason)
        .bind(first + 2, r.duplicateOfRowId)
        .bind(first + 3, r.leakExampleId)
        .bind(first + 4, r.quality)
        .bind(first + 5, r.judgeReply)
        .bind(first + 6, r.tokensIn)
        .bind(first + 7, r.tokensOut)
        .bind(first + 8, r.cost)
        .bind(first + 9, r.latencyMs)
        .bind(first + 10, r.updatedAt);
}

// Each call of a row's changes gets a later updatedAt than the last (pollers read "changed at or after").
int64_t nowMs()
{
    return unixMillisNow();
}

} // namespace

Status SyntheticRowRepository::put(SyntheticRow& r)
{
    const int64_t now = nowMs();
    if (r.createdAt == 0)
        r.createdAt = now;
    r.updatedAt = now;
    auto st = m_db.prepare(
        "INSERT INTO synthetic_rows (stage, reason, duplicate_of_row_id, leak_example_id, quality, judge_reply, "
        "tokens_in, tokens_out, cost, latency_ms, updated_at, run_id, round, slot, seed_example_id, parent_row_id, "
        "operation, instruction, output, teacher_endpoint, teacher_model, template_version, evolve_reply, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(run_id, slot) DO UPDATE SET stage = excluded.stage, reason = excluded.reason, "
        "duplicate_of_row_id = excluded.duplicate_of_row_id, leak_example_id = excluded.leak_example_id, "
        "quality = excluded.quality, judge_reply = excluded.judge_reply, tokens_in = excluded.tokens_in, "
        "tokens_out = excluded.tokens_out, cost = excluded.cost, latency_ms = excluded.latency_ms, "
        "updated_at = excluded.updated_at, round = excluded.round, seed_example_id = excluded.seed_example_id, "
        "parent_row_id = excluded.parent_row_id, operation = excluded.operation, instruction = excluded.instruction, "
        "output = excluded.output, teacher_endpoint = excluded.teacher_endpoint, "
        "teacher_model = excluded.teacher_model, template_version = excluded.template_version, "
        "evolve_reply = excluded.evolve_reply RETURNING id");
    if (!st)
        return st.error();
    bindPipeline(*st, 1, r);
    st->bind(12, r.runId)
        .bind(13, r.round)
        .bind(14, r.slot)
        .bind(15, r.seedExampleId)
        .bind(16, r.parentRowId)
        .bind(17, r.operation)
        .bind(18, r.instruction)
        .bind(19, r.output)
        .bind(20, r.teacherEndpoint)
        .bind(21, r.teacherModel)
        .bind(22, r.templateVersion)
        .bind(23, r.evolveReply)
        .bind(24, r.createdAt);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return makeError("storing synthetic row: no id returned");
    r.id = st->columnInt(0);
    return st->run(); // finish the statement
}

Status SyntheticRowRepository::updatePipeline(SyntheticRow& r)
{
    r.updatedAt = nowMs();
    auto st = m_db.prepare("UPDATE synthetic_rows SET stage = ?, reason = ?, duplicate_of_row_id = ?, "
                           "leak_example_id = ?, quality = ?, judge_reply = ?, tokens_in = ?, tokens_out = ?, "
                           "cost = ?, latency_ms = ?, updated_at = ? WHERE id = ?");
    if (!st)
        return st.error();
    bindPipeline(*st, 1, r);
    st->bind(12, r.id);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() != 1)
        return makeError("synthetic row " + std::to_string(r.id) + " no longer exists");
    return {};
}

Expected<std::optional<SyntheticRow>> SyntheticRowRepository::get(int64_t id)
{
    auto rows = query(m_db, "id = ?", id);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<SyntheticRow>();
    return std::optional<SyntheticRow>(std::move(rows->front()));
}

Expected<std::vector<SyntheticRow>> SyntheticRowRepository::rows(int64_t runId)
{
    return query(m_db, "run_id = ? ORDER BY slot", runId);
}

Expected<std::vector<SyntheticRow>> SyntheticRowRepository::changedSince(int64_t runId, int64_t sinceMs)
{
    return query(m_db, "run_id = ? AND updated_at >= ? ORDER BY slot", runId, sinceMs);
}

Expected<std::vector<SyntheticRow>> SyntheticRowRepository::lineage(int64_t id)
{
    std::vector<SyntheticRow> chain;
    std::optional<int64_t> next = id;
    while (next) {
        if (std::any_of(chain.begin(), chain.end(), [&](const SyntheticRow& r) { return r.id == *next; }))
            return makeError("synthetic row " + std::to_string(id) + ": its lineage loops");
        auto row = get(*next);
        if (!row)
            return row.error();
        if (!*row)
            break; // an ancestor was deleted (its run removed): the chain starts here
        next = (*row)->parentRowId;
        chain.push_back(std::move(**row));
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

Expected<SyntheticFunnel> SyntheticRowRepository::funnel(int64_t runId)
{
    auto st = m_db.prepare("SELECT stage, review, promoted_example_id IS NOT NULL, COUNT(*) FROM synthetic_rows "
                           "WHERE run_id = ? GROUP BY 1, 2, 3");
    if (!st)
        return st.error();
    st->bind(1, runId);
    SyntheticFunnel f;
    auto s = st->forEachRow([&](const Statement& row) {
        const auto stage = syntheticStageFromName(row.columnText(0)).value_or(SyntheticStage::Failed);
        const auto review = syntheticReviewFromName(row.columnText(1)).value_or(SyntheticReview::Pending);
        const int64_t n = row.columnInt(3);
        if (stage == SyntheticStage::Failed) {
            f.failed += n;
        } else {
            f.generated += n;
            if (stage != SyntheticStage::Eliminated)
                f.passedElimination += n;
            if (stage == SyntheticStage::Unique || stage == SyntheticStage::JudgeFailed
                || stage == SyntheticStage::LowQuality || stage == SyntheticStage::Passed)
                f.unique += n;
            if (stage == SyntheticStage::Passed)
                f.aboveThreshold += n;
            if (stage == SyntheticStage::Generated || stage == SyntheticStage::Unique)
                f.waiting += n;
        }
        if (review == SyntheticReview::Accepted)
            f.accepted += n;
        if (review == SyntheticReview::Rejected)
            f.rejected += n;
        if (row.columnInt(2))
            f.promoted += n;
    });
    if (!s)
        return s.error();
    return f;
}

Expected<std::vector<SyntheticReview>> SyntheticRowRepository::setReview(const std::vector<int64_t>& ids,
                                                                         SyntheticReview review)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto read = m_db.prepare("SELECT review FROM synthetic_rows WHERE id = ?");
    auto write = m_db.prepare("UPDATE synthetic_rows SET review = ?, updated_at = ? WHERE id = ?");
    if (!read)
        return read.error();
    if (!write)
        return write.error();
    const int64_t now = nowMs();
    std::vector<SyntheticReview> before;
    before.reserve(ids.size());
    for (int64_t id : ids) {
        read->reset();
        read->bind(1, id);
        auto found = read->step();
        if (!found)
            return found.error();
        if (!*found)
            return makeError("synthetic row " + std::to_string(id) + " no longer exists");
        before.push_back(syntheticReviewFromName(read->columnText(0)).value_or(SyntheticReview::Pending));
        write->reset();
        write->bind(1, syntheticReviewName(review)).bind(2, now).bind(3, id);
        if (auto s = write->run(); !s)
            return s.error();
    }
    if (auto s = tx->commit(); !s)
        return s.error();
    return before;
}

Status SyntheticRowRepository::setReviews(const std::vector<std::pair<int64_t, SyntheticReview>>& reviews)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto write = m_db.prepare("UPDATE synthetic_rows SET review = ?, updated_at = ? WHERE id = ?");
    if (!write)
        return write.error();
    const int64_t now = nowMs();
    for (const auto& [id, review] : reviews) {
        write->reset();
        write->bind(1, syntheticReviewName(review)).bind(2, now).bind(3, id);
        if (auto s = write->run(); !s)
            return s;
    }
    return tx->commit();
}

Status SyntheticRowRepository::setText(int64_t id, const std::string& instruction, const std::string& output,
                                       bool edited)
{
    auto st = m_db.prepare(
        "UPDATE synthetic_rows SET instruction = ?, output = ?, edited = ?, updated_at = ? WHERE id = ?");
    if (!st)
        return st.error();
    st->bind(1, instruction).bind(2, output).bind(3, edited ? 1 : 0).bind(4, nowMs()).bind(5, id);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() != 1)
        return makeError("synthetic row " + std::to_string(id) + " no longer exists");
    return {};
}

Expected<std::vector<int64_t>> SyntheticRowRepository::promoteAccepted(int64_t runId)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto candidates
        = query(m_db, "run_id = ? AND review = 'accepted' AND promoted_example_id IS NULL ORDER BY slot", runId);
    if (!candidates)
        return candidates.error();
    ExampleRepository examples(m_db);
    std::map<int64_t, std::optional<Example>> seeds;
    auto mark = m_db.prepare("UPDATE synthetic_rows SET promoted_example_id = ?, updated_at = ? WHERE id = ?");
    if (!mark)
        return mark.error();
    const int64_t now = nowMs();
    std::vector<int64_t> promoted;
    for (const SyntheticRow& row : *candidates) {
        Example e;
        e.split = Split::Train;
        e.source = Source::Synthetic;
        e.parentId = row.seedExampleId;
        e.evolutionOp = row.operation;
        e.quality = row.quality;
        if (row.seedExampleId) {
            auto it = seeds.find(*row.seedExampleId);
            if (it == seeds.end()) {
                auto seed = examples.get(*row.seedExampleId);
                if (!seed)
                    return seed.error();
                it = seeds.emplace(*row.seedExampleId, std::move(*seed)).first;
            }
            if (it->second) {
                e.setSystem(it->second->system());
                e.tags = it->second->tags;
            }
        }
        if (std::find(e.tags.begin(), e.tags.end(), "synthetic") == e.tags.end())
            e.tags.push_back("synthetic");
        e.setInput(row.instruction);
        e.setOutput(row.output);
        if (auto s = examples.insert(e); !s)
            return s.error();
        mark->reset();
        mark->bind(1, e.id).bind(2, now).bind(3, row.id);
        if (auto s = mark->run(); !s)
            return s.error();
        promoted.push_back(e.id);
    }
    if (auto s = tx->commit(); !s)
        return s.error();
    return promoted;
}

Status SyntheticRowRepository::unpromote(const std::vector<int64_t>& exampleIds)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    auto clear = m_db.prepare(
        "UPDATE synthetic_rows SET promoted_example_id = NULL, updated_at = ? WHERE promoted_example_id = ?");
    if (!clear)
        return clear.error();
    ExampleRepository examples(m_db);
    const int64_t now = nowMs();
    for (int64_t id : exampleIds) {
        clear->reset();
        clear->bind(1, now).bind(2, id);
        if (auto s = clear->run(); !s)
            return s;
        if (auto s = examples.remove(id); !s)
            return s;
    }
    return tx->commit();
}

} // namespace ts::synth

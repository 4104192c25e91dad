// ExampleRepository: SQL for the `examples` table.
#include "store/example_repository.h"

#include <chrono>
#include <unordered_map>

namespace ts {

namespace {

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr const char* kSelectColumns
    = "SELECT id, messages, split, tags, source, parent_id, evolution_op, quality, created_at, updated_at "
      "FROM examples";

// Rows of an import still in progress (or abandoned) are not part of the project yet.
constexpr const char* kVisible
    = "NOT EXISTS (SELECT 1 FROM import_pending WHERE import_pending.example_id = examples.id)";

Example readRow(const Statement& stmt)
{
    Example ex;
    ex.id = stmt.columnInt(0);
    ex.messages = messagesFromJson(stmt.columnText(1)).value_or(std::vector<Message> {});
    ex.split = splitFromName(stmt.columnText(2)).value_or(Split::Train);
    ex.tags = tagsFromJson(stmt.columnText(3));
    ex.source = sourceFromName(stmt.columnText(4)).value_or(Source::Golden);
    if (!stmt.columnIsNull(5))
        ex.parentId = stmt.columnInt(5);
    ex.evolutionOp = stmt.columnText(6);
    if (!stmt.columnIsNull(7))
        ex.quality = stmt.columnDouble(7);
    ex.createdAt = stmt.columnInt(8);
    ex.updatedAt = stmt.columnInt(9);
    return ex;
}

// Binds ?1..?10 in the order of the INSERT/UPDATE column lists below.
void bindExample(Statement& stmt, const Example& ex)
{
    stmt.bind(1, messagesToJson(ex.messages))
        .bind(2, ex.input())
        .bind(3, ex.output())
        .bind(4, splitName(ex.split))
        .bind(5, tagsToJson(ex.tags))
        .bind(6, sourceName(ex.source))
        .bind(7, ex.parentId)
        .bind(8, ex.evolutionOp)
        .bind(9, ex.quality)
        .bind(10, ex.updatedAt);
}

std::string escapeLike(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

const char* orderColumn(ExampleColumn column)
{
    switch (column) {
    case ExampleColumn::Id:
        return "id";
    case ExampleColumn::Input:
        return "input_text";
    case ExampleColumn::Output:
        return "output_text";
    case ExampleColumn::Split:
        return "split";
    case ExampleColumn::Tags:
        return "tags";
    case ExampleColumn::Source:
        return "source";
    case ExampleColumn::UpdatedAt:
        return "updated_at";
    }
    return "id";
}

} // namespace

Status ExampleRepository::insert(Example& example)
{
    const int64_t now = nowMs();
    if (example.createdAt == 0)
        example.createdAt = now;
    if (example.updatedAt == 0)
        example.updatedAt = now;
    // Prepared once per repository: bulk imports insert many rows through one statement.
    if (!m_insert) {
        auto stmt = m_db.prepare("INSERT INTO examples (messages, input_text, output_text, split, tags, source, "
                                 "parent_id, evolution_op, quality, updated_at, created_at, id) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (!stmt)
            return stmt.error();
        m_insert = std::move(*stmt);
    }
    Statement& stmt = *m_insert;
    stmt.reset();
    bindExample(stmt, example);
    stmt.bind(11, example.createdAt);
    if (example.id != 0)
        stmt.bind(12, example.id);
    else
        stmt.bindNull(12);
    auto done = stmt.run();
    if (!done)
        return done;
    example.id = m_db.lastInsertId();
    return {};
}

Status ExampleRepository::update(Example& example)
{
    example.updatedAt = nowMs();
    auto stmt = m_db.prepare("UPDATE examples SET messages = ?1, input_text = ?2, output_text = ?3, split = ?4, "
                             "tags = ?5, source = ?6, parent_id = ?7, evolution_op = ?8, quality = ?9, "
                             "updated_at = ?10 WHERE id = ?11");
    if (!stmt)
        return stmt.error();
    bindExample(*stmt, example);
    stmt->bind(11, example.id);
    auto done = stmt->run();
    if (!done)
        return done;
    if (m_db.changes() == 0)
        return Error {"example " + std::to_string(example.id) + " no longer exists"};
    return {};
}

Status ExampleRepository::remove(int64_t id)
{
    auto stmt = m_db.prepare("DELETE FROM examples WHERE id = ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    return stmt->run();
}

Expected<std::optional<Example>> ExampleRepository::get(int64_t id)
{
    auto stmt = m_db.prepare(std::string(kSelectColumns) + " WHERE id = ?1 AND " + kVisible);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Example>();
    return std::optional<Example>(readRow(*stmt));
}

Expected<std::vector<Example>> ExampleRepository::getMany(const std::vector<int64_t>& ids)
{
    std::vector<Example> out;
    if (ids.empty())
        return out;
    // Pass the ids as one JSON array: a single statement, no limit on bound parameters.
    std::string list = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i)
            list += ',';
        list += std::to_string(ids[i]);
    }
    list += ']';
    auto stmt
        = m_db.prepare(std::string(kSelectColumns) + " WHERE id IN (SELECT value FROM json_each(?1)) AND " + kVisible);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, list);
    std::unordered_map<int64_t, Example> byId;
    byId.reserve(ids.size());
    auto done = stmt->forEachRow([&](const Statement& s) {
        Example ex = readRow(s);
        byId.emplace(ex.id, std::move(ex));
    });
    if (!done)
        return done.error();
    out.reserve(byId.size());
    for (int64_t id : ids) {
        auto it = byId.find(id);
        if (it != byId.end())
            out.push_back(it->second);
    }
    return out;
}

Expected<std::vector<int64_t>> ExampleRepository::queryIds(const ExampleQuery& query)
{
    std::string sql = std::string("SELECT id FROM examples WHERE ") + kVisible;
    if (!query.text.empty())
        sql += " AND (input_text LIKE ?1 ESCAPE '\\' OR output_text LIKE ?1 ESCAPE '\\')";
    if (query.split)
        sql += " AND split = ?2";
    if (!query.tag.empty())
        sql += " AND EXISTS (SELECT 1 FROM json_each(examples.tags) WHERE json_each.value = ?3)";
    if (query.source)
        sql += " AND source = ?4";
    const char* dir = query.descending ? " DESC" : " ASC";
    sql += std::string(" ORDER BY ") + orderColumn(query.sortBy) + dir;
    if (query.sortBy != ExampleColumn::Id)
        sql += std::string(", id") + dir;

    auto stmt = m_db.prepare(sql);
    if (!stmt)
        return stmt.error();
    if (!query.text.empty())
        stmt->bind(1, "%" + escapeLike(query.text) + "%");
    if (query.split)
        stmt->bind(2, splitName(*query.split));
    if (!query.tag.empty())
        stmt->bind(3, query.tag);
    if (query.source)
        stmt->bind(4, sourceName(*query.source));
    std::vector<int64_t> ids;
    auto done = stmt->forEachRow([&](const Statement& s) { ids.push_back(s.columnInt(0)); });
    if (!done)
        return done.error();
    return ids;
}

Expected<std::vector<Example>> ExampleRepository::all()
{
    auto stmt = m_db.prepare(std::string(kSelectColumns) + " WHERE " + kVisible + " ORDER BY id");
    if (!stmt)
        return stmt.error();
    std::vector<Example> out;
    auto done = stmt->forEachRow([&](const Statement& s) { out.push_back(readRow(s)); });
    if (!done)
        return done.error();
    return out;
}

Expected<int64_t> ExampleRepository::count()
{
    // Every pending row is an example (ON DELETE CASCADE), so the difference counts the visible ones.
    return m_db.queryInt("SELECT (SELECT count(*) FROM examples) - (SELECT count(*) FROM import_pending)");
}

Expected<std::vector<std::string>> ExampleRepository::allTags()
{
    auto stmt
        = m_db.prepare(std::string("SELECT DISTINCT json_each.value FROM examples, json_each(examples.tags) WHERE ")
                       + kVisible + " ORDER BY 1");
    if (!stmt)
        return stmt.error();
    std::vector<std::string> tags;
    auto done = stmt->forEachRow([&](const Statement& s) { tags.push_back(s.columnText(0)); });
    if (!done)
        return done.error();
    return tags;
}

Expected<std::vector<Example>> ExampleRepository::inSplit(Split split)
{
    ExampleQuery query;
    query.split = split;
    auto ids = queryIds(query);
    if (!ids)
        return ids.error();
    return getMany(*ids);
}

} // namespace ts

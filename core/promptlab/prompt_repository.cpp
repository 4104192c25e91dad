#include "promptlab/prompt_repository.h"

#include <functional>

#include "store/run_repository.h" // unixMillisNow

namespace ts {

namespace {

constexpr std::string_view kVersionColumns
    = "SELECT v.id, v.prompt_id, p.name, v.version, v.config, v.created_at FROM prompt_versions v "
      "JOIN prompts p ON p.id = v.prompt_id";

Expected<PromptVersion> readVersion(const Statement& s)
{
    PromptVersion v;
    v.id = s.columnInt(0);
    v.promptId = s.columnInt(1);
    v.name = s.columnText(2);
    v.version = static_cast<int>(s.columnInt(3));
    v.createdAt = s.columnInt(5);
    nlohmann::json j = nlohmann::json::parse(s.columnText(4), nullptr, false);
    if (j.is_discarded())
        return makeError("prompt " + v.label() + ": stored config is not JSON");
    auto variant = promptlab::variantFromJson(j);
    if (!variant)
        return makeError("prompt " + v.label() + ": " + variant.error().message);
    v.variant = std::move(*variant);
    return v;
}

Expected<std::optional<PromptVersion>> queryOne(Database& db, const std::string& where,
                                                const std::function<void(Statement&)>& bind)
{
    auto st = db.prepare(std::string(kVersionColumns) + " " + where + " ORDER BY v.version DESC LIMIT 1");
    if (!st)
        return st.error();
    bind(*st);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<PromptVersion>();
    auto v = readVersion(*st);
    if (!v)
        return v.error();
    return std::optional<PromptVersion>(std::move(*v));
}

Status validName(const std::string& name)
{
    if (name.empty() || name.size() > 100)
        return makeError("prompt name: 1 to 100 characters");
    if (name.find('@') != std::string::npos)
        return makeError("prompt name \"" + name + "\": '@' is reserved for versions (name@3)");
    return {};
}

} // namespace

Expected<PromptVersion> PromptRepository::save(const std::string& name, const promptlab::PromptVariant& variant)
{
    if (auto s = validName(name); !s)
        return s.error();
    auto newest = latest(name);
    if (!newest)
        return newest.error();
    if (*newest && (*newest)->variant == variant)
        return **newest;
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.error();
    const int64_t now = unixMillisNow();
    int64_t promptId = 0;
    if (*newest) {
        promptId = (*newest)->promptId;
    } else {
        auto ins = m_db.prepare("INSERT INTO prompts (name, created_at) VALUES (?, ?)");
        if (!ins)
            return ins.error();
        ins->bind(1, name).bind(2, now);
        if (auto s = ins->run(); !s)
            return s.error();
        promptId = m_db.lastInsertId();
    }
    PromptVersion v;
    v.promptId = promptId;
    v.name = name;
    v.version = *newest ? (*newest)->version + 1 : 1;
    v.variant = variant;
    v.createdAt = now;
    auto ins = m_db.prepare("INSERT INTO prompt_versions (prompt_id, version, config, created_at) VALUES (?, ?, ?, ?)");
    if (!ins)
        return ins.error();
    ins->bind(1, promptId).bind(2, v.version).bind(3, promptlab::variantToJson(variant).dump()).bind(4, now);
    if (auto s = ins->run(); !s)
        return s.error();
    v.id = m_db.lastInsertId();
    if (auto c = tx->commit(); !c)
        return c.error();
    return v;
}

Expected<std::optional<PromptVersion>> PromptRepository::latest(const std::string& name)
{
    return queryOne(m_db, "WHERE p.name = ?", [&](Statement& s) { s.bind(1, name); });
}

Expected<std::optional<PromptVersion>> PromptRepository::version(const std::string& name, int version)
{
    return queryOne(m_db, "WHERE p.name = ? AND v.version = ?",
                    [&](Statement& s) { s.bind(1, name).bind(2, version); });
}

Expected<std::optional<PromptVersion>> PromptRepository::byId(int64_t versionId)
{
    return queryOne(m_db, "WHERE v.id = ?", [&](Statement& s) { s.bind(1, versionId); });
}

Expected<PromptVersion> PromptRepository::resolve(const std::string& reference)
{
    const auto at = reference.rfind('@');
    Expected<std::optional<PromptVersion>> found = std::optional<PromptVersion>();
    if (at == std::string::npos) {
        found = latest(reference);
    } else {
        int number = 0;
        try {
            size_t used = 0;
            number = std::stoi(reference.substr(at + 1), &used);
            if (used != reference.size() - at - 1)
                throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            return makeError("prompt \"" + reference + "\": expected NAME or NAME@VERSION");
        }
        found = version(reference.substr(0, at), number);
    }
    if (!found)
        return found.error();
    if (!*found)
        return makeError("prompt \"" + reference + "\" not found in this project");
    return **found;
}

Expected<std::vector<std::string>> PromptRepository::names()
{
    auto st = m_db.prepare("SELECT name FROM prompts ORDER BY name");
    if (!st)
        return st.error();
    std::vector<std::string> out;
    if (auto s = st->forEachRow([&](Statement& row) { out.push_back(row.columnText(0)); }); !s)
        return s.error();
    return out;
}

Expected<std::vector<PromptVersion>> PromptRepository::versions(const std::string& name)
{
    auto st = m_db.prepare(std::string(kVersionColumns) + " WHERE p.name = ? ORDER BY v.version");
    if (!st)
        return st.error();
    st->bind(1, name);
    return st->collect<PromptVersion>(readVersion);
}

Status PromptRepository::remove(const std::string& name)
{
    auto st = m_db.prepare("DELETE FROM prompts WHERE name = ?");
    if (!st)
        return st.error();
    st->bind(1, name);
    return st->run();
}

} // namespace ts

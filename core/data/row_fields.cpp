// Reading and writing the fields every JSON row format shares: strings, split and tags, conversation checks,
// field names such as "messages[2].role", and compact JSON output.
#include "data/format_detail.h"

#include <algorithm>
#include <string>

namespace ts::detail {

using nlohmann::json;

RowError missingField(std::string field)
{
    return RowError {std::move(field), "missing field"};
}

RowError wrongType(std::string field, std::string_view expected)
{
    return RowError {std::move(field), "wrong type (expected " + std::string(expected) + ")"};
}

std::string indexedField(std::string_view name, size_t index, std::string_view member)
{
    std::string field = std::string(name) + "[" + std::to_string(index) + "]";
    if (!member.empty())
        field += "." + std::string(member);
    return field;
}

RowCheck readRequiredString(const json& row, const char* key, std::string& out)
{
    auto it = row.find(key);
    if (it == row.end())
        return missingField(key);
    if (!it->is_string())
        return wrongType(key, "string");
    out = it->get<std::string>();
    return std::nullopt;
}

RowCheck readOptionalString(const json& row, const char* key, std::string& out)
{
    auto it = row.find(key);
    if (it == row.end() || it->is_null())
        return std::nullopt;
    return readRequiredString(row, key, out);
}

RowCheck readSplitAndTags(const json& row, Example& out)
{
    std::string split;
    if (auto problem = readOptionalString(row, "split", split))
        return problem;
    if (!split.empty()) {
        auto value = splitFromName(split);
        if (!value)
            return RowError {"split", "unknown split \"" + split + "\""};
        out.split = *value;
    }
    auto tags = row.find("tags");
    if (tags == row.end() || tags->is_null())
        return std::nullopt;
    if (!tags->is_array())
        return wrongType("tags", "array of strings");
    for (size_t i = 0; i < tags->size(); ++i) {
        if (!(*tags)[i].is_string())
            return wrongType(indexedField("tags", i), "string");
        out.tags.push_back((*tags)[i].get<std::string>());
    }
    return std::nullopt;
}

RowCheck checkConversation(const std::vector<Message>& messages, const std::string& field)
{
    const auto has = [&](std::string_view role) {
        return std::any_of(messages.begin(), messages.end(), [&](const Message& m) { return m.role == role; });
    };
    if (messages.empty())
        return RowError {field, "empty conversation"};
    if (!has("user"))
        return RowError {field, "no user message"};
    if (!has("assistant"))
        return RowError {field, "no assistant message"};
    return std::nullopt;
}

void putSplitAndTags(nlohmann::ordered_json& row, const Example& example)
{
    row["split"] = splitName(example.split);
    row["tags"] = example.tags;
}

std::string dumpJson(const nlohmann::ordered_json& value)
{
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace ts::detail

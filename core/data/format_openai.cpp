// OpenAI chat JSONL rows: {"messages":[{"role","content"}], "split", "tags"} <-> Example.
#include "data/format_detail.h"

namespace ts::detail {

namespace {

using nlohmann::json;

// Newer OpenAI files may give content as [{"type":"text","text":"..."}]: the text parts are joined.
RowCheck readContentParts(const json& parts, const std::string& field, std::string& out)
{
    out.clear();
    for (size_t i = 0; i < parts.size(); ++i) {
        const json& part = parts[i];
        const std::string partField = indexedField(field, i);
        if (!part.is_object())
            return wrongType(partField, "object");
        auto type = part.find("type");
        if (type == part.end() || !type->is_string() || type->get_ref<const std::string&>() != "text")
            return RowError {partField + ".type", "unsupported content part (only \"text\" parts are read)"};
        std::string text;
        if (auto problem = readRequiredString(part, "text", text))
            return RowError {partField + "." + problem->field, problem->reason};
        out += text;
    }
    return std::nullopt;
}

RowCheck readMessage(const json& item, size_t index, Message& out)
{
    const std::string field = indexedField("messages", index);
    if (!item.is_object())
        return wrongType(field, "object");
    if (auto problem = readRequiredString(item, "role", out.role))
        return RowError {field + "." + problem->field, problem->reason};
    if (!isValidRole(out.role))
        return RowError {field + ".role", "unknown role \"" + out.role + "\""};
    auto content = item.find("content");
    if (content == item.end())
        return missingField(field + ".content");
    if (content->is_array())
        return readContentParts(*content, field + ".content", out.content);
    if (!content->is_string())
        return wrongType(field + ".content", "string");
    out.content = content->get<std::string>();
    return std::nullopt;
}

} // namespace

RowCheck openAiFromJson(const json& row, Example& out)
{
    auto messages = row.find("messages");
    if (messages == row.end())
        return missingField("messages");
    if (!messages->is_array())
        return wrongType("messages", "array");
    out.messages.resize(messages->size());
    for (size_t i = 0; i < messages->size(); ++i)
        if (auto problem = readMessage((*messages)[i], i, out.messages[i]))
            return problem;
    if (auto problem = checkConversation(out.messages, "messages"))
        return problem;
    return readSplitAndTags(row, out);
}

nlohmann::ordered_json openAiToJson(const Example& example)
{
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    for (const Message& m : example.messages)
        messages.push_back({{"role", m.role}, {"content", m.content}});
    nlohmann::ordered_json row;
    row["messages"] = std::move(messages);
    putSplitAndTags(row, example);
    return row;
}

} // namespace ts::detail

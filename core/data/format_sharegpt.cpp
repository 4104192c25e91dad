// ShareGPT rows: {"conversations":[{"from":"system|human|gpt","value"}], "split", "tags"} <-> Example.
#include "data/format_detail.h"

namespace ts::detail {

namespace {

using nlohmann::json;

std::optional<std::string> roleFromSpeaker(std::string_view from)
{
    if (from == "system")
        return "system";
    if (from == "human" || from == "user")
        return "user";
    if (from == "gpt" || from == "assistant")
        return "assistant";
    return std::nullopt;
}

std::string_view speakerFromRole(std::string_view role)
{
    if (role == "user")
        return "human";
    if (role == "assistant")
        return "gpt";
    return role;
}

RowCheck readTurn(const json& item, size_t index, Message& out)
{
    const std::string field = indexedField("conversations", index);
    if (!item.is_object())
        return wrongType(field, "object");
    std::string from;
    if (auto problem = readRequiredString(item, "from", from))
        return RowError {field + "." + problem->field, problem->reason};
    auto role = roleFromSpeaker(from);
    if (!role)
        return RowError {field + ".from", "unknown role \"" + from + "\""};
    out.role = *role;
    if (auto problem = readRequiredString(item, "value", out.content))
        return RowError {field + "." + problem->field, problem->reason};
    return std::nullopt;
}

} // namespace

RowCheck shareGptFromJson(const json& row, Example& out)
{
    auto turns = row.find("conversations");
    if (turns == row.end())
        return missingField("conversations");
    if (!turns->is_array())
        return wrongType("conversations", "array");
    // Some ShareGPT exports keep the system prompt in a top-level "system" key.
    std::string system;
    if (auto problem = readOptionalString(row, "system", system))
        return problem;
    if (!system.empty())
        out.messages.push_back(Message {"system", system});
    for (size_t i = 0; i < turns->size(); ++i) {
        Message message;
        if (auto problem = readTurn((*turns)[i], i, message))
            return problem;
        out.messages.push_back(std::move(message));
    }
    if (auto problem = checkConversation(out.messages, "conversations"))
        return problem;
    return readSplitAndTags(row, out);
}

nlohmann::ordered_json shareGptToJson(const Example& example)
{
    nlohmann::ordered_json turns = nlohmann::ordered_json::array();
    for (const Message& m : example.messages)
        turns.push_back({{"from", speakerFromRole(m.role)}, {"value", m.content}});
    nlohmann::ordered_json row;
    row["conversations"] = std::move(turns);
    putSplitAndTags(row, example);
    return row;
}

} // namespace ts::detail

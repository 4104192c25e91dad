// Alpaca rows: {"instruction","input","output", "system", "history":[[user, assistant]], "split", "tags"} <-> Example.
#include "data/format_detail.h"

#include <utility>

namespace ts::detail {

namespace {

using nlohmann::json;
using Turn = std::pair<std::string, std::string>; // user, assistant

// An example laid out the Alpaca way; only strict [system] (user, assistant)+ conversations fit.
struct AlpacaShape
{
    std::string system;
    std::vector<Turn> history;
    std::string instruction;
    std::string output;
};

std::optional<AlpacaShape> alpacaShape(const Example& example)
{
    const auto& messages = example.messages;
    AlpacaShape shape;
    size_t i = 0;
    if (!messages.empty() && messages[0].role == "system")
        shape.system = messages[i++].content;
    if (i == messages.size() || (messages.size() - i) % 2 != 0)
        return std::nullopt;
    for (; i < messages.size(); i += 2) {
        if (messages[i].role != "user" || messages[i + 1].role != "assistant")
            return std::nullopt;
        shape.history.emplace_back(messages[i].content, messages[i + 1].content);
    }
    shape.instruction = std::move(shape.history.back().first);
    shape.output = std::move(shape.history.back().second);
    shape.history.pop_back();
    return shape;
}

RowCheck readHistory(const json& row, std::vector<Message>& out)
{
    auto history = row.find("history");
    if (history == row.end() || history->is_null())
        return std::nullopt;
    if (!history->is_array())
        return wrongType("history", "array");
    for (size_t i = 0; i < history->size(); ++i) {
        const json& turn = (*history)[i];
        if (!turn.is_array() || turn.size() != 2 || !turn[0].is_string() || !turn[1].is_string())
            return wrongType(indexedField("history", i), "[user, assistant] pair of strings");
        out.push_back(Message {"user", turn[0].get<std::string>()});
        out.push_back(Message {"assistant", turn[1].get<std::string>()});
    }
    return std::nullopt;
}

std::string userText(const std::string& instruction, const std::string& input)
{
    if (input.empty())
        return instruction;
    if (instruction.empty())
        return input;
    return instruction + "\n\n" + input;
}

} // namespace

RowCheck alpacaFromJson(const json& row, Example& out)
{
    std::string instruction;
    std::string input;
    std::string output;
    std::string system;
    if (auto problem = readRequiredString(row, "instruction", instruction))
        return problem;
    if (auto problem = readOptionalString(row, "input", input))
        return problem;
    if (auto problem = readRequiredString(row, "output", output))
        return problem;
    if (auto problem = readOptionalString(row, "system", system))
        return problem;
    if (!system.empty())
        out.messages.push_back(Message {"system", std::move(system)});
    if (auto problem = readHistory(row, out.messages))
        return problem;
    out.messages.push_back(Message {"user", userText(instruction, input)});
    out.messages.push_back(Message {"assistant", std::move(output)});
    return readSplitAndTags(row, out);
}

std::optional<std::string> alpacaRefusal(const Example& example)
{
    if (alpacaShape(example))
        return std::nullopt;
    return "Alpaca holds an optional system message followed by user/assistant pairs, and this conversation is not "
           "laid out that way";
}

nlohmann::ordered_json alpacaToJson(const Example& example)
{
    // writeText has no way to fail: a conversation that does not fit keeps its table view (system, input, output).
    AlpacaShape shape
        = alpacaShape(example).value_or(AlpacaShape {example.system(), {}, example.input(), example.output()});
    nlohmann::ordered_json row;
    if (!shape.system.empty())
        row["system"] = shape.system;
    row["instruction"] = shape.instruction;
    row["input"] = "";
    row["output"] = shape.output;
    if (!shape.history.empty()) {
        nlohmann::ordered_json history = nlohmann::ordered_json::array();
        for (const Turn& turn : shape.history)
            history.push_back(nlohmann::ordered_json::array({turn.first, turn.second}));
        row["history"] = std::move(history);
    }
    putSplitAndTags(row, example);
    return row;
}

} // namespace ts::detail

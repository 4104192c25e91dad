#include "promptlab/render.h"

#include <nlohmann/json.hpp>

namespace ts::promptlab {

namespace {

// The turns before the last assistant message (system messages left out), and that message.
struct Turns
{
    std::vector<llm::ChatMessage> before;
    std::string lastAssistant;
    std::string system;
};

Turns splitTurns(const Example& example)
{
    Turns t;
    size_t last = example.messages.size();
    for (size_t i = example.messages.size(); i-- > 0;)
        if (example.messages[i].role == "assistant") {
            last = i;
            break;
        }
    for (size_t i = 0; i < example.messages.size(); ++i) {
        const auto& m = example.messages[i];
        if (m.role == "system") {
            if (t.system.empty())
                t.system = m.content;
        } else if (i < last) {
            t.before.push_back({m.role, m.content});
        } else if (i == last) {
            t.lastAssistant = m.content;
        }
    }
    return t;
}

bool hasUserTurn(const std::vector<llm::ChatMessage>& messages)
{
    for (const auto& m : messages)
        if (m.role == "user")
            return true;
    return false;
}

} // namespace

Expected<RenderedPrompt> renderForExample(const PromptVariant& variant, const std::vector<Example>& fewShot,
                                          const Example& example)
{
    auto system = systemPrompt(variant);
    if (!system)
        return system.error();
    const Turns input = splitTurns(example);
    if (!hasUserTurn(input.before))
        return makeError("example " + std::to_string(example.id) + ": no user message before its answer");

    RenderedPrompt out;
    const std::string& systemText = system->empty() ? input.system : *system;
    if (!systemText.empty())
        out.messages.push_back({"system", systemText});
    for (const auto& shot : fewShot) {
        const Turns t = splitTurns(shot);
        if (!hasUserTurn(t.before) || t.lastAssistant.empty())
            return makeError("few-shot example " + std::to_string(shot.id) + ": needs a user message and an answer");
        out.messages.insert(out.messages.end(), t.before.begin(), t.before.end());
        out.messages.push_back({"assistant", t.lastAssistant});
    }
    out.messages.insert(out.messages.end(), input.before.begin(), input.before.end());
    out.reference = input.lastAssistant;
    return out;
}

std::string answerText(const PromptVariant& variant, std::string_view output)
{
    std::string_view answer = output;
    if (variant.chainOfThought) {
        const auto end = output.rfind("</thinking>");
        if (end != std::string_view::npos)
            answer = output.substr(end + std::string_view("</thinking>").size());
    }
    const auto first = answer.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = answer.find_last_not_of(" \t\r\n");
    return std::string(answer.substr(first, last - first + 1));
}

std::string messagesJson(const std::vector<llm::ChatMessage>& messages)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& m : messages)
        j.push_back({{"role", m.role}, {"content", m.content}});
    return j.dump();
}

} // namespace ts::promptlab

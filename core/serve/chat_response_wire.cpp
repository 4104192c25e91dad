// The OpenAI-compatible server's response objects.
#include "serve/chat_response_wire.h"

#include <chrono>
#include <mutex>
#include <random>

namespace ts::serve {

using json = nlohmann::json;

std::string wireText(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

int64_t unixSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string newCompletionId()
{
    static std::mutex mutex;
    static std::mt19937_64 rng(std::random_device {}());
    std::lock_guard lock(mutex);
    static const char* hex = "0123456789abcdef";
    std::string id = "chatcmpl-";
    for (int i = 0; i < 24; ++i)
        id.push_back(hex[rng() % 16]);
    return id;
}

json modelJson(const std::string& modelName, int64_t created)
{
    return {{"id", modelName}, {"object", "model"}, {"created", created}, {"owned_by", "tunesmith"}};
}

json modelListJson(const std::string& modelName, int64_t created)
{
    return {{"object", "list"}, {"data", json::array({modelJson(modelName, created)})}};
}

json usageJson(const llm::Usage& usage)
{
    return {{"prompt_tokens", usage.inputTokens},
            {"completion_tokens", usage.outputTokens},
            {"total_tokens", usage.inputTokens + usage.outputTokens}};
}

json completionJson(const CompletionHeader& header, const llm::ChatResult& result)
{
    json choice = {{"index", 0},
                   {"message", {{"role", "assistant"}, {"content", result.text}}},
                   {"logprobs", nullptr},
                   {"finish_reason", result.finishReason}};
    return {{"id", header.id},       {"object", "chat.completion"},      {"created", header.created},
            {"model", header.model}, {"choices", json::array({choice})}, {"usage", usageJson(result.usage)}};
}

json completionChunkJson(const CompletionHeader& header, json delta, json finishReason, bool withUsageField)
{
    json c = {{"id", header.id},
              {"object", "chat.completion.chunk"},
              {"created", header.created},
              {"model", header.model},
              {"choices",
               json::array({{{"index", 0},
                             {"delta", std::move(delta)},
                             {"logprobs", nullptr},
                             {"finish_reason", std::move(finishReason)}}})}};
    if (withUsageField)
        c["usage"] = nullptr;
    return c;
}

json usageChunkJson(const CompletionHeader& header, const llm::Usage& usage)
{
    return {{"id", header.id},       {"object", "chat.completion.chunk"}, {"created", header.created},
            {"model", header.model}, {"choices", json::array()},          {"usage", usageJson(usage)}};
}

} // namespace ts::serve

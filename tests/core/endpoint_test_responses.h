// Scripted OpenAI-compatible answers for endpoint tests: a model list (GET /v1/models) and a 1-token chat completion.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace tstest {

// {"object": "list", "data": [{"id": ..., "object": "model"}, ...]}
inline std::string modelListBody(std::initializer_list<const char*> ids)
{
    nlohmann::json data = nlohmann::json::array();
    for (const char* id : ids)
        data.push_back({{"id", id}, {"object", "model"}});
    return nlohmann::json {{"object", "list"}, {"data", data}}.dump();
}

// A chat.completion that answered "OK" and stopped at max_tokens = 1.
inline std::string oneTokenCompletionBody()
{
    return nlohmann::json {
        {"id", "c1"},
        {"object", "chat.completion"},
        {"choices",
         {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "OK"}}}, {"finish_reason", "length"}}}},
        {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 1}}}}
        .dump();
}

} // namespace tstest

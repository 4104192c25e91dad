// The JSON the OpenAI-compatible server answers with: the model object and list, a chat
// completion, the chunks of a streamed completion (chat.completion.chunk) and token usage, plus
// the completion ids ("chatcmpl-" + 24 hex digits) and creation times (Unix seconds) they carry.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "llm/provider.h"

namespace ts::serve {

// Compact JSON text; invalid UTF-8 (a model's partial characters) is replaced, never thrown on.
std::string wireText(const nlohmann::json& value);

int64_t unixSeconds();
std::string newCompletionId(); // thread-safe

// {"id", "object": "model", "created", "owned_by": "tunesmith"}
nlohmann::json modelJson(const std::string& modelName, int64_t created);
// {"object": "list", "data": [model]}
nlohmann::json modelListJson(const std::string& modelName, int64_t created);

// {"prompt_tokens", "completion_tokens", "total_tokens"}
nlohmann::json usageJson(const llm::Usage& usage);

// What identifies one completion in every object written for it.
struct CompletionHeader
{
    std::string id;
    int64_t created = 0;
    std::string model;
};

// The non-streamed answer: one choice with the assistant message, and usage.
nlohmann::json completionJson(const CompletionHeader& header, const llm::ChatResult& result);

// One streamed chunk: a choice with `delta` and `finishReason` (null until the last); with
// `withUsageField` it carries "usage": null, as OpenAI writes when usage is asked for.
nlohmann::json completionChunkJson(const CompletionHeader& header, nlohmann::json delta, nlohmann::json finishReason,
                                   bool withUsageField);

// The usage chunk after the finish chunk (stream_options.include_usage): no choices.
nlohmann::json usageChunkJson(const CompletionHeader& header, const llm::Usage& usage);

} // namespace ts::serve

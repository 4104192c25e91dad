// The body of POST /v1/chat/completions, as OpenAI clients send it, parsed into the provider's
// request: messages (system/developer/user/assistant; string content or text parts), model,
// temperature, top_p, max_tokens / max_completion_tokens, seed, stop, n (must be 1),
// response_format, tools (none), stream and stream_options.include_usage. A field that is absent
// or null counts as not given. Every refusal is a 400 naming the field. Untrusted input: no torch.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llm/provider.h"
#include "serve/api_error.h"

namespace ts::serve {

struct CompletionRequest
{
    std::vector<llm::ChatMessage> messages;
    llm::ChatParams params;
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage
};

// Fills `out` from the JSON body; the first problem found, or nullopt.
std::optional<ApiError> parseCompletionRequest(const std::string& body, CompletionRequest& out);

} // namespace ts::serve

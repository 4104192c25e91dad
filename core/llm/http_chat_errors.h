// How the HTTP providers turn an HTTP status and an error body into a ChatError: the kind for a
// status, and the provider's own message out of the body ({"error": {"message": ...}} for OpenAI
// and Anthropic, {"error": "..."} for Ollama and some others).
#pragma once

#include <string>
#include <string_view>

#include "llm/provider.h"

namespace ts::llm {

// 401/403 Auth, 408 Timeout, 429 RateLimited, other 4xx BadRequest, 5xx Server, else BadResponse.
ChatErrorKind chatErrorKindForStatus(int status);

// The provider's message in an error body, or the start of the body when it is not the usual JSON.
std::string providerErrorMessage(std::string_view body);

// At most `maxChars` of `text` (whole UTF-8 characters), with "…" when cut, for messages.
std::string excerpt(std::string_view text, size_t maxChars = 200);

} // namespace ts::llm

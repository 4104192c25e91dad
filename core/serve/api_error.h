// ApiError: an error answer of the OpenAI-compatible server, written as the OpenAI API writes
// them: {"error": {"message", "type", "param", "code"}} with an HTTP status. badField() names the
// offending request field; apiErrorFromChatError() maps a provider's ChatError to a status.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "llm/provider.h"

namespace ts::serve {

struct ApiError
{
    int status = 400;
    std::string message;
    std::string param; // the offending request field, if any
    std::string code; // e.g. "invalid_api_key"; empty: null
};

// The JSON body; "type" follows the status (401: authentication_error, 5xx: server_error, else
// invalid_request_error).
nlohmann::json apiErrorJson(const ApiError& error);

// A 400 naming the field: "'<param>' <message>".
ApiError badField(const std::string& param, const std::string& message);

// BadRequest → 400 on "messages", Cancelled → 503 "cancelled", anything else → 500.
ApiError apiErrorFromChatError(const llm::ChatError& error);

} // namespace ts::serve

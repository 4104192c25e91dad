// ApiError: the OpenAI-style error body and the mapping from provider errors.
#include "serve/api_error.h"

namespace ts::serve {

using json = nlohmann::json;

json apiErrorJson(const ApiError& e)
{
    const char* type = e.status == 401 ? "authentication_error"
        : e.status >= 500              ? "server_error"
                                       : "invalid_request_error";
    return {{"error",
             {{"message", e.message},
              {"type", type},
              {"param", e.param.empty() ? json(nullptr) : json(e.param)},
              {"code", e.code.empty() ? json(nullptr) : json(e.code)}}}};
}

ApiError badField(const std::string& param, const std::string& message)
{
    return ApiError {400, "'" + param + "' " + message, param, ""};
}

ApiError apiErrorFromChatError(const llm::ChatError& e)
{
    using K = llm::ChatErrorKind;
    switch (e.kind) {
    case K::BadRequest:
        return ApiError {400, e.message, "messages", ""};
    case K::Cancelled:
        return ApiError {503, "the generation was cancelled (the server is stopping)", "", "cancelled"};
    default:
        return ApiError {500, e.message, "", ""};
    }
}

} // namespace ts::serve

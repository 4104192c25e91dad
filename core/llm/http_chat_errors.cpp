#include "llm/http_chat_errors.h"

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "llm/http_text.h"

namespace ts::llm {

ChatErrorKind chatErrorKindForStatus(int status)
{
    if (status == 401 || status == 403)
        return ChatErrorKind::Auth;
    if (status == 408)
        return ChatErrorKind::Timeout;
    if (status == 429)
        return ChatErrorKind::RateLimited;
    if (status >= 400 && status < 500)
        return ChatErrorKind::BadRequest;
    if (status >= 500)
        return ChatErrorKind::Server;
    return ChatErrorKind::BadResponse;
}

std::string excerpt(std::string_view text, size_t maxChars)
{
    if (text.size() <= maxChars)
        return std::string(text);
    return std::string(utf8::prefixWithinBytes(text, maxChars)) + "…";
}

std::string providerErrorMessage(std::string_view body)
{
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        auto error = j.find("error");
        if (error != j.end() && error->is_object()) {
            auto message = error->find("message");
            if (message != error->end() && message->is_string())
                return message->get<std::string>();
        }
        if (error != j.end() && error->is_string())
            return error->get<std::string>();
        auto message = j.find("message");
        if (message != j.end() && message->is_string())
            return message->get<std::string>();
    }
    std::string_view trimmed = trimAsciiSpace(body);
    return excerpt(trimmed);
}

} // namespace ts::llm

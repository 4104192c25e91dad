#include "llm/chat_json.h"

#include "llm/http_chat_errors.h"

namespace ts::llm {

Expected<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what)
{
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(std::string(what) + " is not a JSON object: " + excerpt(text));
    return j;
}

ChatError JsonStreamDecoder::badEvent(std::string message)
{
    return ChatError {ChatErrorKind::BadResponse, std::move(message), 200, 1};
}

std::optional<ChatError> JsonStreamDecoder::onEvent(const SseEvent& event, ChatResult& result, std::string& delta)
{
    if (event.isDone()) {
        m_done = true;
        return std::nullopt;
    }
    auto data = parseJsonObject(event.data, "a stream event");
    if (!data)
        return badEvent(data.error().message);
    try {
        return onJson(*data, event, result, delta);
    } catch (const nlohmann::json::exception& e) {
        return badEvent(std::string("unexpected stream event (") + e.what() + "): " + excerpt(event.data));
    }
}

} // namespace ts::llm

// Reading the JSON the chat APIs send: a body or event that must be a JSON object, and the base
// of the stream decoders whose events each carry one JSON object (OpenAI chunks, Anthropic events).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "llm/http_chat_runner.h"

namespace ts::llm {

// `text` parsed as a JSON object, or an error "<what> is not a JSON object: <start of text>".
Expected<nlohmann::json> parseJsonObject(std::string_view text, std::string_view what);

// Decodes streams whose events are JSON objects. The OpenAI "[DONE]" sentinel ends the stream;
// a JSON type error inside onJson() becomes a BadResponse naming the event.
class JsonStreamDecoder : public ChatStreamDecoder
{
public:
    std::optional<ChatError> onEvent(const SseEvent& event, ChatResult& result, std::string& delta) final;
    bool complete() const final { return m_done; }

protected:
    virtual std::optional<ChatError> onJson(const nlohmann::json& data, const SseEvent& event, ChatResult& result,
                                            std::string& delta)
        = 0;
    void markDone() { m_done = true; }
    static ChatError badEvent(std::string message);

private:
    bool m_done = false;
};

} // namespace ts::llm

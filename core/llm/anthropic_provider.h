// AnthropicProvider: the Anthropic Messages API (POST {base}/v1/messages with x-api-key and
// anthropic-version: 2023-06-01). System messages are pulled out of the list into the top-level
// `system` field; max_tokens is always sent (ChatParams.maxTokens or the config's default).
// Streams (message_start / content_block_delta / message_delta / message_stop events) when the
// caller passes onDelta. seed and jsonMode have no Messages API equivalent and are not sent.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "llm/http_chat_runner.h"
#include "llm/provider.h"
#include "llm/provider_config.h"

namespace ts::llm {

inline constexpr std::string_view kAnthropicVersion = "2023-06-01";

class AnthropicProvider final : public Provider
{
public:
    // `config` should have passed validateProviderConfig(); an empty baseUrl means api.anthropic.com.
    AnthropicProvider(ProviderConfig config, std::string apiKey);

    std::string describe() const override;
    ChatOutcome chat(const std::vector<ChatMessage>& messages, const ChatParams& params, const CancelToken& cancel,
                     const DeltaCallback& onDelta = {}) override;

    nlohmann::json requestBody(const std::vector<ChatMessage>& messages, const ChatParams& params, bool stream) const;
    std::string messagesUrl() const; // {base}/v1/messages (a base already ending in /v1 is not doubled)

private:
    ProviderConfig m_config;
    std::string m_apiKey;
    HttpChatRunner m_runner;
};

// Parses a non-streaming Messages response: the text blocks of "content", stop_reason, usage.
Expected<ChatResult> parseAnthropicMessage(const std::string& body);

} // namespace ts::llm

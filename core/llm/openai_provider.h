// OpenAiProvider: the OpenAI chat completions API (POST {base}/chat/completions), as spoken by
// OpenAI itself and by vLLM, llama.cpp's server, Ollama and LM Studio. Streams with
// `stream: true` and `stream_options: {include_usage: true}` when the caller passes onDelta.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "llm/http_chat_runner.h"
#include "llm/provider.h"
#include "llm/provider_config.h"

namespace ts::llm {

class OpenAiProvider final : public Provider
{
public:
    // `config` should have passed validateProviderConfig(); an empty apiKey sends no Authorization.
    OpenAiProvider(ProviderConfig config, std::string apiKey);

    std::string describe() const override;
    ChatOutcome chat(const std::vector<ChatMessage>& messages, const ChatParams& params, const CancelToken& cancel,
                     const DeltaCallback& onDelta = {}) override;

    // The request body for these messages and params (public for tests).
    nlohmann::json requestBody(const std::vector<ChatMessage>& messages, const ChatParams& params, bool stream) const;

private:
    ProviderConfig m_config;
    std::string m_apiKey;
    HttpChatRunner m_runner;
};

// Parses a non-streaming chat completion: choices[0].message.content, finish_reason, usage.
Expected<ChatResult> parseOpenAiCompletion(const std::string& body);

} // namespace ts::llm

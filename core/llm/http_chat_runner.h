// HttpChatRunner: what the OpenAI-compatible and Anthropic providers share. Given one prepared
// HTTP exchange (URL, JSON body, headers and how to read the answer), it runs it under the
// provider's concurrency limit, retries what is worth retrying with backoff (honouring
// Retry-After), streams text deltas to the caller, and returns a ChatOutcome whose error messages
// name the host, the HTTP status and the provider's own message, with the API key redacted.
//
// Streaming and retries: a stream cut (or timed out, or failed by an error event) before any text
// reached the caller's DeltaCallback is retried like any connection failure. Once text has been
// delivered it is not retried (the caller would see the text twice); the call fails as Network
// (or Timeout / Server) and the message says how much text had arrived.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/expected.h"
#include "llm/concurrency_limit.h"
#include "llm/http_client.h"
#include "llm/provider.h"
#include "llm/retry_policy.h"
#include "llm/sse_parser.h"

namespace ts::llm {

// Reads one provider's event stream. One decoder per attempt.
class ChatStreamDecoder
{
public:
    virtual ~ChatStreamDecoder() = default;
    // Handles one event: sets `delta` to the text it carries (if any) and updates usage and finish
    // reason in `result` (the runner appends deltas to result.text). Returns an error for a
    // malformed event (BadResponse) or an error the provider reports inside the stream.
    virtual std::optional<ChatError> onEvent(const SseEvent& event, ChatResult& result, std::string& delta) = 0;
    // True once the stream's final event arrived ([DONE], message_stop, ...).
    virtual bool complete() const = 0;
};

struct HttpChatExchange
{
    std::string url;
    std::string body; // JSON request
    std::vector<std::pair<std::string, std::string>> headers;
    bool stream = false;
    // Non-streaming: the 2xx body into a result; an error message describes what is wrong with it.
    std::function<Expected<ChatResult>(const std::string& body)> parseResponse;
    // Streaming: a fresh decoder for each attempt.
    std::function<std::unique_ptr<ChatStreamDecoder>()> makeDecoder;
};

struct HttpChatSettings
{
    std::string label; // names the provider and host in messages: "openai-compatible 127.0.0.1:8080"
    std::string secret; // the API key: removed from every message
    HttpTimeouts timeouts;
    RetrySettings retry;
    int maxConcurrency = 4;
};

class HttpChatRunner
{
public:
    explicit HttpChatRunner(HttpChatSettings settings);

    ChatOutcome run(const HttpChatExchange& exchange, const CancelToken& cancel, const DeltaCallback& onDelta);

    const HttpChatSettings& settings() const { return m_settings; }
    ConcurrencyLimit& concurrencyLimit() { return m_limit; }

private:
    struct AttemptFailure
    {
        ChatError error;
        bool retryable = false;
        std::optional<Millis> retryAfter;
    };
    using AttemptOutcome = std::variant<ChatResult, AttemptFailure>;

    AttemptOutcome attempt(const HttpChatExchange& exchange, const CancelToken& cancel, const DeltaCallback& onDelta);
    AttemptOutcome failureFromResponse(const HttpResponse& response, bool textDelivered, size_t deliveredChars) const;
    ChatError finalError(ChatError error, int attempts) const;

    HttpChatSettings m_settings;
    RetryPolicy m_retry;
    ConcurrencyLimit m_limit;
};

} // namespace ts::llm

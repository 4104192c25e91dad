// Provider: one chat-completion backend (an OpenAI-compatible host, Anthropic Messages, or the
// local engine). chat() sends one conversation and returns the text, token usage and latency;
// with onDelta set it streams and calls onDelta for each piece of text as it arrives.
//
// Providers are thread-safe: the A/B runner calls chat() from several threads at once. Retries,
// the per-provider concurrency limit and timeouts live behind this interface (see
// llm/retry_policy.h and llm/concurrency_limit.h); a call returns only a final outcome.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"

namespace ts::llm {

struct ChatMessage
{
    std::string role; // "system", "user" or "assistant"
    std::string content;
};

struct ChatParams
{
    std::string model; // the provider's model name (for the local engine: ignored)
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    std::optional<uint64_t> seed; // sent where the API has one (OpenAI-compatible, local engine)
    std::vector<std::string> stop;
    bool jsonMode = false; // OpenAI response_format {"type":"json_object"} where supported
};

struct Usage
{
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
};

struct ChatResult
{
    std::string text;
    Usage usage;
    double latencyMs = 0; // wall time of the successful attempt, first byte sent to last received
    int attempts = 1; // 1 + retries
    std::string finishReason; // "stop", "length", ... as the provider says
};

// Why a call failed, so callers can tell "stop the run" from "record and go on".
enum class ChatErrorKind {
    Cancelled, // the cancel token was set; the request was aborted
    Auth, // 401/403: a missing or wrong key (retrying will not help)
    BadRequest, // 400/404/422: the request or model name is wrong
    RateLimited, // 429 after the last retry
    Server, // 5xx after the last retry
    Timeout, // connect or read timeout after the last retry
    Network, // connection refused / reset / cut mid-stream after the last retry
    BadResponse, // the body is not what the API documents (malformed JSON, missing fields)
};

const char* chatErrorKindName(ChatErrorKind kind); // "cancelled", "auth", ...

struct ChatError
{
    ChatErrorKind kind = ChatErrorKind::Network;
    std::string message; // names the host, the HTTP status and the provider's own message
    int httpStatus = 0; // 0 when no response arrived
    int attempts = 1;
};

// A value or a ChatError.
class ChatOutcome
{
public:
    ChatOutcome(ChatResult result)
        : m_result(std::move(result))
    { }
    ChatOutcome(ChatError error)
        : m_error(std::move(error))
    { }
    bool ok() const { return m_result.has_value(); }
    explicit operator bool() const { return ok(); }
    const ChatResult& result() const { return *m_result; }
    ChatResult& result() { return *m_result; }
    const ChatError& error() const { return *m_error; }

private:
    std::optional<ChatResult> m_result;
    std::optional<ChatError> m_error;
};

using DeltaCallback = std::function<void(const std::string& textDelta)>;

class Provider
{
public:
    virtual ~Provider() = default;
    // e.g. "openai-compatible http://127.0.0.1:8080/v1", "anthropic", "local /models/llama"
    virtual std::string describe() const = 0;
    virtual ChatOutcome chat(const std::vector<ChatMessage>& messages, const ChatParams& params,
                             const CancelToken& cancel, const DeltaCallback& onDelta = {})
        = 0;
};

} // namespace ts::llm

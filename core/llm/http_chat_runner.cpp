#include "llm/http_chat_runner.h"

#include <chrono>
#include <variant>

#include "llm/api_keys.h"
#include "llm/http_chat_errors.h"

namespace ts::llm {

namespace {

ChatError cancelledError()
{
    return ChatError {ChatErrorKind::Cancelled, "cancelled", 0, 1};
}

std::string deliveredNote(bool textDelivered, size_t chars)
{
    if (!textDelivered)
        return "";
    return " after " + std::to_string(chars) + " bytes of text had been streamed (not retried)";
}

} // namespace

HttpChatRunner::HttpChatRunner(HttpChatSettings settings)
    : m_settings(std::move(settings))
    , m_retry(m_settings.retry)
    , m_limit(m_settings.maxConcurrency)
{ }

ChatOutcome HttpChatRunner::run(const HttpChatExchange& exchange, const CancelToken& cancel,
                                const DeltaCallback& onDelta)
{
    for (int attemptNo = 1;; ++attemptNo) {
        if (cancel.stopRequested())
            return finalError(cancelledError(), attemptNo);
        ConcurrencyLimit::Slot slot = m_limit.acquire(cancel);
        if (!slot)
            return finalError(cancelledError(), attemptNo);
        AttemptOutcome outcome = attempt(exchange, cancel, onDelta);
        slot.release(); // others may go while this call waits to retry
        if (auto* result = std::get_if<ChatResult>(&outcome)) {
            result->attempts = attemptNo;
            return std::move(*result);
        }
        auto& failure = std::get<AttemptFailure>(outcome);
        if (!failure.retryable || !m_retry.attemptsLeft(attemptNo))
            return finalError(std::move(failure.error), attemptNo);
        auto delay = m_retry.delayBeforeRetry(attemptNo, failure.retryAfter);
        if (!delay) {
            failure.error.message += "; the server asked to retry after "
                + std::to_string(failure.retryAfter->count() / 1000) + " s, longer than the "
                + std::to_string(m_retry.settings().maxRetryAfter.count() / 1000) + " s limit";
            return finalError(std::move(failure.error), attemptNo);
        }
        if (!sleepUnlessCancelled(*delay, cancel))
            return finalError(cancelledError(), attemptNo);
    }
}

HttpChatRunner::AttemptOutcome HttpChatRunner::attempt(const HttpChatExchange& exchange, const CancelToken& cancel,
                                                       const DeltaCallback& onDelta)
{
    HttpRequest request {exchange.url, exchange.body, exchange.headers, m_settings.timeouts};
    const auto start = std::chrono::steady_clock::now();

    ChatResult streamed;
    std::optional<ChatError> streamError;
    std::unique_ptr<ChatStreamDecoder> decoder;
    SseParser parser;
    std::string head; // the start of a streamed body, to show when it is not an event stream
    bool textDelivered = false;
    bool sawEvent = false;

    HttpBodyCallback onBody;
    if (exchange.stream) {
        decoder = exchange.makeDecoder();
        onBody = [&](std::string_view chunk) {
            if (head.size() < 300)
                head.append(chunk.substr(0, 300 - head.size()));
            parser.feed(chunk, [&](const SseEvent& event) {
                if (streamError || decoder->complete())
                    return;
                sawEvent = true;
                std::string delta;
                streamError = decoder->onEvent(event, streamed, delta);
                if (streamError || delta.empty())
                    return;
                streamed.text += delta;
                if (onDelta) {
                    onDelta(delta);
                    textDelivered = true;
                }
            });
            return !streamError;
        };
    }

    HttpResponse response = httpPost(request, cancel, onBody);
    const double latencyMs
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

    if (response.failure == HttpFailure::Cancelled)
        return AttemptFailure {cancelledError(), false, {}};
    if (streamError) {
        AttemptFailure failure {*streamError, false, {}};
        failure.error.message
            = m_settings.label + ": " + failure.error.message + deliveredNote(textDelivered, streamed.text.size());
        const ChatErrorKind kind = failure.error.kind;
        failure.retryable = !textDelivered
            && (kind == ChatErrorKind::Server || kind == ChatErrorKind::RateLimited || kind == ChatErrorKind::Network
                || kind == ChatErrorKind::Timeout);
        return failure;
    }
    if (!response.ok() || response.status < 200 || response.status >= 300)
        return failureFromResponse(response, textDelivered, streamed.text.size());

    if (exchange.stream) {
        if (!decoder->complete()) {
            const bool eventStream
                = response.header("content-type").value_or("").find("text/event-stream") != std::string::npos;
            if (!sawEvent && !eventStream) {
                return AttemptFailure {
                    {ChatErrorKind::BadResponse,
                     m_settings.label + ": expected an event stream (text/event-stream), got: " + excerpt(head),
                     response.status, 1},
                    false,
                    {}};
            }
            return AttemptFailure {{ChatErrorKind::Network,
                                    m_settings.label + ": the event stream ended before its final event"
                                        + deliveredNote(textDelivered, streamed.text.size()),
                                    response.status, 1},
                                   !textDelivered,
                                   {}};
        }
        streamed.latencyMs = latencyMs;
        return streamed;
    }

    Expected<ChatResult> parsed = exchange.parseResponse(response.body);
    if (!parsed) {
        return AttemptFailure {
            {ChatErrorKind::BadResponse, m_settings.label + ": " + parsed.error().message, response.status, 1},
            false,
            {}};
    }
    parsed->latencyMs = latencyMs;
    return std::move(parsed).value();
}

HttpChatRunner::AttemptOutcome HttpChatRunner::failureFromResponse(const HttpResponse& response, bool textDelivered,
                                                                   size_t deliveredChars) const
{
    AttemptFailure failure;
    failure.error.httpStatus = response.status;
    switch (response.failure) {
    case HttpFailure::None: {
        failure.error.kind = chatErrorKindForStatus(response.status);
        std::string message = providerErrorMessage(response.body);
        failure.error.message = m_settings.label + ": HTTP " + std::to_string(response.status)
            + (message.empty() ? std::string() : ": " + message);
        failure.retryable = isRetryableHttpStatus(response.status);
        if (auto value = response.header("retry-after"))
            failure.retryAfter = parseRetryAfter(*value, std::chrono::system_clock::now());
        return failure;
    }
    case HttpFailure::Timeout:
        failure.error.kind = ChatErrorKind::Timeout;
        failure.retryable = !textDelivered;
        break;
    case HttpFailure::Connection:
        failure.error.kind = ChatErrorKind::Network;
        failure.retryable = !textDelivered;
        break;
    case HttpFailure::InvalidUrl:
        failure.error.kind = ChatErrorKind::BadRequest;
        break;
    default:
        failure.error.kind = ChatErrorKind::Network;
        break;
    }
    failure.error.message
        = m_settings.label + ": " + response.failureMessage + deliveredNote(textDelivered, deliveredChars);
    return failure;
}

ChatError HttpChatRunner::finalError(ChatError error, int attempts) const
{
    error.attempts = attempts;
    if (error.kind != ChatErrorKind::Cancelled && attempts > 1)
        error.message += " (" + std::to_string(attempts) + " attempts)";
    error.message = redactSecret(std::move(error.message), m_settings.secret);
    return error;
}

} // namespace ts::llm

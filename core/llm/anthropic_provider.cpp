#include "llm/anthropic_provider.h"

#include "llm/chat_json.h"
#include "llm/http_chat_errors.h"
#include "llm/http_text.h"

namespace ts::llm {

using nlohmann::json;

namespace {

// Anthropic's error types inside a stream ("overloaded_error", ...) mapped like their HTTP statuses.
ChatErrorKind kindForErrorType(const std::string& type)
{
    if (type == "overloaded_error" || type == "api_error")
        return ChatErrorKind::Server;
    if (type == "rate_limit_error")
        return ChatErrorKind::RateLimited;
    if (type == "authentication_error" || type == "permission_error")
        return ChatErrorKind::Auth;
    if (type == "invalid_request_error" || type == "not_found_error" || type == "request_too_large")
        return ChatErrorKind::BadRequest;
    return ChatErrorKind::Server;
}

class AnthropicStreamDecoder final : public JsonStreamDecoder
{
protected:
    std::optional<ChatError> onJson(const json& j, const SseEvent& event, ChatResult& result,
                                    std::string& delta) override
    {
        const std::string type = j.value("type", event.event);
        if (type == "message_start") {
            const json& usage = j.at("message").at("usage");
            result.usage.inputTokens = usage.value("input_tokens", int64_t(0));
            result.usage.outputTokens = usage.value("output_tokens", int64_t(0));
        } else if (type == "content_block_delta") {
            const json& d = j.at("delta");
            if (d.value("type", std::string()) == "text_delta")
                delta = d.at("text").get<std::string>();
        } else if (type == "message_delta") {
            if (auto u = j.find("usage"); u != j.end() && u->is_object())
                result.usage.outputTokens = u->value("output_tokens", result.usage.outputTokens);
            if (auto d = j.find("delta"); d != j.end() && d->is_object()) {
                if (auto stop = d->find("stop_reason"); stop != d->end() && stop->is_string())
                    result.finishReason = stop->get<std::string>();
            }
        } else if (type == "message_stop") {
            markDone();
        } else if (type == "error") {
            const json& error = j.at("error");
            return ChatError {kindForErrorType(error.value("type", std::string())),
                              "error in the event stream: " + error.value("message", std::string("(no message)")), 200,
                              1};
        }
        // ping, content_block_start and content_block_stop carry nothing we need.
        return std::nullopt;
    }
};

} // namespace

Expected<ChatResult> parseAnthropicMessage(const std::string& body)
{
    auto parsed = parseJsonObject(body, "the response");
    if (!parsed)
        return parsed.error();
    const json& j = *parsed;
    if (j.value("type", std::string()) == "error")
        return makeError("the response reports an error: " + providerErrorMessage(body));
    auto content = j.find("content");
    if (content == j.end() || !content->is_array())
        return makeError("the response has no \"content\" array: " + excerpt(body));
    ChatResult result;
    try {
        for (const json& block : *content) {
            if (block.value("type", std::string()) == "text")
                result.text += block.at("text").get<std::string>();
        }
        if (auto stop = j.find("stop_reason"); stop != j.end() && stop->is_string())
            result.finishReason = stop->get<std::string>();
        if (auto usage = j.find("usage"); usage != j.end() && usage->is_object()) {
            result.usage.inputTokens = usage->value("input_tokens", int64_t(0));
            result.usage.outputTokens = usage->value("output_tokens", int64_t(0));
        }
    } catch (const json::exception& e) {
        return makeError(std::string("unexpected response content (") + e.what() + ")");
    }
    return result;
}

AnthropicProvider::AnthropicProvider(ProviderConfig config, std::string apiKey)
    : m_config(std::move(config))
    , m_apiKey(std::move(apiKey))
    , m_runner(HttpChatSettings {"anthropic " + urlHost(messagesUrl()), m_apiKey, m_config.timeouts, m_config.retry,
                                 m_config.maxConcurrency})
{ }

std::string AnthropicProvider::messagesUrl() const
{
    std::string base = withoutTrailingSlashes(m_config.baseUrl.empty() ? kAnthropicDefaultBaseUrl
                                                                       : std::string_view(m_config.baseUrl));
    return base + (base.ends_with("/v1") ? "/messages" : "/v1/messages");
}

std::string AnthropicProvider::describe() const
{
    std::string base = m_config.baseUrl.empty() ? std::string(kAnthropicDefaultBaseUrl) : m_config.baseUrl;
    return "anthropic " + withoutTrailingSlashes(base) + (m_config.model.empty() ? "" : " " + m_config.model);
}

json AnthropicProvider::requestBody(const std::vector<ChatMessage>& messages, const ChatParams& params,
                                    bool stream) const
{
    json body;
    body["model"] = params.model.empty() ? m_config.model : params.model;
    body["max_tokens"] = params.maxTokens.value_or(m_config.defaultMaxTokens);
    std::string system;
    json list = json::array();
    for (const auto& m : messages) {
        if (m.role == "system") {
            system += (system.empty() ? "" : "\n\n") + m.content;
            continue;
        }
        list.push_back({{"role", m.role}, {"content", m.content}});
    }
    if (!system.empty())
        body["system"] = system;
    body["messages"] = std::move(list);
    if (params.temperature)
        body["temperature"] = *params.temperature;
    if (params.topP)
        body["top_p"] = *params.topP;
    if (!params.stop.empty())
        body["stop_sequences"] = params.stop;
    if (stream)
        body["stream"] = true;
    return body;
}

ChatOutcome AnthropicProvider::chat(const std::vector<ChatMessage>& messages, const ChatParams& params,
                                    const CancelToken& cancel, const DeltaCallback& onDelta)
{
    const bool stream = static_cast<bool>(onDelta);
    HttpChatExchange exchange;
    exchange.url = messagesUrl();
    exchange.body = requestBody(messages, params, stream).dump(-1, ' ', false, json::error_handler_t::replace);
    exchange.stream = stream;
    if (!m_apiKey.empty())
        exchange.headers.emplace_back("x-api-key", m_apiKey);
    exchange.headers.emplace_back("anthropic-version", std::string(kAnthropicVersion));
    if (stream)
        exchange.headers.emplace_back("Accept", "text/event-stream");
    exchange.parseResponse = parseAnthropicMessage;
    exchange.makeDecoder = [] { return std::make_unique<AnthropicStreamDecoder>(); };
    return m_runner.run(exchange, cancel, onDelta);
}

} // namespace ts::llm

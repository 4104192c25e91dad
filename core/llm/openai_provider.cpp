#include "llm/openai_provider.h"

#include "llm/chat_json.h"
#include "llm/http_chat_errors.h"
#include "llm/http_text.h"

namespace ts::llm {

using nlohmann::json;

namespace {

void readUsage(const json& j, Usage& usage)
{
    auto it = j.find("usage");
    if (it == j.end() || !it->is_object())
        return;
    usage.inputTokens = it->value("prompt_tokens", int64_t(0));
    usage.outputTokens = it->value("completion_tokens", int64_t(0));
}

// Reads an "error" member some servers put in a 200 body or a stream event.
std::optional<std::string> inlineError(const json& j)
{
    auto it = j.find("error");
    if (it == j.end() || it->is_null())
        return std::nullopt;
    return providerErrorMessage(j.dump());
}

class OpenAiStreamDecoder final : public JsonStreamDecoder
{
protected:
    std::optional<ChatError> onJson(const json& j, const SseEvent& event, ChatResult& result,
                                    std::string& delta) override
    {
        if (auto error = inlineError(j))
            return ChatError {ChatErrorKind::Server, "error in the event stream: " + *error, 200, 1};
        readUsage(j, result.usage);
        auto choices = j.find("choices");
        if (choices == j.end() || !choices->is_array())
            return badEvent("a stream event has no \"choices\" array: " + excerpt(event.data));
        if (choices->empty())
            return std::nullopt; // the usage-only event at the end
        const json& choice = choices->at(0);
        if (auto d = choice.find("delta"); d != choice.end() && d->is_object()) {
            if (auto content = d->find("content"); content != d->end() && content->is_string())
                delta = content->get<std::string>();
        }
        if (auto finish = choice.find("finish_reason"); finish != choice.end() && finish->is_string())
            result.finishReason = finish->get<std::string>();
        return std::nullopt;
    }
};

} // namespace

Expected<ChatResult> parseOpenAiCompletion(const std::string& body)
{
    auto parsed = parseJsonObject(body, "the response");
    if (!parsed)
        return parsed.error();
    const json& j = *parsed;
    if (auto error = inlineError(j))
        return makeError("the response reports an error: " + *error);
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty())
        return makeError("the response has no \"choices\": " + excerpt(body));
    const json& choice = choices->at(0);
    auto message = choice.find("message");
    if (message == choice.end() || !message->is_object())
        return makeError("choices[0] has no \"message\" object");
    ChatResult result;
    auto content = message->find("content");
    if (content != message->end() && content->is_string())
        result.text = content->get<std::string>();
    else if (content == message->end() || !content->is_null())
        return makeError("choices[0].message.content is missing or not a string");
    if (auto finish = choice.find("finish_reason"); finish != choice.end() && finish->is_string())
        result.finishReason = finish->get<std::string>();
    try {
        readUsage(j, result.usage);
    } catch (const json::exception&) {
        return makeError("\"usage\" token counts are not numbers");
    }
    return result;
}

OpenAiProvider::OpenAiProvider(ProviderConfig config, std::string apiKey)
    : m_config(std::move(config))
    , m_apiKey(std::move(apiKey))
    , m_runner(HttpChatSettings {"openai-compatible " + urlHost(m_config.baseUrl), m_apiKey, m_config.timeouts,
                                 m_config.retry, m_config.maxConcurrency})
{ }

std::string OpenAiProvider::describe() const
{
    return "openai-compatible " + withoutTrailingSlashes(m_config.baseUrl)
        + (m_config.model.empty() ? "" : " " + m_config.model);
}

json OpenAiProvider::requestBody(const std::vector<ChatMessage>& messages, const ChatParams& params, bool stream) const
{
    json body;
    body["model"] = params.model.empty() ? m_config.model : params.model;
    json list = json::array();
    for (const auto& m : messages)
        list.push_back({{"role", m.role}, {"content", m.content}});
    body["messages"] = std::move(list);
    if (params.temperature)
        body["temperature"] = *params.temperature;
    if (params.topP)
        body["top_p"] = *params.topP;
    if (params.maxTokens)
        body["max_tokens"] = *params.maxTokens;
    if (params.seed)
        body["seed"] = *params.seed;
    if (!params.stop.empty())
        body["stop"] = params.stop;
    if (params.jsonMode)
        body["response_format"] = {{"type", "json_object"}};
    body["stream"] = stream;
    if (stream)
        body["stream_options"] = {{"include_usage", true}};
    return body;
}

ChatOutcome OpenAiProvider::chat(const std::vector<ChatMessage>& messages, const ChatParams& params,
                                 const CancelToken& cancel, const DeltaCallback& onDelta)
{
    const bool stream = static_cast<bool>(onDelta);
    HttpChatExchange exchange;
    exchange.url = withoutTrailingSlashes(m_config.baseUrl) + "/chat/completions";
    exchange.body = requestBody(messages, params, stream).dump(-1, ' ', false, json::error_handler_t::replace);
    exchange.stream = stream;
    if (!m_apiKey.empty())
        exchange.headers.emplace_back("Authorization", "Bearer " + m_apiKey);
    if (stream)
        exchange.headers.emplace_back("Accept", "text/event-stream");
    exchange.parseResponse = parseOpenAiCompletion;
    exchange.makeDecoder = [] { return std::make_unique<OpenAiStreamDecoder>(); };
    return m_runner.run(exchange, cancel, onDelta);
}

} // namespace ts::llm

// parseCompletionRequest: the OpenAI chat completion request body → CompletionRequest, with
// field-named 400s.
#include "serve/chat_request_wire.h"

#include <nlohmann/json.hpp>

namespace ts::serve {

namespace {

using json = nlohmann::json;

// A field that is absent or null counts as not given (SDKs send explicit nulls).
const json* field(const json& body, const char* name)
{
    auto it = body.find(name);
    return it == body.end() || it->is_null() ? nullptr : &*it;
}

std::optional<ApiError> parseMessages(const json& list, std::vector<llm::ChatMessage>& out)
{
    if (!list.is_array() || list.empty())
        return badField("messages", "must be a non-empty array");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = "messages[" + std::to_string(i) + "]";
        const json& m = list[i];
        if (!m.is_object())
            return badField(where, "must be an object");
        const json* role = field(m, "role");
        if (!role || !role->is_string())
            return badField(where + ".role", "must be a string");
        std::string r = role->get<std::string>();
        if (r == "developer")
            r = "system"; // newer OpenAI clients send system prompts as "developer"
        if (r != "system" && r != "user" && r != "assistant")
            return badField(where + ".role", "must be system, developer, user or assistant (got '" + r + "')");
        std::string content;
        const json* c = field(m, "content");
        if (c && c->is_string()) {
            content = c->get<std::string>();
        } else if (c && c->is_array()) { // content parts: only text
            for (size_t k = 0; k < c->size(); ++k) {
                const json& part = (*c)[k];
                const std::string partWhere = where + ".content[" + std::to_string(k) + "]";
                if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text")
                    || !part["text"].is_string())
                    return badField(partWhere, "must be {\"type\": \"text\", \"text\": string}");
                content += part["text"].get<std::string>();
            }
        } else if (c || r != "assistant") {
            return badField(where + ".content", "must be a string or an array of text parts");
        }
        out.push_back({std::move(r), std::move(content)});
    }
    return std::nullopt;
}

std::optional<ApiError> parseStop(const json& v, std::vector<std::string>& stop)
{
    if (v.is_string()) {
        stop.push_back(v.get<std::string>());
    } else if (v.is_array()) {
        for (const auto& s : v) {
            if (!s.is_string())
                return badField("stop", "must be a string or an array of strings");
            stop.push_back(s.get<std::string>());
        }
    } else {
        return badField("stop", "must be a string or an array of strings");
    }
    for (const auto& s : stop)
        if (s.empty())
            return badField("stop", "must not contain empty strings");
    return std::nullopt;
}

// The sampling and output fields of the request.
std::optional<ApiError> parseParams(const json& j, llm::ChatParams& p)
{
    if (const json* v = field(j, "model")) {
        if (!v->is_string())
            return badField("model", "must be a string");
        p.model = v->get<std::string>();
    }
    if (const json* v = field(j, "temperature")) {
        if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > 2)
            return badField("temperature", "must be a number between 0 and 2");
        p.temperature = v->get<double>();
    }
    if (const json* v = field(j, "top_p")) {
        if (!v->is_number() || v->get<double>() <= 0 || v->get<double>() > 1)
            return badField("top_p", "must be a number in (0, 1]");
        p.topP = v->get<double>();
    }
    for (const char* name : {"max_tokens", "max_completion_tokens"}) // the latter wins
        if (const json* v = field(j, name)) {
            if (!v->is_number_integer() || v->get<int64_t>() < 1 || v->get<int64_t>() > 1'000'000)
                return badField(name, "must be a positive integer");
            p.maxTokens = static_cast<int>(v->get<int64_t>());
        }
    if (const json* v = field(j, "seed")) {
        if (!v->is_number_integer())
            return badField("seed", "must be an integer");
        p.seed = v->is_number_unsigned() ? v->get<uint64_t>() : static_cast<uint64_t>(v->get<int64_t>());
    }
    if (const json* v = field(j, "stop"))
        if (auto e = parseStop(*v, p.stop))
            return e;
    if (const json* v = field(j, "n"); v && (!v->is_number_integer() || v->get<int64_t>() != 1))
        return badField("n", "must be 1 (one choice per request)");
    if (const json* v = field(j, "response_format")) {
        const std::string type = v->is_object() ? v->value("type", "") : "";
        if (type != "text" && type != "json_object")
            return badField("response_format.type", "must be \"text\" or \"json_object\"");
        p.jsonMode = type == "json_object";
    }
    if (const json* v = field(j, "tools"); v && !(v->is_array() && v->empty()))
        return badField("tools", "are not supported by the local engine");
    return std::nullopt;
}

} // namespace

std::optional<ApiError> parseCompletionRequest(const std::string& body, CompletionRequest& out)
{
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded())
        return ApiError {400, "the request body is not valid JSON", "", "invalid_json"};
    if (!j.is_object())
        return ApiError {400, "the request body must be a JSON object", "", "invalid_json"};

    const json* messages = field(j, "messages");
    if (!messages)
        return badField("messages", "is required");
    if (auto e = parseMessages(*messages, out.messages))
        return e;
    if (auto e = parseParams(j, out.params))
        return e;
    if (const json* v = field(j, "stream")) {
        if (!v->is_boolean())
            return badField("stream", "must be a boolean");
        out.stream = v->get<bool>();
    }
    if (const json* v = field(j, "stream_options")) {
        if (!v->is_object())
            return badField("stream_options", "must be an object");
        if (const json* u = field(*v, "include_usage")) {
            if (!u->is_boolean())
                return badField("stream_options.include_usage", "must be a boolean");
            out.includeUsage = u->get<bool>();
        }
    }
    return std::nullopt;
}

} // namespace ts::serve

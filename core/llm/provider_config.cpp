#include "llm/provider_config.h"

#include <functional>
#include <set>

#include "llm/anthropic_provider.h"
#include "llm/api_keys.h"
#include "llm/http_text.h"
#include "llm/openai_provider.h"

namespace ts::llm {

using nlohmann::json;

const char* providerKindName(ProviderKind kind)
{
    switch (kind) {
    case ProviderKind::OpenAiCompatible:
        return "openai-compatible";
    case ProviderKind::Anthropic:
        return "anthropic";
    case ProviderKind::Local:
        return "local";
    }
    return "openai-compatible";
}

std::optional<ProviderKind> parseProviderKind(std::string_view name)
{
    for (ProviderKind kind : {ProviderKind::OpenAiCompatible, ProviderKind::Anthropic, ProviderKind::Local}) {
        if (name == providerKindName(kind))
            return kind;
    }
    return std::nullopt;
}

Status validateProviderConfig(const ProviderConfig& c)
{
    auto fail
        = [](const std::string& field, const std::string& why) { return makeError("provider." + field + ": " + why); };
    const bool http = c.kind != ProviderKind::Local;
    if (http && c.kind == ProviderKind::OpenAiCompatible && c.baseUrl.empty())
        return fail("base_url", "required for openai-compatible (e.g. http://127.0.0.1:8080/v1)");
    if (http && !c.baseUrl.empty() && !isHttpUrl(c.baseUrl))
        return fail("base_url", "\"" + c.baseUrl + "\" is not an http:// or https:// URL");
    if (http && !c.adapter.empty())
        return fail("adapter",
                    "only a local endpoint can merge an adapter (serve the adapter with "
                    "`tunesmith-cli serve --adapter` for an HTTP endpoint)");
    if (c.model.empty())
        return fail("model",
                    c.kind == ProviderKind::Local ? "required (the model folder)" : "required (the model name)");
    if (!c.apiKeyEnv.empty() && !isValidEnvName(c.apiKeyEnv))
        return fail("api_key_env", "\"" + c.apiKeyEnv + "\" is not an environment variable name");
    if (c.maxConcurrency < 1 || c.maxConcurrency > 256)
        return fail("max_concurrency", "must be between 1 and 256, got " + std::to_string(c.maxConcurrency));
    if (c.timeouts.connect.count() <= 0)
        return fail("timeouts.connect_ms", "must be > 0");
    if (c.timeouts.idle.count() <= 0)
        return fail("timeouts.idle_ms", "must be > 0");
    if (c.timeouts.total.count() < 0)
        return fail("timeouts.total_ms", "must be >= 0 (0 = no limit)");
    if (c.retry.maxAttempts < 1 || c.retry.maxAttempts > 20)
        return fail("retry.max_attempts", "must be between 1 and 20, got " + std::to_string(c.retry.maxAttempts));
    if (c.retry.baseDelay.count() < 0)
        return fail("retry.base_delay_ms", "must be >= 0");
    if (c.retry.maxDelay < c.retry.baseDelay)
        return fail("retry.max_delay_ms", "must be >= retry.base_delay_ms");
    if (c.retry.maxRetryAfter.count() < 0)
        return fail("retry.max_retry_after_ms", "must be >= 0");
    if (c.defaultMaxTokens < 1)
        return fail("max_tokens", "must be >= 1");
    return {};
}

json providerConfigToJson(const ProviderConfig& c)
{
    json j {
        {"kind", providerKindName(c.kind)},
        {"base_url", c.baseUrl},
        {"model", c.model},
        {"api_key_env", c.apiKeyEnv},
        {"max_concurrency", c.maxConcurrency},
        {"max_tokens", c.defaultMaxTokens},
        {"timeouts",
         {{"connect_ms", c.timeouts.connect.count()},
          {"idle_ms", c.timeouts.idle.count()},
          {"total_ms", c.timeouts.total.count()}}},
        {"retry",
         {{"max_attempts", c.retry.maxAttempts},
          {"base_delay_ms", c.retry.baseDelay.count()},
          {"max_delay_ms", c.retry.maxDelay.count()},
          {"max_retry_after_ms", c.retry.maxRetryAfter.count()}}},
    };
    if (!c.adapter.empty())
        j["adapter"] = c.adapter;
    return j;
}

namespace {

// Reads the members of one JSON object into fields, each reader naming its field on error.
class ObjectReader
{
public:
    ObjectReader(const json& object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    { }

    Status check(const std::set<std::string>& known) const
    {
        if (!m_object.is_object())
            return makeError(m_path + ": expected an object");
        for (const auto& [name, value] : m_object.items()) {
            if (!known.count(name))
                return makeError(m_path + "." + name + ": unknown field");
        }
        return {};
    }

    Status string(const char* name, std::string& out) const
    {
        return read(
            name,
            [&](const json& v) {
                if (!v.is_string())
                    return false;
                out = v.get<std::string>();
                return true;
            },
            "a string");
    }

    template <typename Int> Status integer(const char* name, Int& out) const
    {
        return read(
            name,
            [&](const json& v) {
                if (!v.is_number_integer())
                    return false;
                out = Int(v.get<int64_t>());
                return true;
            },
            "an integer");
    }

    Status millis(const char* name, Millis& out) const
    {
        int64_t ms = out.count();
        Status s = integer(name, ms);
        out = Millis(ms);
        return s;
    }

    const json* child(const char* name) const
    {
        auto it = m_object.find(name);
        return it == m_object.end() ? nullptr : &*it;
    }
    std::string path(const char* name) const { return m_path + "." + name; }

private:
    Status read(const char* name, const std::function<bool(const json&)>& assign, const char* expected) const
    {
        auto it = m_object.find(name);
        if (it == m_object.end())
            return {};
        if (!assign(*it))
            return makeError(m_path + "." + name + ": expected " + expected + ", got " + it->dump());
        return {};
    }

    const json& m_object;
    std::string m_path;
};

#define TS_TRY(expr)                                                                                                   \
    if (Status s_ = (expr); !s_)                                                                                       \
        return s_.error();

} // namespace

Expected<ProviderConfig> providerConfigFromJson(const json& j)
{
    ProviderConfig c;
    ObjectReader top(j, "provider");
    TS_TRY(top.check(
        {"kind", "base_url", "model", "api_key_env", "max_concurrency", "max_tokens", "timeouts", "retry", "adapter"}));
    std::string kind = providerKindName(c.kind);
    TS_TRY(top.string("kind", kind));
    auto parsedKind = parseProviderKind(kind);
    if (!parsedKind)
        return makeError("provider.kind: \"" + kind + "\" is not one of openai-compatible, anthropic, local");
    c.kind = *parsedKind;
    TS_TRY(top.string("base_url", c.baseUrl));
    TS_TRY(top.string("model", c.model));
    TS_TRY(top.string("adapter", c.adapter));
    TS_TRY(top.string("api_key_env", c.apiKeyEnv));
    TS_TRY(top.integer("max_concurrency", c.maxConcurrency));
    TS_TRY(top.integer("max_tokens", c.defaultMaxTokens));
    if (const json* t = top.child("timeouts")) {
        ObjectReader r(*t, top.path("timeouts"));
        TS_TRY(r.check({"connect_ms", "idle_ms", "total_ms"}));
        TS_TRY(r.millis("connect_ms", c.timeouts.connect));
        TS_TRY(r.millis("idle_ms", c.timeouts.idle));
        TS_TRY(r.millis("total_ms", c.timeouts.total));
    }
    if (const json* t = top.child("retry")) {
        ObjectReader r(*t, top.path("retry"));
        TS_TRY(r.check({"max_attempts", "base_delay_ms", "max_delay_ms", "max_retry_after_ms"}));
        TS_TRY(r.integer("max_attempts", c.retry.maxAttempts));
        TS_TRY(r.millis("base_delay_ms", c.retry.baseDelay));
        TS_TRY(r.millis("max_delay_ms", c.retry.maxDelay));
        TS_TRY(r.millis("max_retry_after_ms", c.retry.maxRetryAfter));
    }
    TS_TRY(validateProviderConfig(c));
    return c;
}

#undef TS_TRY

std::string effectiveApiKeyEnv(const ProviderConfig& c)
{
    if (!c.apiKeyEnv.empty())
        return c.apiKeyEnv;
    if (c.kind == ProviderKind::Anthropic)
        return std::string(kAnthropicKeyEnv);
    if (c.kind == ProviderKind::OpenAiCompatible && urlHost(c.baseUrl) == "api.openai.com")
        return std::string(kOpenAiKeyEnv);
    return "";
}

Expected<std::string> apiKeyFromConfigEnv(const ProviderConfig& config)
{
    const std::string env = effectiveApiKeyEnv(config);
    if (env.empty() || config.kind == ProviderKind::Local)
        return std::string();
    auto fromEnv = apiKeyFromEnv(env);
    if (!fromEnv)
        return makeError("provider.api_key_env: " + fromEnv.error().message);
    return fromEnv;
}

Expected<std::unique_ptr<Provider>> makeHttpProvider(const ProviderConfig& config, std::string apiKey)
{
    if (Status valid = validateProviderConfig(config); !valid)
        return valid.error();
    switch (config.kind) {
    case ProviderKind::OpenAiCompatible:
        return std::unique_ptr<Provider>(std::make_unique<OpenAiProvider>(config, std::move(apiKey)));
    case ProviderKind::Anthropic:
        return std::unique_ptr<Provider>(std::make_unique<AnthropicProvider>(config, std::move(apiKey)));
    case ProviderKind::Local:
        break;
    }
    return makeError("provider.kind: \"local\" is not an HTTP provider (the local engine provider is built elsewhere)");
}

Expected<std::unique_ptr<Provider>> makeHttpProvider(const ProviderConfig& config)
{
    if (Status valid = validateProviderConfig(config); !valid)
        return valid.error();
    auto key = apiKeyFromConfigEnv(config);
    if (!key)
        return key.error();
    return makeHttpProvider(config, std::move(key).value());
}

} // namespace ts::llm

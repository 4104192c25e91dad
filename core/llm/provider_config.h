// ProviderConfig: which chat backend a project uses and how to reach it, as stored (JSON) in the
// project file. makeHttpProvider() builds the provider for the two HTTP kinds; the local engine
// provider lives in core/llm/local/ (another library).
//
// API keys are never stored here, only the name of the environment variable that holds one
// (the GUI passes a key from the OS keychain instead). When api_key_env is empty the default is
// ANTHROPIC_API_KEY for anthropic, and OPENAI_API_KEY for openai-compatible only when the base URL
// is api.openai.com: a self-hosted server (vLLM, llama.cpp, Ollama, LM Studio) gets no key unless
// one is named, so an OpenAI key is not sent to other hosts by accident.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "llm/http_client.h"
#include "llm/provider.h"
#include "llm/retry_policy.h"

namespace ts::llm {

enum class ProviderKind {
    OpenAiCompatible, // "openai-compatible"
    Anthropic, // "anthropic"
    Local, // "local": the in-process engine; model = a Hugging Face model folder
};

const char* providerKindName(ProviderKind kind);
std::optional<ProviderKind> parseProviderKind(std::string_view name);

struct ProviderConfig
{
    ProviderKind kind = ProviderKind::OpenAiCompatible;
    std::string
        baseUrl; // "http://127.0.0.1:8080/v1", "https://api.openai.com/v1"; anthropic: empty = api.anthropic.com
    std::string model; // default model for calls whose ChatParams.model is empty
    std::string apiKeyEnv; // environment variable with the key; empty = the kind's default (see above)
    int maxConcurrency = 4; // requests in flight at once
    HttpTimeouts timeouts;
    RetrySettings retry;
    int defaultMaxTokens = 1024; // anthropic requires max_tokens; used when ChatParams.maxTokens is unset
    // Local only: a PEFT LoRA adapter folder (a training run's adapter, or any PEFT folder) merged into the
    // model as it loads; "" = the base model. Stored as "adapter" (omitted when empty).
    std::string adapter;

    bool operator==(const ProviderConfig&) const = default;
};

inline constexpr std::string_view kAnthropicDefaultBaseUrl = "https://api.anthropic.com";

// Every problem is reported with the field's JSON name ("provider.base_url: ...").
Status validateProviderConfig(const ProviderConfig& config);

nlohmann::json providerConfigToJson(const ProviderConfig& config);
// Missing fields take their defaults; unknown fields and wrong types are errors; the result is validated.
Expected<ProviderConfig> providerConfigFromJson(const nlohmann::json& j);

// The environment variable the key is read from ("" when this config uses no key).
std::string effectiveApiKeyEnv(const ProviderConfig& config);
// The key read from that variable ("" when this config uses no key); an error naming the
// variable ("provider.api_key_env: ...") when it is unset or empty.
Expected<std::string> apiKeyFromConfigEnv(const ProviderConfig& config);

// The provider for an openai-compatible or anthropic config, with its key read from the
// environment (effectiveApiKeyEnv); an error when the config is invalid, the kind is local, or
// the named variable is unset.
Expected<std::unique_ptr<Provider>> makeHttpProvider(const ProviderConfig& config);
// The same with the key given (from a keychain); an empty key sends none.
Expected<std::unique_ptr<Provider>> makeHttpProvider(const ProviderConfig& config, std::string apiKey);

} // namespace ts::llm

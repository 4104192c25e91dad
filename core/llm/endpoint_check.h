// checkEndpoint: "Test connection" for an HTTP endpoint. It reads the model list the host offers (GET <base>/models,
// OpenAI-compatible and Anthropic alike) and sends one 1-token chat request with the endpoint's config and key, no
// retries and short timeouts, then says plainly what happened: the latency, or the HTTP status with the provider's
// message, a refused key, a timeout, or nothing listening at host:port. The key never appears in a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "llm/provider_config.h"

namespace ts::llm {

struct EndpointCheck
{
    bool ok = false; // the test request was answered
    double latencyMs = 0; // of the test request, when ok
    int httpStatus = 0; // of the failed request (0: no response)
    std::string problem; // why the endpoint cannot be used as configured ("" when ok)
    std::optional<std::vector<std::string>> models; // the host's model names, sorted; nullopt when not listed
    std::string modelsProblem; // why the list is missing ("" when read, or not asked for)
    int modelsHttpStatus = 0; // of a refused model list request

    // Plain lines: the outcome, then the model list and whether the configured model is in it (or why there is no
    // list, unless the failed request already said it with the same HTTP status).
    std::string summary(std::string_view configuredModel) const;
};

// The URL of the host's model list: <base>/models (OpenAI-compatible), <base>/v1/models (Anthropic).
std::string modelListUrl(const ProviderConfig& config);

// The model names in a model list body: {"data": [{"id": "..."}, ...]} (OpenAI, vLLM, llama.cpp, Ollama, LM Studio,
// Anthropic), sorted and without repeats; an error describing the body when it is not that.
Expected<std::vector<std::string>> parseModelList(std::string_view body);

// Runs the check on the calling thread (it blocks for at most the config's timeouts, capped at 10 s to connect and
// 60 s in all). `apiKey` "" sends no key. An invalid config or a local endpoint is reported in `problem`.
EndpointCheck checkEndpoint(const ProviderConfig& config, const std::string& apiKey, const CancelToken& cancel);

} // namespace ts::llm

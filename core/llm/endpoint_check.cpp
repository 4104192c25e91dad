// checkEndpoint: GET the model list with httpGet, then one 1-token chat through the endpoint's own provider (so the
// request is the one a run sends), and turn each failure into one plain sentence.
#include "llm/endpoint_check.h"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

#include "llm/anthropic_provider.h"
#include "llm/api_keys.h"
#include "llm/http_chat_errors.h"
#include "llm/http_text.h"

namespace ts::llm {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxConnect {10000};
constexpr milliseconds kMaxTotal {60000};
constexpr size_t kModelsNamedInSummary = 5;

// The config's timeouts, capped so that a test never waits long; one attempt, no retries.
ProviderConfig testConfig(ProviderConfig config)
{
    config.timeouts.connect = std::min(config.timeouts.connect, kMaxConnect);
    config.timeouts.idle = std::min(config.timeouts.idle, kMaxTotal);
    config.timeouts.total = config.timeouts.total.count() > 0 ? std::min(config.timeouts.total, kMaxTotal) : kMaxTotal;
    config.retry.maxAttempts = 1;
    return config;
}

std::string hostOf(const ProviderConfig& config)
{
    return urlHost(modelListUrl(config));
}

// The sentence for a request that got no HTTP response.
std::string transportProblem(const HttpResponse& r, const std::string& host)
{
    if (r.connectionRefused)
        return "Connection refused: nothing listens at " + host + ".";
    switch (r.failure) {
    case HttpFailure::Timeout:
        return "Timed out waiting for " + host + ": " + r.failureMessage + ".";
    case HttpFailure::Tls:
        return "The TLS connection to " + host + " failed: " + r.failureMessage + ".";
    case HttpFailure::InvalidUrl:
        return "The base URL is not usable: " + r.failureMessage + ".";
    case HttpFailure::Cancelled:
        return "Cancelled.";
    default:
        return "Could not reach " + host + ": " + r.failureMessage + ".";
    }
}

// The provider's own message inside a ChatError message ("<label>: HTTP 401: <message>"), "" when there is none.
std::string providerMessageOf(const ChatError& error)
{
    const std::string marker = "HTTP " + std::to_string(error.httpStatus) + ": ";
    const auto at = error.message.find(marker);
    return at == std::string::npos ? std::string() : error.message.substr(at + marker.size());
}

std::string withProviderMessage(std::string sentence, const std::string& providerMessage)
{
    if (!providerMessage.empty())
        sentence += ": " + providerMessage;
    return sentence + (sentence.ends_with('.') ? "" : ".");
}

std::string chatProblem(const ChatError& error, const std::string& host, bool keySent)
{
    const std::string status = "HTTP " + std::to_string(error.httpStatus);
    const std::string message = providerMessageOf(error);
    switch (error.kind) {
    case ChatErrorKind::Auth:
        return withProviderMessage(
            status + (keySent ? ": the key was refused" : ": the host wants a key and none was sent"), message);
    case ChatErrorKind::BadRequest:
        return withProviderMessage(status + ": the request was refused (check the base URL and the model name)",
                                   message);
    case ChatErrorKind::RateLimited:
        return withProviderMessage(status + ": rate limited (the key works; try again later)", message);
    case ChatErrorKind::Server:
        return withProviderMessage(status + ": the server failed", message);
    case ChatErrorKind::Timeout:
        return error.httpStatus != 0 ? withProviderMessage(status + ": the server timed out", message)
                                     : "Timed out waiting for " + host + ": " + error.message + ".";
    case ChatErrorKind::Network:
        if (error.message.find("connection refused") != std::string::npos)
            return "Connection refused: nothing listens at " + host + ".";
        return "Could not reach " + host + ": " + error.message + ".";
    case ChatErrorKind::BadResponse:
        return "The answer is not what the API documents: " + error.message + ".";
    case ChatErrorKind::Cancelled:
        return "Cancelled.";
    }
    return error.message;
}

// GET the model list into `check`; false when the host could not be reached at all.
bool listModels(const ProviderConfig& config, const std::string& apiKey, const CancelToken& cancel,
                EndpointCheck& check)
{
    HttpRequest request;
    request.url = modelListUrl(config);
    request.timeouts = config.timeouts;
    if (config.kind == ProviderKind::Anthropic) {
        if (!apiKey.empty())
            request.headers.emplace_back("x-api-key", apiKey);
        request.headers.emplace_back("anthropic-version", std::string(kAnthropicVersion));
    } else if (!apiKey.empty()) {
        request.headers.emplace_back("Authorization", "Bearer " + apiKey);
    }
    const HttpResponse response = httpGet(request, cancel);
    if (!response.ok()) {
        check.problem = redactSecret(transportProblem(response, hostOf(config)), apiKey);
        return false;
    }
    if (response.status < 200 || response.status >= 300) {
        check.modelsHttpStatus = response.status;
        check.modelsProblem = redactSecret(
            withProviderMessage("GET " + request.url + " answered HTTP " + std::to_string(response.status),
                                providerErrorMessage(response.body)),
            apiKey);
        return true;
    }
    auto models = parseModelList(response.body);
    if (models)
        check.models = std::move(*models);
    else
        check.modelsProblem = "GET " + request.url + ": " + models.error().message;
    return true;
}

} // namespace

std::string modelListUrl(const ProviderConfig& config)
{
    if (config.kind == ProviderKind::Anthropic) {
        const std::string base = withoutTrailingSlashes(config.baseUrl.empty() ? kAnthropicDefaultBaseUrl
                                                                               : std::string_view(config.baseUrl));
        return base + (base.ends_with("/v1") ? "/models" : "/v1/models");
    }
    return withoutTrailingSlashes(config.baseUrl) + "/models";
}

Expected<std::vector<std::string>> parseModelList(std::string_view body)
{
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError("the model list is not a JSON object: " + excerpt(body, 120));
    const auto data = j.find("data");
    if (data == j.end() || !data->is_array())
        return makeError("the model list has no \"data\" array: " + excerpt(body, 120));
    std::vector<std::string> names;
    for (const auto& item : *data) {
        if (!item.is_object())
            continue;
        const auto id = item.find("id");
        if (id != item.end() && id->is_string() && !id->get_ref<const std::string&>().empty())
            names.push_back(id->get<std::string>());
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

EndpointCheck checkEndpoint(const ProviderConfig& original, const std::string& apiKey, const CancelToken& cancel)
{
    EndpointCheck check;
    if (original.kind == ProviderKind::Local) {
        check.problem = "A local endpoint has no server to test: it runs the model folder in Tunesmith.";
        return check;
    }
    if (original.kind == ProviderKind::OpenAiCompatible && original.baseUrl.empty()) {
        check.problem = "No base URL: enter the API's, e.g. http://127.0.0.1:8080/v1.";
        return check;
    }
    if (!isHttpUrl(modelListUrl(original))) {
        check.problem = "The base URL is not an http:// or https:// URL.";
        return check;
    }
    const ProviderConfig config = testConfig(original);
    if (!listModels(config, apiKey, cancel, check))
        return check;
    if (config.model.empty()) {
        check.problem = "No model named: choose one and test again.";
        return check;
    }
    auto provider = makeHttpProvider(config, apiKey);
    if (!provider) {
        check.problem = provider.error().message;
        return check;
    }
    ChatParams params;
    params.model = config.model;
    params.maxTokens = 1;
    const ChatOutcome outcome = (*provider)->chat({{"user", "Reply with OK."}}, params, cancel);
    if (outcome) {
        check.ok = true;
        check.latencyMs = outcome.result().latencyMs;
        return check;
    }
    check.httpStatus = outcome.error().httpStatus;
    check.problem = redactSecret(chatProblem(outcome.error(), hostOf(config), !apiKey.empty()), apiKey);
    return check;
}

std::string EndpointCheck::summary(std::string_view configuredModel) const
{
    std::string text;
    if (ok)
        text = "OK: " + std::string(configuredModel) + " answered a 1-token request in "
            + (latencyMs < 1 ? std::string("under 1 ms.")
                             : std::to_string(static_cast<long long>(latencyMs + 0.5)) + " ms.");
    else
        text = "Failed: " + problem;
    if (models) {
        text += "\nThe host lists " + std::to_string(models->size()) + (models->size() == 1 ? " model" : " models");
        for (size_t i = 0; i < models->size() && i < kModelsNamedInSummary; ++i)
            text += (i == 0 ? ": " : ", ") + (*models)[i];
        text += models->size() > kModelsNamedInSummary ? ", …" : ".";
        if (!configuredModel.empty() && std::find(models->begin(), models->end(), configuredModel) == models->end())
            text += "\n\"" + std::string(configuredModel) + "\" is not among them.";
    } else if (!modelsProblem.empty() && (ok || modelsHttpStatus != httpStatus)) { // else it says the same again
        text += "\nNo model list: " + modelsProblem;
    }
    return text;
}

} // namespace ts::llm

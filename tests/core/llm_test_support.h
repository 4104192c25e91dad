// Helpers for the LLM provider tests: a provider config with short timeouts and backoffs aimed at
// a FaultHttpServer, the provider made from it, and a stopwatch.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "fault_http_server.h"
#include "llm/provider_config.h"

namespace tstest {

inline ts::llm::ProviderConfig fastProviderConfig(const FaultHttpServer& server, ts::llm::ProviderKind kind)
{
    using std::chrono::milliseconds;
    ts::llm::ProviderConfig c;
    c.kind = kind;
    c.baseUrl = server.baseUrl() + (kind == ts::llm::ProviderKind::OpenAiCompatible ? "/v1" : "");
    c.model = "test-model";
    c.timeouts.connect = milliseconds(1000);
    c.timeouts.idle = milliseconds(300);
    c.timeouts.total = milliseconds(5000);
    c.retry.maxAttempts = 3;
    c.retry.baseDelay = milliseconds(10);
    c.retry.maxDelay = milliseconds(40);
    c.retry.maxRetryAfter = milliseconds(5000);
    return c;
}

// The provider for `config` with `apiKey`; fails the test when the config is refused.
inline std::unique_ptr<ts::llm::Provider> makeTestProvider(const ts::llm::ProviderConfig& config,
                                                           const std::string& apiKey)
{
    auto provider = ts::llm::makeHttpProvider(config, apiKey);
    EXPECT_TRUE(provider) << provider.error().message;
    return provider ? std::move(provider).value() : nullptr;
}

// A successful outcome with this text, usage and finish reason.
inline void expectChatResult(const ts::llm::ChatOutcome& out, const std::string& text, int64_t inputTokens,
                             int64_t outputTokens, const std::string& finishReason)
{
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().text, text);
    EXPECT_EQ(out.result().usage.inputTokens, inputTokens);
    EXPECT_EQ(out.result().usage.outputTokens, outputTokens);
    EXPECT_EQ(out.result().finishReason, finishReason);
}

class Stopwatch
{
public:
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace tstest

// Prices (cost math, unknown models, JSON round trip) and ProviderConfig (JSON round trip,
// validation messages naming the field, key resolution and redaction), plus the concurrency limit.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "llm/api_keys.h"
#include "llm/concurrency_limit.h"
#include "llm/prices.h"
#include "llm/provider_config.h"

using namespace ts::llm;
using nlohmann::json;

TEST(LlmPrices, CostPerMillionTokens)
{
    EXPECT_DOUBLE_EQ(cost(ModelPrice {2.5, 10.0}, Usage {1'000'000, 0}), 2.5);
    EXPECT_DOUBLE_EQ(cost(ModelPrice {2.5, 10.0}, Usage {2000, 500}), 0.005 + 0.005);
    EXPECT_DOUBLE_EQ(cost(ModelPrice {0.15, 0.60}, Usage {0, 0}), 0.0);
}

TEST(LlmPrices, UnknownModelHasUnknownCostAndTableIsOverridable)
{
    PriceTable table = PriceTable::builtInDefaults();
    EXPECT_EQ(table.cost("my-finetune", Usage {100, 100}), std::nullopt);
    ASSERT_TRUE(table.find("gpt-4o-mini"));
    EXPECT_EQ(*table.find("gpt-4o-mini"), (ModelPrice {0.15, 0.60}));
    // A dated snapshot uses its family's price, but "gpt-4o-mini" is not "gpt-4o".
    EXPECT_EQ(*table.find("gpt-4o-2024-08-06"), *table.find("gpt-4o"));
    EXPECT_NE(*table.find("gpt-4o-mini"), *table.find("gpt-4o"));
    EXPECT_EQ(*table.find("claude-3-5-haiku-20241022"), (ModelPrice {0.80, 4.00}));

    table.set("gpt-4o", {1.0, 2.0});
    table.set("my-finetune", {0.0, 0.0});
    EXPECT_DOUBLE_EQ(table.cost("gpt-4o", Usage {1'000'000, 1'000'000}).value(), 3.0);
    EXPECT_EQ(table.cost("my-finetune", Usage {100, 100}), 0.0); // known and free is not unknown
    EXPECT_TRUE(table.remove("gpt-4o"));
    EXPECT_EQ(table.cost("gpt-4o", Usage {1, 1}), std::nullopt);
}

TEST(LlmPrices, JsonRoundTripAndErrors)
{
    PriceTable table = PriceTable::builtInDefaults();
    table.set("local-llama", {0.01, 0.02});
    auto back = priceTableFromJson(priceTableToJson(table));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, table);

    auto bad = priceTableFromJson(json::parse(R"({"gpt-4o": {"input_per_million": -1, "output_per_million": 2}})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "prices.gpt-4o.input_per_million: must be a number >= 0");
    bad = priceTableFromJson(json::parse(R"({"m": {"input_per_million": 1}})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "prices.m.output_per_million: missing");
    EXPECT_FALSE(priceTableFromJson(json::array()));
}

TEST(LlmProviderConfig, JsonRoundTripAndDefaults)
{
    ProviderConfig c;
    c.kind = ProviderKind::Anthropic;
    c.model = "claude-3-5-haiku-20241022";
    c.apiKeyEnv = "MY_ANTHROPIC_KEY";
    c.maxConcurrency = 2;
    c.timeouts.idle = std::chrono::milliseconds(1234);
    c.retry.maxAttempts = 6;
    c.defaultMaxTokens = 256;
    auto back = providerConfigFromJson(providerConfigToJson(c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, c);

    auto minimal = providerConfigFromJson(json::parse(R"({"base_url": "http://127.0.0.1:8080/v1", "model": "m"})"));
    ASSERT_TRUE(minimal) << minimal.error().message;
    EXPECT_EQ(minimal->kind, ProviderKind::OpenAiCompatible);
    EXPECT_EQ(minimal->maxConcurrency, 4);
    EXPECT_EQ(minimal->defaultMaxTokens, 1024);
    EXPECT_EQ(minimal->retry, RetrySettings {});
}

TEST(LlmProviderConfig, ALocalEndpointCarriesAnAdapterAnHttpOneCannot)
{
    ProviderConfig c;
    c.kind = ProviderKind::Local;
    c.model = "/models/base";
    EXPECT_FALSE(providerConfigToJson(c).contains("adapter")); // stored configs without one stay as they were
    c.adapter = "/runs/3/adapter";
    auto back = providerConfigFromJson(providerConfigToJson(c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->adapter, "/runs/3/adapter");
    auto http = providerConfigFromJson(
        json::parse(R"({"base_url": "http://127.0.0.1:8080/v1", "model": "m", "adapter": "/runs/3/adapter"})"));
    ASSERT_FALSE(http);
    EXPECT_NE(http.error().message.find("provider.adapter: only a local endpoint"), std::string::npos)
        << http.error().message;
}

TEST(LlmProviderConfig, ValidationErrorsNameTheField)
{
    auto error = [](const char* text) {
        auto r = providerConfigFromJson(json::parse(text));
        return r ? std::string("(accepted)") : r.error().message;
    };
    EXPECT_EQ(error(R"({"kind": "gemini", "model": "m"})"),
              "provider.kind: \"gemini\" is not one of openai-compatible, anthropic, local");
    EXPECT_EQ(error(R"({"model": "m"})"),
              "provider.base_url: required for openai-compatible (e.g. http://127.0.0.1:8080/v1)");
    EXPECT_EQ(error(R"({"base_url": "ftp://x/v1", "model": "m"})"),
              "provider.base_url: \"ftp://x/v1\" is not an http:// or https:// URL");
    EXPECT_EQ(error(R"({"kind": "anthropic"})"), "provider.model: required (the model name)");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "max_concurrency": 0})"),
              "provider.max_concurrency: must be between 1 and 256, got 0");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "max_concurrency": "4"})"),
              "provider.max_concurrency: expected an integer, got \"4\"");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "timeouts": {"idle_ms": 0}})"),
              "provider.timeouts.idle_ms: must be > 0");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "timeouts": {"conect_ms": 10}})"),
              "provider.timeouts.conect_ms: unknown field");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "retry": {"max_attempts": 0}})"),
              "provider.retry.max_attempts: must be between 1 and 20, got 0");
    EXPECT_EQ(error(R"({"kind": "anthropic", "model": "m", "api_key_env": "1BAD-NAME"})"),
              "provider.api_key_env: \"1BAD-NAME\" is not an environment variable name");
    EXPECT_EQ(error(R"([1, 2])"), "provider: expected an object");
}

TEST(LlmProviderConfig, KeysComeFromTheEnvironmentAndAreNeverShown)
{
    ::setenv("TS_TEST_LLM_KEY", "sk-test-secret-123456789", 1);
    ::unsetenv("TS_TEST_LLM_MISSING");
    EXPECT_EQ(apiKeyFromEnv("TS_TEST_LLM_KEY").value(), "sk-test-secret-123456789");
    auto missing = apiKeyFromEnv("TS_TEST_LLM_MISSING");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("TS_TEST_LLM_MISSING is not set"), std::string::npos);
    EXPECT_EQ(
        redactSecret("bad key sk-test-secret-123456789, really sk-test-secret-123456789", "sk-test-secret-123456789"),
        "bad key [redacted], really [redacted]");
    EXPECT_EQ(maskedKeyHint("sk-test-secret-123456789"), "sk-…6789");

    ProviderConfig openai;
    openai.baseUrl = "https://api.openai.com/v1";
    openai.model = "gpt-4o-mini";
    EXPECT_EQ(effectiveApiKeyEnv(openai), "OPENAI_API_KEY");
    openai.baseUrl = "http://127.0.0.1:8080/v1"; // a self-hosted server gets no key by default
    EXPECT_EQ(effectiveApiKeyEnv(openai), "");
    openai.apiKeyEnv = "TS_TEST_LLM_KEY";
    auto provider = makeHttpProvider(openai);
    ASSERT_TRUE(provider) << provider.error().message;
    EXPECT_EQ((*provider)->describe(), "openai-compatible http://127.0.0.1:8080/v1 gpt-4o-mini");
    EXPECT_EQ((*provider)->describe().find("secret"), std::string::npos);

    ProviderConfig anthropic;
    anthropic.kind = ProviderKind::Anthropic;
    anthropic.model = "claude-3-5-haiku-20241022";
    anthropic.apiKeyEnv = "TS_TEST_LLM_MISSING";
    auto refused = makeHttpProvider(anthropic);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("TS_TEST_LLM_MISSING"), std::string::npos);
    anthropic.apiKeyEnv = "TS_TEST_LLM_KEY";
    auto made = makeHttpProvider(anthropic);
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ((*made)->describe(), "anthropic https://api.anthropic.com claude-3-5-haiku-20241022");

    ProviderConfig local;
    local.kind = ProviderKind::Local;
    local.model = "/models/llama";
    EXPECT_FALSE(makeHttpProvider(local, ""));
}

TEST(LlmConcurrencyLimit, CapsInFlightAndAcquireIsCancellable)
{
    ConcurrencyLimit limit(2);
    std::atomic<int> inside {0}, maxInside {0};
    std::vector<std::thread> threads;
    ts::CancelToken never;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            auto slot = limit.acquire(never);
            ASSERT_TRUE(slot);
            int now = ++inside;
            int seen = maxInside.load();
            while (now > seen && !maxInside.compare_exchange_weak(seen, now)) { }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            --inside;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(maxInside.load(), 2);
    EXPECT_EQ(limit.inFlight(), 0);

    auto a = limit.acquire(never);
    auto b = limit.acquire(never);
    ts::CancelToken cancel;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        cancel.requestStop();
    });
    const auto start = std::chrono::steady_clock::now();
    auto c = limit.acquire(cancel);
    EXPECT_FALSE(c);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
    stopper.join();
    a.release();
    EXPECT_EQ(limit.inFlight(), 1);
}

// OpenAiProvider over real HTTP on loopback (FaultHttpServer): request format, non-streaming and
// streaming answers, retries (429 with Retry-After, 5xx, timeouts, cut streams), errors that are
// not retried (401, malformed JSON), cancellation of an in-flight request, the concurrency limit.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fault_http_server.h"
#include "llm/openai_provider.h"
#include "llm_test_support.h"

using namespace ts::llm;
using namespace std::chrono_literals;
using nlohmann::json;
using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

constexpr const char* kKey = "sk-test-secret-key-0123456789";

const std::vector<ChatMessage> kMessages = {{"system", "Be brief."}, {"user", "Say hello."}};

std::string completion(const std::string& text)
{
    return json {{"id", "c1"},
                 {"object", "chat.completion"},
                 {"choices",
                  {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}},
                 {"usage", {{"prompt_tokens", 12}, {"completion_tokens", 3}, {"total_tokens", 15}}}}
        .dump();
}

std::string deltaEvent(const std::string& text)
{
    return "data: "
        + json {{"choices", {{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}}}}.dump()
        + "\n\n";
}

std::vector<std::string> helloStream()
{
    const std::string finish = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    const std::string usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}\n\n";
    std::string split = deltaEvent(" wor");
    return {": keep-alive\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n",
            deltaEvent("Hel") + deltaEvent("lo,"),
            split.substr(0, 17), // an event split across chunks
            split.substr(17),
            deltaEvent("ld!"),
            finish,
            usage,
            "data: [DONE]\n\n"};
}

std::unique_ptr<Provider> makeProvider(const ProviderConfig& config, const std::string& key = kKey)
{
    return tstest::makeTestProvider(config, key);
}

} // namespace

TEST(LlmOpenAi, NonStreamingSendsTheDocumentedRequestAndParsesTheAnswer)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, completion("Hello!")));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatParams params;
    params.temperature = 0.25;
    params.topP = 0.9;
    params.maxTokens = 64;
    params.seed = 7;
    params.stop = {"\n\n"};
    params.jsonMode = true;
    ChatOutcome out = provider->chat(kMessages, params, ts::CancelToken {});
    ASSERT_TRUE(out) << out.error().message;
    tstest::expectChatResult(out, "Hello!", 12, 3, "stop");
    EXPECT_EQ(out.result().attempts, 1);
    EXPECT_GT(out.result().latencyMs, 0.0);

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/v1/chat/completions");
    EXPECT_EQ(requests[0].header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(requests[0].header("content-type"), "application/json");
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["messages"],
              json::parse(R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello."}])"));
    EXPECT_EQ(body["stream"], false);
    EXPECT_FALSE(body.contains("stream_options"));
    EXPECT_EQ(body["temperature"], 0.25);
    EXPECT_EQ(body["top_p"], 0.9);
    EXPECT_EQ(body["max_tokens"], 64);
    EXPECT_EQ(body["seed"], 7);
    EXPECT_EQ(body["stop"], json::array({"\n\n"}));
    EXPECT_EQ(body["response_format"], json::parse(R"({"type":"json_object"})"));
}

TEST(LlmOpenAi, NoKeyMeansNoAuthorizationHeaderAndParamsModelWins)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, completion("ok")));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible), "");
    ChatParams params;
    params.model = "other-model";
    ASSERT_TRUE(provider->chat(kMessages, params, ts::CancelToken {}));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_FALSE(requests[0].header("authorization"));
    EXPECT_EQ(json::parse(requests[0].body)["model"], "other-model");
}

TEST(LlmOpenAi, StreamingDeltasConcatenateToTheTextWithUsage)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse(helloStream(), 5ms));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    std::vector<std::string> deltas;
    ChatOutcome out
        = provider->chat(kMessages, {}, ts::CancelToken {}, [&](const std::string& d) { deltas.push_back(d); });
    ASSERT_TRUE(out) << out.error().message;
    tstest::expectChatResult(out, "Hello, world!", 9, 4, "stop");
    EXPECT_EQ(deltas, (std::vector<std::string> {"Hel", "lo,", " wor", "ld!"}));
    json body = json::parse(server.requests().at(0).body);
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["stream_options"], json::parse(R"({"include_usage":true})"));
}

TEST(LlmOpenAi, RetriesA429AfterTheRetryAfterDelay)
{
    FaultHttpServer server;
    server.enqueue(
        ScriptedResponse::json(429, R"({"error":{"message":"Rate limit reached"}})").header("Retry-After", "1"));
    server.enqueue(ScriptedResponse::json(200, completion("after the wait")));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    tstest::Stopwatch watch;
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    const double elapsed = watch.seconds();
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().text, "after the wait");
    EXPECT_EQ(out.result().attempts, 2);
    EXPECT_EQ(server.requestCount(), 2u);
    EXPECT_GE(elapsed, 1.0); // the backoff alone would be <= 10 ms
    EXPECT_LT(elapsed, 3.0);
}

TEST(LlmOpenAi, RateLimitedAfterTheLastAttempt)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(429, R"({"error":{"message":"slow down"}})"));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::RateLimited);
    EXPECT_EQ(out.error().httpStatus, 429);
    EXPECT_EQ(out.error().attempts, 3);
    EXPECT_EQ(server.requestCount(), 3u);
    EXPECT_NE(out.error().message.find("HTTP 429: slow down (3 attempts)"), std::string::npos) << out.error().message;
}

TEST(LlmOpenAi, RetriesServerErrorsThenSucceeds)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(500, R"({"error":{"message":"internal"}})"));
    server.enqueue(ScriptedResponse::json(503, "Service Unavailable"));
    server.enqueue(ScriptedResponse::json(200, completion("third time")));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().text, "third time");
    EXPECT_EQ(out.result().attempts, 3);
    EXPECT_EQ(server.requestCount(), 3u);
}

TEST(LlmOpenAi, TimeoutIsRetriedThenReported)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(200, completion("too late")).delay(3000ms));
    auto config = tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible);
    config.retry.maxAttempts = 2;
    auto provider = makeProvider(config);
    tstest::Stopwatch watch;
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::Timeout);
    EXPECT_EQ(out.error().attempts, 2);
    EXPECT_EQ(server.requestCount(), 2u);
    EXPECT_LT(watch.seconds(), 2.0); // 2 x 300 ms idle timeout, not the server's 3 s
    const std::string& m = out.error().message;
    EXPECT_NE(m.find("openai-compatible 127.0.0.1:" + std::to_string(server.port())), std::string::npos) << m;
    EXPECT_NE(m.find("no data received for 300 ms"), std::string::npos) << m;
}

TEST(LlmOpenAi, StreamCutBeforeAnyTextIsRetried)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse({": keep-alive\n\n"}).cut());
    server.enqueue(ScriptedResponse::sse(helloStream()));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    std::string streamed;
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {}, [&](const std::string& d) { streamed += d; });
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().attempts, 2);
    EXPECT_EQ(streamed, "Hello, world!"); // nothing from the cut attempt
    EXPECT_EQ(out.result().text, "Hello, world!");
}

TEST(LlmOpenAi, StreamCutAfterTextIsAnErrorNotARetry)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse({deltaEvent("Hel"), deltaEvent("lo")}).cut());
    server.setFallback(ScriptedResponse::sse(helloStream()));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    std::string streamed;
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {}, [&](const std::string& d) { streamed += d; });
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::Network);
    EXPECT_EQ(out.error().attempts, 1);
    EXPECT_EQ(server.requestCount(), 1u);
    EXPECT_EQ(streamed, "Hello");
    EXPECT_NE(out.error().message.find("after 5 bytes of text had been streamed"), std::string::npos)
        << out.error().message;
}

TEST(LlmOpenAi, NonStreamingBodyCutIsRetried)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, completion("partial")).cut());
    server.enqueue(ScriptedResponse::json(200, completion("whole")));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().text, "whole");
    EXPECT_EQ(out.result().attempts, 2);
}

TEST(LlmOpenAi, MalformedJsonIsABadResponseNamingTheProblem)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"choices": [{"message": {"content": "x"})"));
    server.enqueue(ScriptedResponse::json(200, R"({"object": "chat.completion"})"));
    server.enqueue(ScriptedResponse::sse({deltaEvent("a"), "data: {oops\n\n", "data: [DONE]\n\n"}));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));

    ChatOutcome truncated = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(truncated);
    EXPECT_EQ(truncated.error().kind, ChatErrorKind::BadResponse);
    EXPECT_EQ(truncated.error().attempts, 1);
    EXPECT_NE(truncated.error().message.find("the response is not a JSON object"), std::string::npos)
        << truncated.error().message;

    ChatOutcome noChoices = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(noChoices);
    EXPECT_EQ(noChoices.error().kind, ChatErrorKind::BadResponse);
    EXPECT_NE(noChoices.error().message.find("no \"choices\""), std::string::npos) << noChoices.error().message;

    ChatOutcome badEvent = provider->chat(kMessages, {}, ts::CancelToken {}, [](const std::string&) {});
    ASSERT_FALSE(badEvent);
    EXPECT_EQ(badEvent.error().kind, ChatErrorKind::BadResponse);
    EXPECT_NE(badEvent.error().message.find("a stream event is not a JSON object: {oops"), std::string::npos)
        << badEvent.error().message;
    EXPECT_EQ(server.requestCount(), 3u); // none of them retried
}

TEST(LlmOpenAi, UnauthorizedIsNotRetriedAndTheKeyIsNotInTheMessage)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(401,
                                              std::string(R"({"error":{"message":"Incorrect API key provided: )") + kKey
                                                  + R"(.","type":"invalid_request_error"}})"));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::Auth);
    EXPECT_EQ(out.error().httpStatus, 401);
    EXPECT_EQ(out.error().attempts, 1);
    EXPECT_EQ(server.requestCount(), 1u);
    const std::string& m = out.error().message;
    EXPECT_EQ(m,
              "openai-compatible 127.0.0.1:" + std::to_string(server.port())
                  + ": HTTP 401: Incorrect API key provided: [redacted].");
    EXPECT_EQ(m.find(kKey), std::string::npos);
    EXPECT_EQ(provider->describe().find(kKey), std::string::npos);
}

TEST(LlmOpenAi, BadRequestIsNotRetried)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(404, R"({"error":"model \"nope\" not found, try pulling it first"})"));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::BadRequest);
    EXPECT_EQ(server.requestCount(), 1u);
    EXPECT_NE(out.error().message.find("HTTP 404: model \"nope\" not found"), std::string::npos) << out.error().message;
}

TEST(LlmOpenAi, ConnectionRefusedIsANetworkErrorAfterRetries)
{
    ProviderConfig config;
    {
        FaultHttpServer gone;
        config = tstest::fastProviderConfig(gone, ProviderKind::OpenAiCompatible);
    } // nothing listens on that port any more
    auto provider = makeProvider(config);
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().kind, ChatErrorKind::Network);
    EXPECT_EQ(out.error().attempts, 3);
    EXPECT_EQ(out.error().httpStatus, 0);
}

TEST(LlmOpenAi, CancelAbortsAnInFlightRequestPromptly)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(200, completion("never")).delay(5000ms));
    auto config = tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible);
    config.timeouts.idle = 10000ms;
    config.timeouts.total = 10000ms;
    auto provider = makeProvider(config);
    for (bool stream : {false, true}) {
        ts::CancelToken cancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(200ms);
            cancel.requestStop();
        });
        tstest::Stopwatch watch;
        DeltaCallback onDelta;
        if (stream)
            onDelta = [](const std::string&) {};
        ChatOutcome out = provider->chat(kMessages, {}, cancel, onDelta);
        const double elapsed = watch.seconds();
        canceller.join();
        ASSERT_FALSE(out);
        EXPECT_EQ(out.error().kind, ChatErrorKind::Cancelled);
        EXPECT_LT(elapsed, 0.7) << "stream " << stream; // cancelled at 0.2 s
    }
}

TEST(LlmOpenAi, ConcurrencyLimitCapsRequestsInFlight)
{
    FaultHttpServer server;
    server.setFallback(ScriptedResponse::json(200, completion("ok")).delay(120ms));
    auto config = tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible);
    config.maxConcurrency = 2;
    auto provider = makeProvider(config);
    std::atomic<int> succeeded {0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            if (provider->chat(kMessages, {}, ts::CancelToken {}))
                ++succeeded;
        });
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(succeeded.load(), 6);
    EXPECT_EQ(server.requestCount(), 6u);
    EXPECT_EQ(server.maxConcurrent(), 2); // never more than 2, and the two slots were used
}

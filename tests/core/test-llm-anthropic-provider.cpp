// AnthropicProvider over real HTTP on loopback: the Messages request (headers, top-level system,
// max_tokens), non-streaming and streaming answers, an overloaded stream retried, errors.
#include <gtest/gtest.h>

#include "fault_http_server.h"
#include "llm/anthropic_provider.h"
#include "llm_test_support.h"

using namespace ts::llm;
using namespace std::chrono_literals;
using nlohmann::json;
using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

constexpr const char* kKey = "sk-ant-test-secret-0123456789";

const std::vector<ChatMessage> kMessages = {
    {"system", "Be brief."}, {"user", "Say hello."}, {"assistant", "Hi."}, {"system", "No emoji."}, {"user", "Again."}};

std::string event(const std::string& type, json data)
{
    data["type"] = type;
    return "event: " + type + "\ndata: " + data.dump() + "\n\n";
}

std::vector<std::string> helloStream()
{
    return {
        event("message_start",
              {{"message",
                {{"id", "msg_1"}, {"role", "assistant"}, {"usage", {{"input_tokens", 25}, {"output_tokens", 1}}}}}}),
        event("content_block_start", {{"index", 0}, {"content_block", {{"type", "text"}, {"text", ""}}}}),
        event("ping", json::object()),
        event("content_block_delta", {{"index", 0}, {"delta", {{"type", "text_delta"}, {"text", "Hello"}}}}),
        event("content_block_delta", {{"index", 0}, {"delta", {{"type", "text_delta"}, {"text", " again"}}}}),
        event("content_block_delta", {{"index", 0}, {"delta", {{"type", "text_delta"}, {"text", "!"}}}}),
        event("content_block_stop", {{"index", 0}}),
        event("message_delta", {{"delta", {{"stop_reason", "end_turn"}}}, {"usage", {{"output_tokens", 5}}}}),
        event("message_stop", json::object())};
}

std::unique_ptr<Provider> makeProvider(const ProviderConfig& config)
{
    return tstest::makeTestProvider(config, kKey);
}

} // namespace

TEST(LlmAnthropic, NonStreamingSendsMessagesRequestAndParsesTheAnswer)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, R"({"id":"msg_1","type":"message","role":"assistant",
        "content":[{"type":"text","text":"Hello"},{"type":"text","text":" again."}],
        "stop_reason":"end_turn","usage":{"input_tokens":21,"output_tokens":4}})"));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::Anthropic));
    ChatParams params;
    params.temperature = 0.5;
    params.stop = {"END"};
    params.seed = 3; // no Messages API equivalent: not sent
    ChatOutcome out = provider->chat(kMessages, params, ts::CancelToken {});
    ASSERT_TRUE(out) << out.error().message;
    tstest::expectChatResult(out, "Hello again.", 21, 4, "end_turn");

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/v1/messages");
    EXPECT_EQ(requests[0].header("x-api-key"), kKey);
    EXPECT_EQ(requests[0].header("anthropic-version"), "2023-06-01");
    EXPECT_FALSE(requests[0].header("authorization"));
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["max_tokens"], 1024);
    EXPECT_EQ(body["system"], "Be brief.\n\nNo emoji.");
    EXPECT_EQ(body["messages"], json::parse(R"([{"role":"user","content":"Say hello."},
        {"role":"assistant","content":"Hi."},{"role":"user","content":"Again."}])"));
    EXPECT_EQ(body["temperature"], 0.5);
    EXPECT_EQ(body["stop_sequences"], json::array({"END"}));
    EXPECT_FALSE(body.contains("seed"));
    EXPECT_FALSE(body.contains("stream"));
}

TEST(LlmAnthropic, StreamingDeltasConcatenateToTheTextWithUsage)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse(helloStream(), 5ms));
    auto config = tstest::fastProviderConfig(server, ProviderKind::Anthropic);
    config.baseUrl += "/v1/"; // a base that already ends in /v1 is not doubled
    auto provider = makeProvider(config);
    ChatParams params;
    params.maxTokens = 50;
    std::vector<std::string> deltas;
    ChatOutcome out
        = provider->chat(kMessages, params, ts::CancelToken {}, [&](const std::string& d) { deltas.push_back(d); });
    ASSERT_TRUE(out) << out.error().message;
    tstest::expectChatResult(out, "Hello again!", 25, 5, "end_turn");
    EXPECT_EQ(deltas, (std::vector<std::string> {"Hello", " again", "!"}));
    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/v1/messages");
    json body = json::parse(requests[0].body);
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["max_tokens"], 50);
}

TEST(LlmAnthropic, OverloadedStreamAndStatus529AreRetried)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse(
        {helloStream()[0], event("error", {{"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}})}));
    server.enqueue(
        ScriptedResponse::json(529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"));
    server.enqueue(ScriptedResponse::sse(helloStream()));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::Anthropic));
    std::string streamed;
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {}, [&](const std::string& d) { streamed += d; });
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().attempts, 3);
    EXPECT_EQ(streamed, "Hello again!");
}

TEST(LlmAnthropic, ErrorsCarryTheProvidersMessage)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(
        400,
        R"({"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: must be at most 8192"}})"));
    server.enqueue(ScriptedResponse::json(200, R"({"type":"message","content":"not a list"})"));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::Anthropic));
    ChatOutcome bad = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ChatErrorKind::BadRequest);
    EXPECT_EQ(bad.error().message,
              "anthropic 127.0.0.1:" + std::to_string(server.port()) + ": HTTP 400: max_tokens: must be at most 8192");
    ChatOutcome malformed = provider->chat(kMessages, {}, ts::CancelToken {});
    ASSERT_FALSE(malformed);
    EXPECT_EQ(malformed.error().kind, ChatErrorKind::BadResponse);
    EXPECT_NE(malformed.error().message.find("no \"content\" array"), std::string::npos) << malformed.error().message;
    EXPECT_EQ(server.requestCount(), 2u);
}

TEST(LlmAnthropic, StreamEndingWithoutMessageStopIsRetried)
{
    FaultHttpServer server;
    auto partial = helloStream();
    partial.resize(2); // message_start and content_block_start, then a clean end of the body
    server.enqueue(ScriptedResponse::sse(partial));
    server.enqueue(ScriptedResponse::sse(helloStream()));
    auto provider = makeProvider(tstest::fastProviderConfig(server, ProviderKind::Anthropic));
    ChatOutcome out = provider->chat(kMessages, {}, ts::CancelToken {}, [](const std::string&) {});
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(out.result().attempts, 2);
    EXPECT_EQ(out.result().text, "Hello again!");
}

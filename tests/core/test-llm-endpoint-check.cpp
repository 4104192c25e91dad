// checkEndpoint against a real loopback HTTP server: the model list and a 1-token request on success, a refused key
// (HTTP 401, key never echoed), a closed port (connection refused with host:port), a stalled server (timeout), and
// parseModelList on bodies that are not model lists.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "endpoint_test_responses.h"
#include "fault_http_server.h"
#include "llm/endpoint_check.h"
#include "llm_test_support.h"

using namespace ts::llm;
using nlohmann::json;
using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

constexpr const char* kKey = "sk-check-secret-0123456789";

} // namespace

TEST(LlmEndpointCheck, ListsTheModelsAndSendsOneTokenRequest)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, tstest::modelListBody({"zeta", "test-model", "alpha", "alpha"})));
    server.enqueue(ScriptedResponse::json(200, tstest::oneTokenCompletionBody()));
    const ProviderConfig config = tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible);
    const EndpointCheck check = checkEndpoint(config, kKey, ts::CancelToken {});
    ASSERT_TRUE(check.ok) << check.problem;
    EXPECT_TRUE(check.problem.empty());
    EXPECT_GE(check.latencyMs, 0.0);
    ASSERT_TRUE(check.models.has_value()) << check.modelsProblem;
    EXPECT_EQ(*check.models, (std::vector<std::string> {"alpha", "test-model", "zeta"}));

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].path, "/v1/models");
    EXPECT_EQ(requests[0].header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_EQ(requests[1].method, "POST");
    EXPECT_EQ(requests[1].path, "/v1/chat/completions");
    const json body = json::parse(requests[1].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["max_tokens"], 1);

    const std::string summary = check.summary("test-model");
    EXPECT_NE(summary.find("OK: test-model answered a 1-token request in "), std::string::npos) << summary;
    EXPECT_NE(summary.find("The host lists 3 models: alpha, test-model, zeta."), std::string::npos) << summary;
    EXPECT_NE(check.summary("gpt-9").find("\"gpt-9\" is not among them."), std::string::npos);
}

TEST(LlmEndpointCheck, RefusedKeyIsSaidPlainlyWithoutTheKey)
{
    FaultHttpServer server;
    const std::string refusal
        = json {{"error", {{"message", std::string("Incorrect API key provided: ") + kKey}}}}.dump();
    server.enqueue(ScriptedResponse::json(401, refusal));
    server.enqueue(ScriptedResponse::json(401, refusal));
    const EndpointCheck check
        = checkEndpoint(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible), kKey, ts::CancelToken {});
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.httpStatus, 401);
    EXPECT_NE(check.problem.find("HTTP 401: the key was refused: Incorrect API key provided"), std::string::npos)
        << check.problem;
    EXPECT_FALSE(check.models.has_value());
    EXPECT_NE(check.modelsProblem.find("HTTP 401"), std::string::npos) << check.modelsProblem;
    const std::string summary = check.summary("test-model");
    EXPECT_EQ(summary.find(kKey), std::string::npos) << summary;
    EXPECT_EQ(summary.find("No model list"), std::string::npos) << summary; // the same 401 is not said twice
    EXPECT_EQ(server.requestCount(), 2u); // no retries
}

TEST(LlmEndpointCheck, NoKeySentIsNamedWhenTheHostWantsOne)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, tstest::modelListBody({"test-model"})));
    server.enqueue(ScriptedResponse::json(401, R"({"error":{"message":"missing key"}})"));
    const EndpointCheck check
        = checkEndpoint(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible), "", ts::CancelToken {});
    EXPECT_NE(check.problem.find("HTTP 401: the host wants a key and none was sent: missing key"), std::string::npos)
        << check.problem;
    EXPECT_FALSE(server.requests()[0].header("authorization").has_value());
}

TEST(LlmEndpointCheck, ClosedPortIsConnectionRefusedWithHostAndPort)
{
    ProviderConfig config;
    int port = 0;
    {
        FaultHttpServer server; // bound, then closed: nothing listens on its port any more
        config = tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible);
        port = server.port();
    }
    const EndpointCheck check = checkEndpoint(config, kKey, ts::CancelToken {});
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.problem, "Connection refused: nothing listens at 127.0.0.1:" + std::to_string(port) + ".");
}

TEST(LlmEndpointCheck, StalledServerTimesOut)
{
    FaultHttpServer server;
    ScriptedResponse stall = ScriptedResponse::json(200, tstest::modelListBody({"test-model"}));
    stall.delayBeforeResponse = std::chrono::milliseconds(2000); // longer than the config's 300 ms idle timeout
    server.enqueue(stall);
    const EndpointCheck check
        = checkEndpoint(tstest::fastProviderConfig(server, ProviderKind::OpenAiCompatible), kKey, ts::CancelToken {});
    EXPECT_FALSE(check.ok);
    EXPECT_EQ(check.problem.rfind("Timed out waiting for 127.0.0.1:" + std::to_string(server.port()), 0), 0u)
        << check.problem;
}

TEST(LlmEndpointCheck, AnthropicListsModelsWithItsHeaders)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(200, tstest::modelListBody({"claude-x"})));
    server.enqueue(ScriptedResponse::json(
        200,
        R"({"id":"m1","type":"message","role":"assistant","content":[{"type":"text","text":"OK"}],)"
        R"("stop_reason":"max_tokens","usage":{"input_tokens":5,"output_tokens":1}})"));
    const EndpointCheck check
        = checkEndpoint(tstest::fastProviderConfig(server, ProviderKind::Anthropic), kKey, ts::CancelToken {});
    ASSERT_TRUE(check.ok) << check.problem;
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].path, "/v1/models");
    EXPECT_EQ(requests[0].header("x-api-key"), kKey);
    EXPECT_TRUE(requests[0].header("anthropic-version").has_value());
    EXPECT_EQ(requests[1].path, "/v1/messages");
}

TEST(LlmEndpointCheck, ConfigsThatCannotBeTestedSayWhy)
{
    ProviderConfig local;
    local.kind = ProviderKind::Local;
    EXPECT_NE(checkEndpoint(local, "", ts::CancelToken {}).problem.find("local endpoint"), std::string::npos);
    ProviderConfig noUrl;
    EXPECT_NE(checkEndpoint(noUrl, "", ts::CancelToken {}).problem.find("No base URL"), std::string::npos);
}

TEST(LlmEndpointCheck, ParseModelListRefusesOtherBodies)
{
    EXPECT_FALSE(parseModelList("<html>502</html>"));
    EXPECT_FALSE(parseModelList(R"({"models":[]})"));
    auto empty = parseModelList(R"({"data":[]})");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    auto mixed = parseModelList(R"({"data":[{"id":"b"},{"name":"x"},3,{"id":""},{"id":"a"}]})");
    ASSERT_TRUE(mixed);
    EXPECT_EQ(*mixed, (std::vector<std::string> {"a", "b"}));
}

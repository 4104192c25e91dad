// `tunesmith-cli endpoint PROJECT test --name NAME` against a loopback server: the model list and a 1-token request
// with the key from the endpoint's variable (exit 0), and a refused key (exit 1, HTTP 401 said plainly, no key shown).
#include <cstdlib>

#include <gtest/gtest.h>

#include "cli_test_support.h"
#include "endpoint_test_responses.h"
#include "fault_http_server.h"
#include "test_support.h"

using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

constexpr const char* kKey = "sk-cli-check-0123456789";

// A project with one openai-compatible endpoint "loop" at `server`, reading its key from TS_CLI_ENDPOINT_TEST_KEY.
std::string projectWithEndpoint(const tstest::TempDir& dir, const FaultHttpServer& server)
{
    const std::string project = tstest::quoted(dir.path() / "p.tunesmith");
    EXPECT_EQ(tstest::runCli("create " + project).exitCode, 0);
    EXPECT_EQ(tstest::runCli("endpoint " + project + " add --name loop --kind openai-compatible --model test-model"
                             + " --base-url " + server.baseUrl() + "/v1 --key-env TS_CLI_ENDPOINT_TEST_KEY")
                  .exitCode,
              0);
    return project;
}

} // namespace

TEST(CliEndpointTest, ListsTheModelsAndAnswersWithTheVariablesKey)
{
    tstest::TempDir dir;
    FaultHttpServer server;
    const std::string project = projectWithEndpoint(dir, server);
    server.enqueue(ScriptedResponse::json(200, tstest::modelListBody({"test-model", "other"})));
    server.enqueue(ScriptedResponse::json(200, tstest::oneTokenCompletionBody()));
    ::setenv("TS_CLI_ENDPOINT_TEST_KEY", kKey, 1);
    const auto out = tstest::runCli("endpoint " + project + " test --name loop");
    ::unsetenv("TS_CLI_ENDPOINT_TEST_KEY");
    EXPECT_EQ(out.exitCode, 0);
    ASSERT_EQ(out.lines.size(), 1u);
    EXPECT_EQ(out.lines[0]["ok"], true);
    EXPECT_EQ(out.lines[0]["models"], nlohmann::json::array({"other", "test-model"}));
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].header("authorization"), std::string("Bearer ") + kKey);
}

TEST(CliEndpointTest, RefusedKeyExitsOneAndSaysSo)
{
    tstest::TempDir dir;
    FaultHttpServer server;
    const std::string project = projectWithEndpoint(dir, server);
    server.setFallback(ScriptedResponse::json(401, R"({"error":{"message":"Incorrect API key provided"}})"));
    ::setenv("TS_CLI_ENDPOINT_TEST_KEY", kKey, 1);
    const auto out = tstest::runCli("endpoint " + project + " test --name loop");
    ::unsetenv("TS_CLI_ENDPOINT_TEST_KEY");
    EXPECT_EQ(out.exitCode, 1);
    ASSERT_EQ(out.lines.size(), 1u);
    EXPECT_EQ(out.lines[0]["http_status"], 401);
    EXPECT_EQ(out.lines[0]["problem"], "HTTP 401: the key was refused: Incorrect API key provided.");
    EXPECT_EQ(out.lines[0].dump().find(kKey), std::string::npos);
}

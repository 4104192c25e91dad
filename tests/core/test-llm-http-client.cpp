// httpPost over loopback: status, lower-cased response headers, which bodies are streamed and
// which are collected, a body callback stopping the transfer, the total timeout.
#include <string>

#include <gtest/gtest.h>

#include "fault_http_server.h"
#include "llm/http_client.h"
#include "llm_test_support.h"

using namespace ts::llm;
using namespace std::chrono_literals;
using tstest::FaultHttpServer;
using tstest::ScriptedResponse;

namespace {

HttpRequest request(const FaultHttpServer& server)
{
    HttpRequest r;
    r.url = server.baseUrl() + "/echo?x=1";
    r.body = R"({"hello":"world"})";
    r.headers = {{"X-Custom", "value 1"}};
    r.timeouts.connect = 1000ms;
    r.timeouts.idle = 1000ms;
    r.timeouts.total = 2000ms;
    return r;
}

} // namespace

TEST(LlmHttpClient, PostsTheBodyAndReturnsStatusHeadersAndBody)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::json(429, R"({"error":"later"})").header("Retry-After", "12"));
    std::string streamed;
    HttpResponse r = httpPost(request(server), ts::CancelToken {}, [&](std::string_view c) {
        streamed += c;
        return true;
    });
    ASSERT_TRUE(r.ok()) << r.failureMessage;
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("retry-after"), "12");
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.body, R"({"error":"later"})"); // an error body is collected, not streamed
    EXPECT_TRUE(streamed.empty());

    auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/echo?x=1");
    EXPECT_EQ(requests[0].body, R"({"hello":"world"})");
    EXPECT_EQ(requests[0].header("x-custom"), "value 1");
    EXPECT_EQ(requests[0].header("content-type"), "application/json");
    EXPECT_FALSE(requests[0].header("expect"));
}

TEST(LlmHttpClient, StreamsA2xxBodyAndTheCallbackCanStopIt)
{
    FaultHttpServer server;
    server.enqueue(ScriptedResponse::sse({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n"}, 10ms));
    server.enqueue(ScriptedResponse::sse({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n"}, 10ms));
    std::string streamed;
    HttpResponse whole = httpPost(request(server), ts::CancelToken {}, [&](std::string_view c) {
        streamed += c;
        return true;
    });
    ASSERT_TRUE(whole.ok()) << whole.failureMessage;
    EXPECT_EQ(streamed, "data: 1\n\ndata: 2\n\ndata: 3\n\n");
    EXPECT_TRUE(whole.body.empty());
    EXPECT_EQ(whole.bytesReceived, streamed.size());

    int calls = 0;
    HttpResponse stopped = httpPost(request(server), ts::CancelToken {}, [&](std::string_view) { return ++calls < 1; });
    EXPECT_EQ(stopped.failure, HttpFailure::StoppedByCallback);
    EXPECT_EQ(calls, 1);
}

TEST(LlmHttpClient, TotalTimeoutAndConnectionCut)
{
    FaultHttpServer server;
    // Bytes keep coming (so the idle timeout never fires) but the whole takes longer than the total.
    ScriptedResponse slow = ScriptedResponse::sse(std::vector<std::string>(40, ": tick\n\n"), 50ms);
    server.enqueue(slow);
    server.enqueue(ScriptedResponse::json(200, "{\"partial\":").cut());
    HttpRequest r = request(server);
    r.timeouts.idle = 500ms;
    r.timeouts.total = 400ms;
    tstest::Stopwatch watch;
    HttpResponse timedOut = httpPost(r, ts::CancelToken {});
    EXPECT_EQ(timedOut.failure, HttpFailure::Timeout) << timedOut.failureMessage;
    EXPECT_LT(watch.seconds(), 1.5);

    HttpResponse cut = httpPost(request(server), ts::CancelToken {});
    EXPECT_EQ(cut.failure, HttpFailure::Connection) << cut.failureMessage;
    EXPECT_EQ(cut.status, 200);
}

// llm::LocalProvider in process (usage counts against the tokenizer, stop strings, cancellation,
// concurrent calls) and `tunesmith-cli serve` as a real subprocess on a tiny chat model, talked
// to over loopback HTTP with libcurl: model list, completions equal to the in-process provider's,
// SSE streaming, bearer token, size limit, field-named 400s, and serving on after a client hangs
// up mid-stream.
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <curl/curl.h>

#include "llm/local/local_provider.h"
#if __has_include("llm/openai_provider.h")
#include "llm/provider_config.h"
#endif
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "serve_process.h"
#include "train_test_support.h"

namespace {

using tstest::ServeProcess;

using json = nlohmann::json;
using ts::llm::ChatMessage;
using ts::llm::ChatParams;

const std::vector<ChatMessage> kMessages = {{"system", "You are terse."}, {"user", "hello there"}};

std::unique_ptr<ts::llm::LocalProvider> openTiny(const std::filesystem::path& dir)
{
    ts::llm::LocalProviderOptions options;
    options.engine.threads = 1;
    auto provider = ts::llm::openLocalProvider(dir, options);
    EXPECT_TRUE(provider) << (provider ? "" : provider.error().message);
    return provider ? std::move(*provider) : nullptr;
}

// A one-character ASCII stop string from the second half of `text` (random models write arbitrary
// bytes; a stop string made of part of a UTF-8 sequence is not what users write), or "".
std::string asciiStop(const std::string& text)
{
    for (size_t i = text.size() / 2; i < text.size(); ++i)
        if (text[i] >= 0x21 && text[i] <= 0x7e)
            return std::string(1, text[i]);
    return "";
}

ChatParams greedy(int maxTokens)
{
    ChatParams p;
    p.maxTokens = maxTokens;
    return p;
}

// ---------------------------------------------------------------------------------------------
// A small libcurl client.

struct HttpResponse
{
    long status = 0;
    std::string body;
    CURLcode code = CURLE_OK;
    json j() const { return json::parse(body, nullptr, false); }
};

struct HttpRequest
{
    std::string method = "GET";
    std::string url;
    std::string body;
    std::string token; // sent as a bearer token when not empty
    std::function<bool(const std::string& data)> onData; // false hangs up
};

size_t onCurlData(char* data, size_t size, size_t n, void* user)
{
    auto* state = static_cast<std::pair<HttpResponse*, const HttpRequest*>*>(user);
    std::string chunk(data, size * n);
    state->first->body += chunk;
    if (state->second->onData && !state->second->onData(chunk))
        return 0; // abort the transfer: curl closes the connection
    return size * n;
}

HttpResponse http(const HttpRequest& request)
{
    HttpResponse response;
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    if (!request.token.empty())
        headers = curl_slist_append(headers, ("Authorization: Bearer " + request.token).c_str());
    std::pair<HttpResponse*, const HttpRequest*> state(&response, &request);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method != "GET") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onCurlData);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    response.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
}

// The "data: " payloads of an SSE body, in order.
std::vector<std::string> sseData(const std::string& body)
{
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < body.size()) {
        size_t end = body.find('\n', pos);
        if (end == std::string::npos)
            end = body.size();
        const std::string line = body.substr(pos, end - pos);
        if (line.rfind("data: ", 0) == 0)
            out.push_back(line.substr(6));
        pos = end + 1;
    }
    return out;
}

json messagesJson(const std::vector<ChatMessage>& messages)
{
    json list = json::array();
    for (const auto& m : messages)
        list.push_back({{"role", m.role}, {"content", m.content}});
    return list;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// LocalProvider

class LocalProviderTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        tstest::writeTinyChatModel(*s_dir / "model");
        s_provider = openTiny(*s_dir / "model").release();
    }
    static void TearDownTestSuite()
    {
        delete s_provider;
        delete s_dir;
    }
    static inline tstest::TempDir* s_dir = nullptr;
    static inline ts::llm::LocalProvider* s_provider = nullptr;
};

TEST_F(LocalProviderTest, UsageCountsMatchTheTokenizerAndTemplate)
{
    ASSERT_TRUE(s_provider);
    auto tokenizer = ts::Tokenizer::loadFromPath(*s_dir / "model");
    ASSERT_TRUE(tokenizer);
    auto files = ts::loadChatTemplateFiles(*s_dir / "model");
    ASSERT_TRUE(files);
    auto tmpl = ts::ChatTemplate::parse(files->source);
    ASSERT_TRUE(tmpl);
    ts::ChatTemplateOptions o;
    o.addGenerationPrompt = true;
    auto rendered = tmpl->render(messagesJson(kMessages), o);
    ASSERT_TRUE(rendered);
    EXPECT_NE(rendered->find("<|im_start|>assistant"), std::string::npos);
    const auto promptIds = tokenizer->encode(*rendered, false);

    std::string streamed;
    auto outcome = s_provider->chat(kMessages, greedy(5), ts::CancelToken(),
                                    [&](const std::string& delta) { streamed += delta; });
    ASSERT_TRUE(outcome) << outcome.error().message;
    const auto& r = outcome.result();
    EXPECT_EQ(r.usage.inputTokens, static_cast<int64_t>(promptIds.size()));
    EXPECT_EQ(s_provider->promptIds(kMessages)->size(), promptIds.size());
    if (r.finishReason == "length") {
        EXPECT_EQ(r.usage.outputTokens, 5);
    } else {
        EXPECT_EQ(r.finishReason, "stop");
        EXPECT_LE(r.usage.outputTokens, 5);
    }
    EXPECT_EQ(streamed, r.text);
    EXPECT_GT(r.latencyMs, 0);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_NE(s_provider->describe().find("local "), std::string::npos);

    // Greedy is deterministic; a sampled run with a seed repeats itself.
    auto again = s_provider->chat(kMessages, greedy(5), ts::CancelToken());
    ASSERT_TRUE(again);
    EXPECT_EQ(again.result().text, r.text);
    ChatParams sampled = greedy(8);
    sampled.temperature = 1.0;
    sampled.seed = 7;
    auto s1 = s_provider->chat(kMessages, sampled, ts::CancelToken());
    auto s2 = s_provider->chat(kMessages, sampled, ts::CancelToken());
    ASSERT_TRUE(s1 && s2);
    EXPECT_EQ(s1.result().text, s2.result().text);
}

TEST_F(LocalProviderTest, StopStringsCutTheText)
{
    ASSERT_TRUE(s_provider);
    auto full = s_provider->chat(kMessages, greedy(40), ts::CancelToken());
    ASSERT_TRUE(full);
    const std::string text = full.result().text;
    ASSERT_GE(text.size(), 6u) << "the tiny model's greedy answer is too short for this test";
    const std::string stop = asciiStop(text);
    ASSERT_FALSE(stop.empty()) << "no ASCII in the tiny model's answer";
    ChatParams p = greedy(40);
    p.stop = {"\x01\x02never", stop};
    auto cut = s_provider->chat(kMessages, p, ts::CancelToken());
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut.result().text, text.substr(0, text.find(stop)));
    EXPECT_EQ(cut.result().finishReason, "stop");
    EXPECT_LT(cut.result().usage.outputTokens, full.result().usage.outputTokens);

    p.stop = {""};
    auto bad = s_provider->chat(kMessages, p, ts::CancelToken());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ts::llm::ChatErrorKind::BadRequest);
}

TEST_F(LocalProviderTest, CancellationStopsTheGeneration)
{
    ASSERT_TRUE(s_provider);
    ts::CancelToken cancelled;
    cancelled.requestStop();
    auto before = s_provider->chat(kMessages, greedy(40), cancelled);
    ASSERT_FALSE(before);
    EXPECT_EQ(before.error().kind, ts::llm::ChatErrorKind::Cancelled);

    auto full = s_provider->chat(kMessages, greedy(40), ts::CancelToken());
    ASSERT_TRUE(full);
    ASSERT_GE(full.result().usage.outputTokens, 4) << "the tiny model ends too early for this test";
    ts::CancelToken token;
    int deltas = 0;
    auto during = s_provider->chat(kMessages, greedy(40), token, [&](const std::string&) {
        ++deltas;
        token.requestStop();
    });
    ASSERT_FALSE(during);
    EXPECT_EQ(during.error().kind, ts::llm::ChatErrorKind::Cancelled);
    EXPECT_LE(deltas, 2);
}

TEST_F(LocalProviderTest, ConcurrentCallsAreSerializedAndAgree)
{
    ASSERT_TRUE(s_provider);
    auto reference = s_provider->chat(kMessages, greedy(12), ts::CancelToken());
    ASSERT_TRUE(reference);
    std::vector<std::string> texts(4);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < texts.size(); ++i)
        threads.emplace_back([&, i] {
            auto r = s_provider->chat(kMessages, greedy(12), ts::CancelToken());
            texts[i] = r ? r.result().text : "error: " + r.error().message;
        });
    for (auto& t : threads)
        t.join();
    for (const auto& t : texts)
        EXPECT_EQ(t, reference.result().text);
}

TEST_F(LocalProviderTest, BadFoldersAreNamed)
{
    auto missing = ts::llm::openLocalProvider(*s_dir / "nope");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("not a folder"), std::string::npos);
    std::filesystem::create_directories(*s_dir / "half");
    std::filesystem::copy_file(*s_dir / "model" / "config.json", *s_dir / "half" / "config.json");
    auto half = ts::llm::openLocalProvider(*s_dir / "half");
    ASSERT_FALSE(half);
    EXPECT_NE(half.error().message.find("tokenizer.json"), std::string::npos) << half.error().message;
}

// ---------------------------------------------------------------------------------------------
// tunesmith-cli serve

class ServeTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        s_dir = new tstest::TempDir();
        tstest::writeTinyChatModel(*s_dir / "model");
        s_provider = openTiny(*s_dir / "model").release();
        s_server
            = new ServeProcess({"--model", (*s_dir / "model").string(), "--port", "0", "--threads", "1", "--token-env",
                                "TS_SERVE_TEST_TOKEN", "--max-request-bytes", "4096", "--model-name", "tiny"},
                               {"TS_SERVE_TEST_TOKEN=sesame"}, (*s_dir / "serve.log").string());
    }
    static void TearDownTestSuite()
    {
        delete s_server;
        delete s_provider;
        delete s_dir;
    }

    static HttpResponse post(const json& body, const std::string& token = "sesame")
    {
        return http({"POST", s_server->url("/v1/chat/completions"), body.dump(), token, {}});
    }

    static inline tstest::TempDir* s_dir = nullptr;
    static inline ts::llm::LocalProvider* s_provider = nullptr;
    static inline ServeProcess* s_server = nullptr;
};

TEST_F(ServeTest, ListsTheModelAndPrintsWhereItListens)
{
    const json& line = s_server->listening();
    ASSERT_TRUE(line.is_object()) << "no listening line";
    EXPECT_EQ(line["model"], "tiny");
    EXPECT_EQ(line["listening"], "http://127.0.0.1:" + std::to_string(line["port"].get<int>()) + "/v1");
    EXPECT_EQ(line["auth"], true);

    auto models = http({"GET", s_server->url("/v1/models"), "", "sesame", {}});
    ASSERT_EQ(models.status, 200) << models.body;
    auto j = models.j();
    EXPECT_EQ(j["object"], "list");
    ASSERT_EQ(j["data"].size(), 1u);
    EXPECT_EQ(j["data"][0]["id"], "tiny");
    EXPECT_EQ(j["data"][0]["object"], "model");
    EXPECT_EQ(http({"GET", s_server->url("/v1/models/tiny"), "", "sesame", {}}).status, 200);
    EXPECT_EQ(http({"GET", s_server->url("/v1/models/other"), "", "sesame", {}}).status, 404);
}

TEST_F(ServeTest, CompletionEqualsTheInProcessProvider)
{
    ASSERT_TRUE(s_provider);
    auto local = s_provider->chat(kMessages, greedy(24), ts::CancelToken());
    ASSERT_TRUE(local) << local.error().message;

    auto res = post({{"model", "tiny"}, {"messages", messagesJson(kMessages)}, {"max_tokens", 24}, {"temperature", 0}});
    ASSERT_EQ(res.status, 200) << res.body;
    auto j = res.j();
    EXPECT_EQ(j["object"], "chat.completion");
    EXPECT_EQ(j["model"], "tiny");
    EXPECT_EQ(j["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
    EXPECT_TRUE(j["created"].is_number_integer());
    ASSERT_EQ(j["choices"].size(), 1u);
    EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
    EXPECT_EQ(j["choices"][0]["message"]["content"], local.result().text);
    EXPECT_EQ(j["choices"][0]["finish_reason"], local.result().finishReason);
    EXPECT_EQ(j["usage"]["prompt_tokens"], local.result().usage.inputTokens);
    EXPECT_EQ(j["usage"]["completion_tokens"], local.result().usage.outputTokens);
    EXPECT_EQ(j["usage"]["total_tokens"], local.result().usage.inputTokens + local.result().usage.outputTokens);

    // max_completion_tokens, a stop string, content parts and a developer message.
    const std::string text = local.result().text;
    ASSERT_GE(text.size(), 4u);
    const std::string stop = asciiStop(text);
    ASSERT_FALSE(stop.empty()) << "no ASCII in the tiny model's answer";
    ChatParams p = greedy(24);
    p.stop = {stop};
    auto localStop = s_provider->chat(kMessages, p, ts::CancelToken());
    ASSERT_TRUE(localStop);
    json messages = {{{"role", "developer"}, {"content", "You are terse."}},
                     {{"role", "user"},
                      {"content", {{{"type", "text"}, {"text", "hello "}}, {{"type", "text"}, {"text", "there"}}}}}};
    auto stopped = post({{"messages", messages}, {"max_completion_tokens", 24}, {"stop", stop}});
    ASSERT_EQ(stopped.status, 200) << stopped.body;
    EXPECT_EQ(stopped.j()["choices"][0]["message"]["content"], localStop.result().text);
    EXPECT_EQ(stopped.j()["choices"][0]["finish_reason"], "stop");
}

TEST_F(ServeTest, StreamingDeltasConcatenateToTheText)
{
    ASSERT_TRUE(s_provider);
    auto local = s_provider->chat(kMessages, greedy(24), ts::CancelToken());
    ASSERT_TRUE(local);

    auto res = post({{"messages", messagesJson(kMessages)},
                     {"max_tokens", 24},
                     {"stream", true},
                     {"stream_options", {{"include_usage", true}}}});
    ASSERT_EQ(res.status, 200) << res.body;
    auto events = sseData(res.body);
    ASSERT_GE(events.size(), 4u) << res.body;
    EXPECT_EQ(events.back(), "[DONE]");
    std::string text;
    json usage, finish;
    for (size_t i = 0; i + 1 < events.size(); ++i) {
        auto chunk = json::parse(events[i], nullptr, false);
        ASSERT_TRUE(chunk.is_object()) << events[i];
        EXPECT_EQ(chunk["object"], "chat.completion.chunk");
        if (!chunk["usage"].is_null())
            usage = chunk["usage"];
        if (chunk["choices"].empty())
            continue;
        const auto& choice = chunk["choices"][0];
        if (choice["delta"].contains("content"))
            text += choice["delta"]["content"].get<std::string>();
        if (!choice["finish_reason"].is_null())
            finish = choice["finish_reason"];
    }
    EXPECT_EQ(json::parse(events[0])["choices"][0]["delta"]["role"], "assistant");
    EXPECT_EQ(text, local.result().text);
    EXPECT_EQ(finish, local.result().finishReason);
    ASSERT_TRUE(usage.is_object()) << "no usage chunk";
    EXPECT_EQ(usage["prompt_tokens"], local.result().usage.inputTokens);
    EXPECT_EQ(usage["completion_tokens"], local.result().usage.outputTokens);

    // Without include_usage: no usage chunk, no usage field.
    auto plain = post({{"messages", messagesJson(kMessages)}, {"max_tokens", 24}, {"stream", true}});
    ASSERT_EQ(plain.status, 200);
    for (const auto& e : sseData(plain.body))
        EXPECT_TRUE(e == "[DONE]" || !json::parse(e).contains("usage")) << e;
}

TEST_F(ServeTest, BearerTokenIsRequired)
{
    const json body = {{"messages", messagesJson(kMessages)}, {"max_tokens", 2}};
    auto none = post(body, "");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.j()["error"]["code"], "invalid_api_key");
    EXPECT_EQ(post(body, "sesamE").status, 401);
    EXPECT_EQ(post(body, "sesame-and-more").status, 401);
    EXPECT_EQ(http({"GET", s_server->url("/v1/models"), "", "", {}}).status, 401);
    EXPECT_EQ(post(body).status, 200);
    EXPECT_EQ(none.body.find("sesame"), std::string::npos);
}

TEST_F(ServeTest, ErrorsAreOpenAiShaped)
{
    // Over --max-request-bytes.
    json big = {{"messages", {{{"role", "user"}, {"content", std::string(5000, 'x')}}}}};
    auto tooBig = post(big);
    EXPECT_EQ(tooBig.status, 413);
    EXPECT_EQ(tooBig.j()["error"]["code"], "request_too_large");

    auto badJson = http({"POST", s_server->url("/v1/chat/completions"), "{not json", "sesame", {}});
    EXPECT_EQ(badJson.status, 400);
    EXPECT_EQ(badJson.j()["error"]["type"], "invalid_request_error");

    auto noMessages = post({{"model", "tiny"}});
    EXPECT_EQ(noMessages.status, 400);
    EXPECT_EQ(noMessages.j()["error"]["param"], "messages");

    auto badTemperature = post({{"messages", messagesJson(kMessages)}, {"temperature", "hot"}});
    EXPECT_EQ(badTemperature.status, 400);
    EXPECT_EQ(badTemperature.j()["error"]["param"], "temperature");
    EXPECT_NE(badTemperature.j()["error"]["message"].get<std::string>().find("temperature"), std::string::npos);

    auto badRole = post({{"messages", {{{"role", "wizard"}, {"content", "hi"}}}}});
    EXPECT_EQ(badRole.status, 400);
    EXPECT_EQ(badRole.j()["error"]["param"], "messages[0].role");

    auto badStop = post({{"messages", messagesJson(kMessages)}, {"stop", 3}});
    EXPECT_EQ(badStop.j()["error"]["param"], "stop");
    auto badMax = post({{"messages", messagesJson(kMessages)}, {"max_tokens", 0}});
    EXPECT_EQ(badMax.j()["error"]["param"], "max_tokens");

    auto unknown = http({"GET", s_server->url("/v1/nothing"), "", "sesame", {}});
    EXPECT_EQ(unknown.status, 404);
    EXPECT_TRUE(unknown.j()["error"].is_object());
    auto wrongMethod = http({"GET", s_server->url("/v1/chat/completions"), "", "sesame", {}});
    EXPECT_EQ(wrongMethod.status, 405);
    EXPECT_TRUE(wrongMethod.j()["error"].is_object());
}

TEST_F(ServeTest, KeepsServingAfterAClientHangsUpMidStream)
{
    ASSERT_TRUE(s_provider);
    auto local = s_provider->chat(kMessages, greedy(24), ts::CancelToken());
    ASSERT_TRUE(local);

    int contentChunks = 0;
    HttpRequest hangUp {"POST", s_server->url("/v1/chat/completions"),
                        json({{"messages", messagesJson(kMessages)}, {"max_tokens", 400}, {"stream", true}}).dump(),
                        "sesame", [&](const std::string& data) {
                            contentChunks += data.find("\"content\"") != std::string::npos;
                            return contentChunks < 2; // the role chunk, then one delta
                        }};
    auto cut = http(hangUp);
    EXPECT_EQ(cut.code, CURLE_WRITE_ERROR);

    auto next = post({{"messages", messagesJson(kMessages)}, {"max_tokens", 24}});
    ASSERT_EQ(next.status, 200) << next.body;
    EXPECT_EQ(next.j()["choices"][0]["message"]["content"], local.result().text);

    // The server noticed and stopped that generation (unless the model ended it first).
    auto longer = s_provider->chat(kMessages, greedy(400), ts::CancelToken());
    ASSERT_TRUE(longer);
    if (longer.result().usage.outputTokens > 20) {
        std::ifstream log(*s_dir / "serve.log");
        const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        EXPECT_NE(text.find("the client hung up; generation cancelled"), std::string::npos) << text;
    }
}

#if __has_include("llm/openai_provider.h")
// The project's own OpenAI-compatible client against the server.
TEST_F(ServeTest, OpenAiProviderIsAClient)
{
    ASSERT_TRUE(s_provider);
    auto local = s_provider->chat(kMessages, greedy(24), ts::CancelToken());
    ASSERT_TRUE(local);
    ts::llm::ProviderConfig config;
    config.kind = ts::llm::ProviderKind::OpenAiCompatible;
    config.baseUrl = s_server->listening().value("listening", "");
    config.model = "tiny";
    auto provider = ts::llm::makeHttpProvider(config, "sesame");
    ASSERT_TRUE(provider) << provider.error().message;

    auto plain = (*provider)->chat(kMessages, greedy(24), ts::CancelToken());
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(plain.result().text, local.result().text);
    EXPECT_EQ(plain.result().finishReason, local.result().finishReason);
    EXPECT_EQ(plain.result().usage.inputTokens, local.result().usage.inputTokens);
    EXPECT_EQ(plain.result().usage.outputTokens, local.result().usage.outputTokens);

    std::string deltas;
    auto streamed = (*provider)->chat(kMessages, greedy(24), ts::CancelToken(),
                                      [&](const std::string& delta) { deltas += delta; });
    ASSERT_TRUE(streamed) << streamed.error().message;
    EXPECT_EQ(streamed.result().text, local.result().text);
    EXPECT_EQ(deltas, local.result().text);
    EXPECT_EQ(streamed.result().usage.inputTokens, local.result().usage.inputTokens);
    EXPECT_EQ(streamed.result().usage.outputTokens, local.result().usage.outputTokens);

    auto wrongKey = ts::llm::makeHttpProvider(config, "not-sesame");
    ASSERT_TRUE(wrongKey);
    auto refused = (*wrongKey)->chat(kMessages, greedy(2), ts::CancelToken());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ts::llm::ChatErrorKind::Auth);
    EXPECT_EQ(refused.error().httpStatus, 401);
}
#endif

TEST(ServeCli, StopsOnInterruptAndRefusesBadOptions)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    ServeProcess server({"--model", (dir / "model").string(), "--port", "0", "--threads", "1"});
    ASSERT_TRUE(server.listening().is_object());
    EXPECT_EQ(server.listening()["model"], "model");
    EXPECT_EQ(server.listening()["auth"], false);
    EXPECT_EQ(http({"GET", server.url("/v1/models"), "", "", {}}).status, 200);
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.lastLine().find("\"stopped\":true"), std::string::npos) << server.lastLine();

    ServeProcess noModel({"--model", (dir / "missing").string(), "--port", "0"});
    EXPECT_TRUE(noModel.listening().contains("error"));
    EXPECT_EQ(noModel.stop(), 1);
    ServeProcess noToken({"--model", (dir / "model").string(), "--token-env", "TS_SERVE_UNSET_VARIABLE"});
    ASSERT_TRUE(noToken.listening().contains("error"));
    EXPECT_NE(noToken.listening()["error"].get<std::string>().find("TS_SERVE_UNSET_VARIABLE"), std::string::npos);
    EXPECT_EQ(noToken.stop(), 2);
}

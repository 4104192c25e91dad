// CLI command `serve`: an OpenAI-compatible HTTP server over the local engine (llm::LocalProvider)
// on cpp-httplib: GET /v1/models, POST /v1/chat/completions (plain JSON or SSE streaming), bearer
// token auth, a request size limit, OpenAI-style JSON errors. Generations run one at a time (the
// provider serializes them); a client that disconnects mid-stream cancels its generation.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <httplib.h>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "llm/local/local_provider.h"
#include "lora/adapter_on_load.h"

namespace tscli {

namespace {

using json = nlohmann::json;

std::string dumpJson(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// Errors: {"error": {"message", "type", "param", "code"}} as the OpenAI API writes them.

struct ApiError
{
    int status = 400;
    std::string message;
    std::string param; // the offending request field, if any
    std::string code; // e.g. "invalid_api_key"; empty: null
};

json errorJson(const ApiError& e)
{
    const char* type = e.status == 401 ? "authentication_error"
        : e.status >= 500              ? "server_error"
                                       : "invalid_request_error";
    return {{"error",
             {{"message", e.message},
              {"type", type},
              {"param", e.param.empty() ? json(nullptr) : json(e.param)},
              {"code", e.code.empty() ? json(nullptr) : json(e.code)}}}};
}

void sendError(httplib::Response& res, const ApiError& e)
{
    res.status = e.status;
    res.set_content(dumpJson(errorJson(e)), "application/json");
}

ApiError badField(const std::string& param, const std::string& message)
{
    return ApiError {400, "'" + param + "' " + message, param, ""};
}

// ---------------------------------------------------------------------------------------------
// The chat completion request.

struct CompletionRequest
{
    std::vector<ts::llm::ChatMessage> messages;
    ts::llm::ChatParams params;
    bool stream = false;
    bool includeUsage = false;
};

// A field that is absent or null counts as not given (SDKs send explicit nulls).
const json* field(const json& body, const char* name)
{
    auto it = body.find(name);
    return it == body.end() || it->is_null() ? nullptr : &*it;
}

std::optional<ApiError> parseMessages(const json& list, std::vector<ts::llm::ChatMessage>& out)
{
    if (!list.is_array() || list.empty())
        return badField("messages", "must be a non-empty array");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = "messages[" + std::to_string(i) + "]";
        const json& m = list[i];
        if (!m.is_object())
            return badField(where, "must be an object");
        const json* role = field(m, "role");
        if (!role || !role->is_string())
            return badField(where + ".role", "must be a string");
        std::string r = role->get<std::string>();
        if (r == "developer")
            r = "system"; // newer OpenAI clients send system prompts as "developer"
        if (r != "system" && r != "user" && r != "assistant")
            return badField(where + ".role", "must be system, developer, user or assistant (got '" + r + "')");
        std::string content;
        const json* c = field(m, "content");
        if (c && c->is_string()) {
            content = c->get<std::string>();
        } else if (c && c->is_array()) { // content parts: only text
            for (size_t k = 0; k < c->size(); ++k) {
                const json& part = (*c)[k];
                const std::string partWhere = where + ".content[" + std::to_string(k) + "]";
                if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text")
                    || !part["text"].is_string())
                    return badField(partWhere, "must be {\"type\": \"text\", \"text\": string}");
                content += part["text"].get<std::string>();
            }
        } else if (c || r != "assistant") {
            return badField(where + ".content", "must be a string or an array of text parts");
        }
        out.push_back({std::move(r), std::move(content)});
    }
    return std::nullopt;
}

std::optional<ApiError> parseRequest(const std::string& body, CompletionRequest& out)
{
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded())
        return ApiError {400, "the request body is not valid JSON", "", "invalid_json"};
    if (!j.is_object())
        return ApiError {400, "the request body must be a JSON object", "", "invalid_json"};

    const json* messages = field(j, "messages");
    if (!messages)
        return badField("messages", "is required");
    if (auto e = parseMessages(*messages, out.messages))
        return e;
    auto& p = out.params;
    if (const json* v = field(j, "model")) {
        if (!v->is_string())
            return badField("model", "must be a string");
        p.model = v->get<std::string>();
    }
    if (const json* v = field(j, "temperature")) {
        if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > 2)
            return badField("temperature", "must be a number between 0 and 2");
        p.temperature = v->get<double>();
    }
    if (const json* v = field(j, "top_p")) {
        if (!v->is_number() || v->get<double>() <= 0 || v->get<double>() > 1)
            return badField("top_p", "must be a number in (0, 1]");
        p.topP = v->get<double>();
    }
    for (const char* name : {"max_tokens", "max_completion_tokens"}) // the latter wins
        if (const json* v = field(j, name)) {
            if (!v->is_number_integer() || v->get<int64_t>() < 1 || v->get<int64_t>() > 1'000'000)
                return badField(name, "must be a positive integer");
            p.maxTokens = static_cast<int>(v->get<int64_t>());
        }
    if (const json* v = field(j, "seed")) {
        if (!v->is_number_integer())
            return badField("seed", "must be an integer");
        p.seed = v->is_number_unsigned() ? v->get<uint64_t>() : static_cast<uint64_t>(v->get<int64_t>());
    }
    if (const json* v = field(j, "stop")) {
        if (v->is_string()) {
            p.stop.push_back(v->get<std::string>());
        } else if (v->is_array()) {
            for (const auto& s : *v) {
                if (!s.is_string())
                    return badField("stop", "must be a string or an array of strings");
                p.stop.push_back(s.get<std::string>());
            }
        } else {
            return badField("stop", "must be a string or an array of strings");
        }
        for (const auto& s : p.stop)
            if (s.empty())
                return badField("stop", "must not contain empty strings");
    }
    if (const json* v = field(j, "n"); v && (!v->is_number_integer() || v->get<int64_t>() != 1))
        return badField("n", "must be 1 (one choice per request)");
    if (const json* v = field(j, "response_format")) {
        const std::string type = v->is_object() ? v->value("type", "") : "";
        if (type != "text" && type != "json_object")
            return badField("response_format.type", "must be \"text\" or \"json_object\"");
        p.jsonMode = type == "json_object";
    }
    if (const json* v = field(j, "tools"); v && !(v->is_array() && v->empty()))
        return badField("tools", "are not supported by the local engine");
    if (const json* v = field(j, "stream")) {
        if (!v->is_boolean())
            return badField("stream", "must be a boolean");
        out.stream = v->get<bool>();
    }
    if (const json* v = field(j, "stream_options")) {
        if (!v->is_object())
            return badField("stream_options", "must be an object");
        if (const json* u = field(*v, "include_usage")) {
            if (!u->is_boolean())
                return badField("stream_options.include_usage", "must be a boolean");
            out.includeUsage = u->get<bool>();
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Responses.

json usageJson(const ts::llm::Usage& usage)
{
    return {{"prompt_tokens", usage.inputTokens},
            {"completion_tokens", usage.outputTokens},
            {"total_tokens", usage.inputTokens + usage.outputTokens}};
}

int64_t unixSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string completionId()
{
    static std::mutex mutex;
    static std::mt19937_64 rng(std::random_device {}());
    std::lock_guard lock(mutex);
    static const char* hex = "0123456789abcdef";
    std::string id = "chatcmpl-";
    for (int i = 0; i < 24; ++i)
        id.push_back(hex[rng() % 16]);
    return id;
}

ApiError chatErrorToApi(const ts::llm::ChatError& e)
{
    using K = ts::llm::ChatErrorKind;
    switch (e.kind) {
    case K::BadRequest:
        return ApiError {400, e.message, "messages", ""};
    case K::Cancelled:
        return ApiError {503, "the generation was cancelled (the server is stopping)", "", "cancelled"};
    default:
        return ApiError {500, e.message, "", ""};
    }
}

// ---------------------------------------------------------------------------------------------
// Cancel tokens of the generations in flight, so Ctrl+C stops them all.

class ActiveRequests
{
public:
    class Entry
    {
    public:
        Entry(ActiveRequests& owner)
            : m_owner(owner)
        {
            std::lock_guard lock(owner.m_mutex);
            m_id = ++owner.m_next;
            owner.m_tokens.emplace(m_id, m_token);
            if (owner.m_stopping)
                m_token.requestStop();
        }
        ~Entry()
        {
            std::lock_guard lock(m_owner.m_mutex);
            m_owner.m_tokens.erase(m_id);
        }
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        const ts::CancelToken& token() const { return m_token; }

    private:
        ActiveRequests& m_owner;
        uint64_t m_id = 0;
        ts::CancelToken m_token;
    };

    void stopAll()
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        for (auto& [id, token] : m_tokens)
            token.requestStop();
    }

private:
    std::mutex m_mutex;
    std::map<uint64_t, ts::CancelToken> m_tokens;
    uint64_t m_next = 0;
    bool m_stopping = false;
};

// ---------------------------------------------------------------------------------------------
// The server.

struct ServeConfig
{
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string token; // empty: no auth
    size_t maxRequestBytes = 1 << 20;
    std::string modelName;
};

class ChatServer
{
public:
    ChatServer(ts::llm::LocalProvider& provider, ServeConfig config)
        : m_provider(provider)
        , m_config(std::move(config))
        , m_created(unixSeconds())
    {
        routes();
    }

    // Binds; returns the port (the chosen one for port 0), or -1.
    int bind()
    {
        if (m_config.port == 0)
            return m_server.bind_to_any_port(m_config.host);
        return m_server.bind_to_port(m_config.host, m_config.port) ? m_config.port : -1;
    }

    // Serves until stop() (from another thread).
    bool listen() { return m_server.listen_after_bind(); }

    void stop()
    {
        m_active.stopAll();
        m_server.stop();
    }

    int64_t requests() const { return m_requests.load(); }

private:
    bool authorized(const httplib::Request& req, httplib::Response& res) const
    {
        if (m_config.token.empty())
            return true;
        const std::string header = req.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        bool ok = header.size() == prefix.size() + m_config.token.size() && header.rfind(prefix, 0) == 0;
        // Constant time over the token's length.
        unsigned char diff = ok ? 0 : 1;
        for (size_t i = 0; i < m_config.token.size(); ++i)
            diff |= static_cast<unsigned char>((i + prefix.size() < header.size() ? header[i + prefix.size()] : 0)
                                               ^ m_config.token[i]);
        if (diff == 0)
            return true;
        sendError(
            res,
            ApiError {401, header.empty() ? "missing bearer token (Authorization: Bearer ...)" : "invalid bearer token",
                      "", "invalid_api_key"});
        res.set_header("WWW-Authenticate", "Bearer");
        return false;
    }

    json modelJson() const
    {
        return {{"id", m_config.modelName}, {"object", "model"}, {"created", m_created}, {"owned_by", "tunesmith"}};
    }

    // Answers 405 to every method but `allowed` on `path`.
    void allowOnly(const std::string& path, const std::string& allowed)
    {
        auto refuse = [allowed](const httplib::Request& req, httplib::Response& res) {
            sendError(res,
                      ApiError {405, "method " + req.method + " not allowed on " + req.path + " (use " + allowed + ")",
                                "", "method_not_allowed"});
            res.set_header("Allow", allowed);
        };
        if (allowed != "GET")
            m_server.Get(path, refuse);
        if (allowed != "POST")
            m_server.Post(path, httplib::Server::Handler(refuse));
        m_server.Put(path, httplib::Server::Handler(refuse));
        m_server.Patch(path, httplib::Server::Handler(refuse));
        m_server.Delete(path, httplib::Server::Handler(refuse));
        m_server.Options(path, refuse);
    }

    void routes()
    {
        m_server.set_payload_max_length(m_config.maxRequestBytes);
        m_server.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res))
                return;
            res.set_content(dumpJson({{"object", "list"}, {"data", json::array({modelJson()})}}), "application/json");
        });
        m_server.Get(R"(/v1/models/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res))
                return;
            if (req.matches[1] != m_config.modelName)
                return sendError(res,
                                 ApiError {404, "the model '" + std::string(req.matches[1]) + "' does not exist",
                                           "model", "model_not_found"});
            res.set_content(dumpJson(modelJson()), "application/json");
        });
        m_server.Post("/v1/chat/completions",
                      httplib::Server::HandlerWithContentReader(
                          [this](const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader) { chatCompletions(req, res, reader); }));
        allowOnly("/v1/models", "GET");
        allowOnly("/v1/chat/completions", "POST");

        m_server.set_error_handler(
            httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
                if (!res.body.empty())
                    return httplib::Server::HandlerResponse::Handled;
                if (res.status == 404)
                    sendError(res, ApiError {404, "unknown path: " + req.method + " " + req.path, "", "unknown_url"});
                else if (res.status == 413)
                    sendError(res, tooLarge());
                else
                    sendError(res, ApiError {res.status, "HTTP error " + std::to_string(res.status), "", ""});
                return httplib::Server::HandlerResponse::Handled;
            }));
        m_server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            ++m_requests;
            std::cerr << "serve: " << req.method << " " << req.path << " " << res.status << "\n";
        });
    }

    ApiError tooLarge() const
    {
        return ApiError {413,
                         "the request body is over the limit of " + std::to_string(m_config.maxRequestBytes)
                             + " bytes (--max-request-bytes)",
                         "", "request_too_large"};
    }

    void chatCompletions(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader)
    {
        // Read the body ourselves: httplib's own limit covers Content-Length; a chunked body is
        // drained and refused once it passes the limit.
        std::string body;
        bool over = false;
        const bool read = reader([&](const char* data, size_t n) {
            if (!over && body.size() + n <= m_config.maxRequestBytes)
                body.append(data, n);
            else
                over = true;
            return true;
        });
        if (over || res.status == 413)
            return sendError(res, tooLarge());
        if (!read)
            return sendError(res, ApiError {400, "could not read the request body", "", ""});
        if (!authorized(req, res))
            return;

        auto request = std::make_shared<CompletionRequest>();
        if (auto e = parseRequest(body, *request))
            return sendError(res, *e);
        // Template and context errors as a 400 before a stream starts.
        if (auto ids = m_provider.promptIds(request->messages); !ids)
            return sendError(res, badField("messages", "cannot be rendered: " + ids.error().message));
        else if (static_cast<int64_t>(ids->size()) >= m_provider.contextLength())
            return sendError(res,
                             badField("messages",
                                      "are " + std::to_string(ids->size()) + " tokens; the model's context is "
                                          + std::to_string(m_provider.contextLength())));

        const std::string id = completionId();
        const int64_t created = unixSeconds();
        if (!request->stream) {
            ActiveRequests::Entry entry(m_active);
            auto outcome = m_provider.chat(request->messages, request->params, entry.token());
            if (!outcome)
                return sendError(res, chatErrorToApi(outcome.error()));
            const auto& r = outcome.result();
            json choice = {{"index", 0},
                           {"message", {{"role", "assistant"}, {"content", r.text}}},
                           {"logprobs", nullptr},
                           {"finish_reason", r.finishReason}};
            res.set_content(dumpJson({{"id", id},
                                      {"object", "chat.completion"},
                                      {"created", created},
                                      {"model", m_config.modelName},
                                      {"choices", json::array({choice})},
                                      {"usage", usageJson(r.usage)}}),
                            "application/json");
            return;
        }

        res.set_header("Cache-Control", "no-cache");
        res.set_chunked_content_provider(
            "text/event-stream", [this, request, id, created](size_t, httplib::DataSink& sink) {
                return streamCompletion(*request, id, created, sink); // false: the client is gone
            });
    }

    // The SSE body of a streamed completion: a role chunk, one chunk per text delta, a finish
    // chunk, the usage chunk (stream_options.include_usage), then "data: [DONE]". False when the
    // client went away.
    bool streamCompletion(const CompletionRequest& request, const std::string& id, int64_t created,
                          httplib::DataSink& sink)
    {
        ActiveRequests::Entry entry(m_active);
        bool open = true;
        auto send = [&](const std::string& payload) {
            if (!open)
                return;
            const std::string event = "data: " + payload + "\n\n";
            open = sink.is_writable() && sink.write(event.data(), event.size());
            if (!open)
                entry.token().requestStop(); // the client went away: stop generating
        };
        auto chunk = [&](json delta, json finishReason) {
            json c = {{"id", id},
                      {"object", "chat.completion.chunk"},
                      {"created", created},
                      {"model", m_config.modelName},
                      {"choices",
                       json::array({{{"index", 0},
                                     {"delta", std::move(delta)},
                                     {"logprobs", nullptr},
                                     {"finish_reason", std::move(finishReason)}}})}};
            if (request.includeUsage)
                c["usage"] = nullptr;
            send(dumpJson(c));
        };

        chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
        auto outcome = m_provider.chat(request.messages, request.params, entry.token(), [&](const std::string& delta) {
            chunk({{"content", delta}}, nullptr);
        });
        if (!open) { // nobody left to tell
            if (!outcome && outcome.error().kind == ts::llm::ChatErrorKind::Cancelled)
                std::cerr << "serve: " << id << ": the client hung up; generation cancelled\n";
            return false;
        }
        if (!outcome) {
            send(dumpJson(errorJson(chatErrorToApi(outcome.error()))));
        } else {
            chunk(json::object(), outcome.result().finishReason);
            if (request.includeUsage)
                send(dumpJson({{"id", id},
                               {"object", "chat.completion.chunk"},
                               {"created", created},
                               {"model", m_config.modelName},
                               {"choices", json::array()},
                               {"usage", usageJson(outcome.result().usage)}}));
            send("[DONE]");
        }
        if (open)
            sink.done();
        return open;
    }

    ts::llm::LocalProvider& m_provider;
    ServeConfig m_config;
    int64_t m_created;
    httplib::Server m_server;
    ActiveRequests m_active;
    std::atomic<int64_t> m_requests {0};
};

} // namespace

int commandServe(const Args& args)
{
    Options opts(args, 0, {});
    if (!opts.ok())
        return fail("serve: " + opts.error(), 2);
    const auto modelDir = opts.value("--model");
    if (!modelDir)
        return fail("serve: --model DIR is required", 2);

    ServeConfig config;
    ts::llm::LocalProviderOptions providerOptions;
    {
        std::string bad;
        auto num = [&](const char* name, auto& target) {
            if (auto v = opts.value(name); v && !parseNumber(*v, target))
                bad = name;
        };
        num("--port", config.port);
        num("--max-request-bytes", config.maxRequestBytes);
        num("--threads", providerOptions.engine.threads);
        num("--max-tokens", providerOptions.defaultMaxTokens);
        if (!bad.empty())
            return fail("serve: " + bad + " expects a number", 2);
    }
    if (config.port < 0 || config.port > 65535)
        return fail("serve: --port must be 0..65535 (0: any free port)", 2);
    if (config.maxRequestBytes < 1024)
        return fail("serve: --max-request-bytes must be at least 1024", 2);
    if (providerOptions.defaultMaxTokens < 1)
        return fail("serve: --max-tokens must be at least 1", 2);
    if (auto host = opts.value("--host"))
        config.host = *host;
    if (auto adapter = opts.value("--adapter"))
        providerOptions.engine.editWeights = ts::lora::mergeAdapterOnLoad(*adapter);
    if (auto d = opts.value("--dtype")) {
        auto dtype = ts::computeDtypeFromName(*d);
        if (!dtype)
            return fail("serve: --dtype must be f32, bf16 or f16", 2);
        providerOptions.engine.dtype = *dtype;
    }

    const auto token = opts.value("--token");
    const auto tokenEnv = opts.value("--token-env");
    if (token && tokenEnv)
        return fail("serve: pass --token or --token-env, not both", 2);
    if (token) {
        if (token->empty())
            return fail("serve: --token is empty", 2);
        config.token = *token;
    } else if (tokenEnv) {
        const char* value = std::getenv(tokenEnv->c_str());
        if (!value || !*value)
            return fail("serve: the environment variable " + *tokenEnv + " (--token-env) is not set or empty", 2);
        config.token = value;
    }

    std::filesystem::path dir(*modelDir);
    config.modelName = opts.value("--model-name")
                           .value_or((dir.has_filename() ? dir.filename() : dir.parent_path().filename()).string());
    if (config.modelName.empty())
        return fail("serve: cannot name the model after " + *modelDir + "; pass --model-name", 2);

    auto provider = ts::llm::openLocalProvider(dir, providerOptions);
    if (!provider)
        return fail("serve: " + provider.error().message);

    std::signal(SIGPIPE, SIG_IGN); // a client that hangs up is seen as a failed write
    ChatServer server(**provider, config);
    const int port = server.bind();
    if (port < 0)
        return fail("serve: cannot listen on " + config.host + ":" + std::to_string(config.port));
    const bool ipv6 = config.host.find(':') != std::string::npos;
    const std::string hostInUrl = ipv6 ? "[" + config.host + "]" : config.host;
    printJson({{"listening", "http://" + hostInUrl + ":" + std::to_string(port) + "/v1"},
               {"model", config.modelName},
               {"host", config.host},
               {"port", port},
               {"auth", !config.token.empty()}});

    // Ctrl+C / SIGTERM: cancel the generations in flight and stop listening.
    std::atomic<bool> finished {false};
    std::thread watcher([&] {
        while (!finished.load()) {
            if (interruptToken().stopRequested()) {
                server.stop();
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
    const bool ok = server.listen();
    finished = true;
    watcher.join();
    if (!interruptToken().stopRequested() && !ok)
        return fail("serve: the server stopped unexpectedly");
    return printJson({{"stopped", true}, {"requests", server.requests()}});
}

const CommandRegistration serveCommand(
    "serve",
    "  serve --model DIR [options]       OpenAI-compatible HTTP server over the local engine:\n"
    "                                    GET /v1/models, POST /v1/chat/completions (stream: SSE);\n"
    "                                    prints {\"listening\": URL, \"model\", \"port\"}, then serves until Ctrl+C\n"
    "      --host H                      address to bind (default 127.0.0.1: this machine only)\n"
    "      --port N                      default 8080; 0 picks a free port\n"
    "      --token SECRET | --token-env VAR   require \"Authorization: Bearer SECRET\"\n"
    "      --max-request-bytes N         larger request bodies get 413 (default 1048576)\n"
    "      --model-name NAME             the model id clients see (default: the folder name)\n"
    "      --max-tokens N                for requests without max_tokens (default 256)\n"
    "      --adapter DIR                 merge a PEFT LoRA adapter into the model\n"
    "      --threads N --dtype f32|bf16|f16   compute threads (default: all cores) and dtype (f32)",
    commandServe);

} // namespace tscli

// Server: the routes of the OpenAI-compatible server on cpp-httplib, and its listener thread.
#include "serve/openai_server.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <httplib.h>

#include "llm/local/local_provider.h"
#include "serve/api_error.h"
#include "serve/bearer_auth.h"
#include "serve/chat_request_wire.h"
#include "serve/chat_response_wire.h"
#include "serve/request_tracker.h"
#include "serve/sse_writer.h"

namespace ts::serve {

namespace {

void sendError(httplib::Response& res, const ApiError& e)
{
    res.status = e.status;
    res.set_content(wireText(apiErrorJson(e)), "application/json");
}

} // namespace

struct Server::Impl
{
    Impl(llm::LocalProvider& provider, ServerConfig config)
        : provider(provider)
        , config(std::move(config))
        , created(unixSeconds())
    {
        routes();
    }

    llm::LocalProvider& provider;
    ServerConfig config;
    int64_t created;
    httplib::Server http;
    RequestTracker tracker;
    int boundPort = 0;
    std::thread listener;
    std::atomic<bool> serving {false};
    std::atomic<bool> failed {false};

    void log(const std::string& line) const
    {
        if (config.log)
            config.log(line);
    }

    bool authorized(const httplib::Request& req, httplib::Response& res) const
    {
        if (config.token.empty())
            return true;
        const std::string header = req.get_header_value("Authorization");
        if (bearerTokenMatches(header, config.token))
            return true;
        sendError(
            res,
            ApiError {401, header.empty() ? "missing bearer token (Authorization: Bearer ...)" : "invalid bearer token",
                      "", "invalid_api_key"});
        res.set_header("WWW-Authenticate", "Bearer");
        return false;
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
            http.Get(path, refuse);
        if (allowed != "POST")
            http.Post(path, httplib::Server::Handler(refuse));
        http.Put(path, httplib::Server::Handler(refuse));
        http.Patch(path, httplib::Server::Handler(refuse));
        http.Delete(path, httplib::Server::Handler(refuse));
        http.Options(path, refuse);
    }

    void routes()
    {
        http.set_payload_max_length(config.maxRequestBytes);
        http.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res))
                return;
            res.set_content(wireText(modelListJson(config.modelName, created)), "application/json");
        });
        http.Get(R"(/v1/models/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
            if (!authorized(req, res))
                return;
            if (req.matches[1] != config.modelName)
                return sendError(res,
                                 ApiError {404, "the model '" + std::string(req.matches[1]) + "' does not exist",
                                           "model", "model_not_found"});
            res.set_content(wireText(modelJson(config.modelName, created)), "application/json");
        });
        http.Post("/v1/chat/completions",
                  httplib::Server::HandlerWithContentReader(
                      [this](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) { chatCompletions(req, res, reader); }));
        allowOnly("/v1/models", "GET");
        allowOnly("/v1/chat/completions", "POST");

        http.set_error_handler(
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
        http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
            tracker.countRequest();
            log(req.method + " " + req.path + " " + std::to_string(res.status));
        });
    }

    ApiError tooLarge() const
    {
        return ApiError {413,
                         "the request body is over the limit of " + std::to_string(config.maxRequestBytes)
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
            if (!over && body.size() + n <= config.maxRequestBytes)
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
        if (auto e = parseCompletionRequest(body, *request))
            return sendError(res, *e);
        if (!request->params.maxTokens)
            request->params.maxTokens = config.defaultMaxTokens;
        // Template and context errors as a 400 before a stream starts.
        if (auto ids = provider.promptIds(request->messages); !ids)
            return sendError(res, badField("messages", "cannot be rendered: " + ids.error().message));
        else if (static_cast<int64_t>(ids->size()) >= provider.contextLength())
            return sendError(res,
                             badField("messages",
                                      "are " + std::to_string(ids->size()) + " tokens; the model's context is "
                                          + std::to_string(provider.contextLength())));

        const CompletionHeader header {newCompletionId(), unixSeconds(), config.modelName};
        if (!request->stream) {
            RequestTracker::Generation generation(tracker);
            auto outcome = provider.chat(request->messages, request->params, generation.token());
            if (!outcome)
                return sendError(res, apiErrorFromChatError(outcome.error()));
            res.set_content(wireText(completionJson(header, outcome.result())), "application/json");
            return;
        }

        res.set_header("Cache-Control", "no-cache");
        res.set_chunked_content_provider("text/event-stream", [this, request, header](size_t, httplib::DataSink& sink) {
            return streamCompletion(*request, header, sink); // false: the client is gone
        });
    }

    // The SSE body of a streamed completion: a role chunk, one chunk per text delta, a finish
    // chunk, the usage chunk (stream_options.include_usage), then "data: [DONE]". False when the
    // client went away.
    bool streamCompletion(const CompletionRequest& request, const CompletionHeader& header, httplib::DataSink& sink)
    {
        RequestTracker::Generation generation(tracker);
        SseWriter events(
            [&sink](const std::string& bytes) { return sink.is_writable() && sink.write(bytes.data(), bytes.size()); },
            [&generation] { generation.token().requestStop(); }); // the client went away: stop generating
        auto chunk = [&](nlohmann::json delta, nlohmann::json finishReason) {
            events.send(
                wireText(completionChunkJson(header, std::move(delta), std::move(finishReason), request.includeUsage)));
        };

        chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
        auto outcome
            = provider.chat(request.messages, request.params, generation.token(), [&](const std::string& delta) {
                  chunk({{"content", delta}}, nullptr);
              });
        if (!events.open()) { // nobody left to tell
            if (!outcome && outcome.error().kind == llm::ChatErrorKind::Cancelled)
                log(header.id + ": the client hung up; generation cancelled");
            return false;
        }
        if (!outcome) {
            events.send(wireText(apiErrorJson(apiErrorFromChatError(outcome.error()))));
        } else {
            chunk(nlohmann::json::object(), outcome.result().finishReason);
            if (request.includeUsage)
                events.send(wireText(usageChunkJson(header, outcome.result().usage)));
            events.send("[DONE]");
        }
        if (events.open())
            sink.done();
        return events.open();
    }
};

Server::Server(llm::LocalProvider& provider, ServerConfig config)
    : m_impl(std::make_unique<Impl>(provider, std::move(config)))
{ }

Server::~Server()
{
    stop();
}

Status Server::start()
{
    Impl& s = *m_impl;
    if (s.listener.joinable())
        return makeError("the server is already started");
    const auto& c = s.config;
    s.boundPort = c.port == 0 ? s.http.bind_to_any_port(c.host) : (s.http.bind_to_port(c.host, c.port) ? c.port : -1);
    if (s.boundPort < 0) {
        s.boundPort = 0;
        return makeError("cannot listen on " + c.host + ":" + std::to_string(c.port));
    }
    s.serving = true;
    s.failed = false;
    s.listener = std::thread([&s] {
        s.failed = !s.http.listen_after_bind();
        s.serving = false;
    });
    // httplib's stop() does nothing until the listener runs: wait for it, so stop() always works.
    while (s.serving && !s.http.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
}

int Server::port() const
{
    return m_impl->boundPort;
}

std::string Server::baseUrl() const
{
    const std::string& host = m_impl->config.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port()) + "/v1";
}

bool Server::serving() const
{
    return m_impl->serving;
}

bool Server::failed() const
{
    return m_impl->failed;
}

void Server::stop()
{
    m_impl->tracker.stopAll();
    m_impl->http.stop();
    if (m_impl->listener.joinable())
        m_impl->listener.join();
}

const ServerConfig& Server::config() const
{
    return m_impl->config;
}

int64_t Server::requests() const
{
    return m_impl->tracker.requests();
}

} // namespace ts::serve

// Server: an OpenAI-compatible HTTP server over the local engine (llm::LocalProvider), on
// cpp-httplib: GET /v1/models and /v1/models/<id>, POST /v1/chat/completions (plain JSON or SSE
// streaming), bearer token auth, a request size limit, OpenAI-style JSON errors, 405 for other
// methods on those paths. Generations run one at a time (the provider serializes them); a client
// that disconnects mid-stream cancels its generation; stop() cancels every generation in flight.
// The CLI's `serve` starts it; the GUI can start the same one. httplib stays out of this header.
//
// A client that hangs up is seen as a failed write; the process should ignore SIGPIPE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/expected.h"

namespace ts::llm {
class LocalProvider;
}

namespace ts::serve {

struct ServerConfig
{
    std::string host = "127.0.0.1";
    int port = 8080; // 0: any free port
    std::string token; // required as "Authorization: Bearer <token>"; empty: no auth
    size_t maxRequestBytes = 1 << 20; // larger bodies get 413
    std::string modelName; // the model id clients see
    int defaultMaxTokens = 256; // for requests without max_tokens
    // One line per request ("POST /v1/chat/completions 200") and per stream whose client hung up;
    // called on the server's threads. Empty: nothing is logged.
    std::function<void(const std::string& line)> log;
};

class Server
{
public:
    // `provider` must outlive the server.
    Server(llm::LocalProvider& provider, ServerConfig config);
    ~Server(); // stop()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and serves on a background thread; "cannot listen on host:port" when binding fails.
    Status start();
    // The bound port (the chosen one for port 0); 0 before start().
    int port() const;
    // "http://host:port/v1" (an IPv6 host in brackets).
    std::string baseUrl() const;
    // True from start() until the listener ends (stop(), or a failure of the listening socket).
    bool serving() const;
    // True when the listener ended with an error (its socket failed), not through stop().
    bool failed() const;
    // Cancels the generations in flight, stops listening and waits for the listener.
    void stop();

    const ServerConfig& config() const;
    int64_t requests() const; // requests answered so far

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::serve

// FaultHttpServer: a small HTTP/1.1 server on 127.0.0.1 (ephemeral port) for testing HTTP clients
// against the failures real APIs produce. Each request gets the next response from a scripted
// queue: normal JSON, an SSE stream sent in chunks with delays, 429 with Retry-After, 5xx, a stall
// longer than the client's timeout, a connection closed mid-body, a malformed body. It records
// every request (method, path, headers, body) and the most requests it was serving at once.
// One thread accepts, one thread serves each connection; every response closes its connection.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tstest {

struct RecordedRequest
{
    std::string method;
    std::string path;
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;

    std::optional<std::string> header(const std::string& lowerCaseName) const
    {
        for (const auto& [name, value] : headers) {
            if (name == lowerCaseName)
                return value;
        }
        return std::nullopt;
    }
};

struct ScriptedResponse
{
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> chunks; // the body, sent piece by piece
    std::chrono::milliseconds delayBeforeResponse {0}; // nothing is sent until then
    std::chrono::milliseconds delayBetweenChunks {0};
    bool chunked = false; // Transfer-Encoding: chunked (else Content-Length)
    bool cutAfterChunks = false; // close the connection before the body is complete

    static ScriptedResponse json(int status, std::string body)
    {
        ScriptedResponse r;
        r.status = status;
        r.headers.emplace_back("Content-Type", "application/json");
        r.chunks.push_back(std::move(body));
        return r;
    }
    // `events` are whole SSE events ("data: {...}\n\n"), each sent as its own chunk.
    static ScriptedResponse sse(std::vector<std::string> events, std::chrono::milliseconds between = {})
    {
        ScriptedResponse r;
        r.headers.emplace_back("Content-Type", "text/event-stream");
        r.chunks = std::move(events);
        r.delayBetweenChunks = between;
        r.chunked = true;
        return r;
    }
    ScriptedResponse& header(std::string name, std::string value)
    {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    ScriptedResponse& delay(std::chrono::milliseconds d)
    {
        delayBeforeResponse = d;
        return *this;
    }
    ScriptedResponse& cut()
    {
        cutAfterChunks = true;
        return *this;
    }
};

class FaultHttpServer
{
public:
    FaultHttpServer()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_listen < 0)
            throw std::runtime_error("socket() failed");
        int yes = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 64) != 0)
            throw std::runtime_error("bind/listen on 127.0.0.1 failed");
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_acceptThread = std::thread([this] { acceptLoop(); });
    }

    ~FaultHttpServer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_acceptThread.join();
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.swap(m_connectionThreads);
        }
        for (auto& t : threads)
            t.join();
        ::close(m_listen);
    }

    FaultHttpServer(const FaultHttpServer&) = delete;
    FaultHttpServer& operator=(const FaultHttpServer&) = delete;

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int port() const { return m_port; }

    void enqueue(ScriptedResponse response)
    {
        std::lock_guard lock(m_mutex);
        m_script.push_back(std::move(response));
    }
    // Served when the queue is empty (default: 500 "no scripted response").
    void setFallback(ScriptedResponse response)
    {
        std::lock_guard lock(m_mutex);
        m_fallback = std::move(response);
    }

    // Answers by content (e.g. by the prompt in the body) when the queue is empty, before the fallback; it runs on
    // the request's own thread without the server's lock, so it may block (a gate the test opens), and nullopt
    // leaves the request to the fallback.
    using Responder = std::function<std::optional<ScriptedResponse>(const RecordedRequest&)>;
    void setResponder(Responder responder)
    {
        std::lock_guard lock(m_mutex);
        m_responder = std::move(responder);
    }

    std::vector<RecordedRequest> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    size_t requestCount() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests.size();
    }
    // The most requests being answered at the same time so far.
    int maxConcurrent() const { return m_maxActive.load(); }

private:
    void acceptLoop()
    {
        while (true) {
            {
                std::lock_guard lock(m_mutex);
                if (m_stop)
                    return;
            }
            pollfd pfd {m_listen, POLLIN, 0};
            if (::poll(&pfd, 1, 20) <= 0)
                continue;
            int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            std::lock_guard lock(m_mutex);
            m_connectionThreads.emplace_back([this, fd] {
                serve(fd);
                ::close(fd);
            });
        }
    }

    static std::string lower(std::string s)
    {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        return s;
    }

    static std::optional<RecordedRequest> readRequest(int fd)
    {
        timeval tv {5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string data;
        char buf[4096];
        size_t headerEnd = std::string::npos;
        while ((headerEnd = data.find("\r\n\r\n")) == std::string::npos) {
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0)
                return std::nullopt;
            data.append(buf, size_t(n));
        }
        RecordedRequest req;
        std::string head = data.substr(0, headerEnd);
        size_t lineEnd = head.find("\r\n");
        std::string requestLine = head.substr(0, lineEnd);
        size_t sp1 = requestLine.find(' '), sp2 = requestLine.rfind(' ');
        req.method = requestLine.substr(0, sp1);
        req.path = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
        size_t contentLength = 0;
        size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
        while (pos < head.size()) {
            size_t end = head.find("\r\n", pos);
            if (end == std::string::npos)
                end = head.size();
            std::string line = head.substr(pos, end - pos);
            if (auto colon = line.find(':'); colon != std::string::npos) {
                std::string name = lower(line.substr(0, colon));
                std::string value = line.substr(colon + 1);
                value.erase(0, value.find_first_not_of(' '));
                if (name == "content-length")
                    contentLength = std::stoul(value);
                req.headers.emplace_back(name, value);
            }
            pos = end + 2;
        }
        req.body = data.substr(headerEnd + 4);
        while (req.body.size() < contentLength) {
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0)
                return std::nullopt;
            req.body.append(buf, size_t(n));
        }
        return req;
    }

    // False when the server is stopping.
    bool sleepFor(std::chrono::milliseconds d)
    {
        std::unique_lock lock(m_mutex);
        return !m_wake.wait_for(lock, d, [this] { return m_stop; });
    }

    static bool sendAll(int fd, const std::string& data)
    {
        size_t sent = 0;
        while (sent < data.size()) {
            ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += size_t(n);
        }
        return true;
    }

    static const char* reason(int status)
    {
        switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
        }
    }

    void serve(int fd)
    {
        auto request = readRequest(fd);
        if (!request)
            return;
        ScriptedResponse response;
        Responder responder;
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(*request);
            if (!m_script.empty()) {
                response = std::move(m_script.front());
                m_script.pop_front();
            } else {
                response = m_fallback;
                responder = m_responder;
            }
        }
        if (responder)
            if (auto answered = responder(*request))
                response = std::move(*answered);
        const int active = ++m_active;
        int seen = m_maxActive.load();
        while (active > seen && !m_maxActive.compare_exchange_weak(seen, active)) { }
        bool counted = true;
        // The client may finish as soon as the last bytes arrive, so stop counting this request
        // just before they are sent; otherwise the next request could overlap it in the count.
        auto finishing = [&] {
            if (std::exchange(counted, false))
                --m_active;
        };
        respond(fd, response, finishing);
        finishing();
    }

    template <typename Finishing> void respond(int fd, const ScriptedResponse& r, Finishing& finishing)
    {
        if (r.delayBeforeResponse.count() > 0 && !sleepFor(r.delayBeforeResponse))
            return;
        size_t total = 0;
        for (const auto& c : r.chunks)
            total += c.size();
        std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
        for (const auto& [name, value] : r.headers)
            head += name + ": " + value + "\r\n";
        if (r.chunked)
            head += "Transfer-Encoding: chunked\r\n";
        else
            head += "Content-Length: " + std::to_string(total + (r.cutAfterChunks ? 100 : 0)) + "\r\n";
        head += "Connection: close\r\n\r\n";
        if (!sendAll(fd, head))
            return;
        for (size_t i = 0; i < r.chunks.size(); ++i) {
            if (i > 0 && r.delayBetweenChunks.count() > 0 && !sleepFor(r.delayBetweenChunks))
                return;
            const std::string& c = r.chunks[i];
            if (i + 1 == r.chunks.size() && !r.chunked)
                finishing();
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", c.size());
            if (!sendAll(fd, r.chunked ? size + c + "\r\n" : c))
                return;
        }
        finishing();
        if (r.chunked && !r.cutAfterChunks)
            sendAll(fd, "0\r\n\r\n");
        ::shutdown(fd, SHUT_WR);
    }

    int m_listen = -1;
    int m_port = 0;
    std::thread m_acceptThread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::vector<std::thread> m_connectionThreads;
    std::deque<ScriptedResponse> m_script;
    ScriptedResponse m_fallback = ScriptedResponse::json(500, R"({"error":{"message":"no scripted response"}})");
    Responder m_responder;
    std::vector<RecordedRequest> m_requests;
    std::atomic<int> m_active {0};
    std::atomic<int> m_maxActive {0};
};

} // namespace tstest

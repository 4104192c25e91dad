// HTTP POST of a JSON body (and GET, for model lists) over libcurl, for the chat providers. One easy handle per
// request, so any number of threads may post at once. The transfer is driven by a multi handle polled every few tens of
// milliseconds, so a CancelToken or the idle timeout aborts it promptly even while the server sends nothing. A 2xx body
// can be streamed to a callback as it arrives; any other body is collected (it carries the provider's error message).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/cancel.h"

namespace ts::llm {

struct HttpTimeouts
{
    std::chrono::milliseconds connect {10000}; // TCP + TLS handshake
    std::chrono::milliseconds idle {60000}; // longest wait without receiving a byte
    std::chrono::milliseconds total {600000}; // whole request; 0 = no limit

    bool operator==(const HttpTimeouts&) const = default;
};

struct HttpRequest
{
    std::string url;
    std::string body; // JSON; sent with Content-Type: application/json (a GET sends none)
    std::vector<std::pair<std::string, std::string>> headers;
    HttpTimeouts timeouts;
};

enum class HttpFailure {
    None, // a response arrived (any status)
    Cancelled, // the cancel token was set
    Timeout, // connect, idle or total timeout
    Connection, // refused, reset, unresolvable host, or cut before the body was complete
    Tls, // certificate or handshake problem
    InvalidUrl,
    StoppedByCallback, // the body callback returned false
    Other,
};

struct HttpResponse
{
    int status = 0; // 0 when no status line arrived
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased, in order received
    std::string body; // the whole body, except 2xx bodies handed to a body callback
    HttpFailure failure = HttpFailure::None;
    std::string failureMessage; // libcurl's description, or which timeout fired
    bool connectionRefused = false; // Connection: nothing listens at the host and port
    uint64_t bytesReceived = 0; // body bytes, streamed or not

    bool ok() const { return failure == HttpFailure::None; }
    std::optional<std::string> header(std::string_view lowerCaseName) const; // the last one of that name
};

// Receives each piece of a 2xx body; return false to stop the transfer.
using HttpBodyCallback = std::function<bool(std::string_view chunk)>;

// Sends `request` as a POST and waits for the whole response (or failure).
HttpResponse httpPost(const HttpRequest& request, const CancelToken& cancel, const HttpBodyCallback& onBody = {});
// Sends a GET to `request.url` with its headers (the body is not sent) and waits for the whole response.
HttpResponse httpGet(const HttpRequest& request, const CancelToken& cancel);

} // namespace ts::llm

#include "llm/http_client.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "llm/http_text.h"

namespace ts::llm {

namespace {

using Clock = std::chrono::steady_clock;

void ensureCurlInitialized()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Hosts never reached through a proxy, on top of the user's no_proxy list.
std::string noProxyList()
{
    std::string list = "localhost,127.0.0.1,::1";
    for (const char* name : {"no_proxy", "NO_PROXY"}) {
        if (const char* v = std::getenv(name); v && *v) {
            list += ",";
            list += v;
            break;
        }
    }
    return list;
}

struct Transfer
{
    CURL* easy = nullptr;
    HttpResponse response;
    const HttpBodyCallback* onBody = nullptr;
    const CancelToken* cancel = nullptr;
    std::chrono::milliseconds idle {0};
    Clock::time_point lastActivity = Clock::now();
    HttpFailure abortReason = HttpFailure::None;
    bool stoppedByCallback = false;

    bool shouldAbort()
    {
        if (cancel->stopRequested())
            abortReason = HttpFailure::Cancelled;
        else if (idle.count() > 0 && Clock::now() - lastActivity > idle)
            abortReason = HttpFailure::Timeout;
        return abortReason != HttpFailure::None;
    }
};

size_t onHeaderLine(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    t->lastActivity = Clock::now();
    std::string_view line = trimAsciiSpace(std::string_view(data, n));
    if (line.starts_with("HTTP/")) {
        t->response.headers.clear(); // a new response (after 100 Continue or a redirect)
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
        t->response.headers.emplace_back(asciiLower(trimAsciiSpace(line.substr(0, colon))),
                                         std::string(trimAsciiSpace(line.substr(colon + 1))));
    }
    return n;
}

size_t onBodyBytes(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    t->lastActivity = Clock::now();
    t->response.bytesReceived += n;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && t->onBody && *t->onBody) {
        if (!(*t->onBody)(std::string_view(data, n))) {
            t->stoppedByCallback = true;
            return 0; // makes libcurl stop with CURLE_WRITE_ERROR
        }
        return n;
    }
    t->response.body.append(data, n);
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<Transfer*>(user)->shouldAbort() ? 1 : 0;
}

HttpFailure classify(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return HttpFailure::None;
    case CURLE_OPERATION_TIMEDOUT:
        return HttpFailure::Timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
        return HttpFailure::Connection;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return HttpFailure::InvalidUrl;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        return HttpFailure::Tls;
    default:
        return HttpFailure::Other;
    }
}

struct EasyDeleter
{
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter
{
    void operator()(CURLM* h) const { curl_multi_cleanup(h); }
};
struct ListDeleter
{
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

std::optional<std::string> HttpResponse::header(std::string_view lowerCaseName) const
{
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
        if (it->first == lowerCaseName)
            return it->second;
    }
    return std::nullopt;
}

namespace {

HttpResponse perform(const HttpRequest& request, bool post, const CancelToken& cancel, const HttpBodyCallback& onBody)
{
    ensureCurlInitialized();
    Transfer t;
    t.onBody = &onBody;
    t.cancel = &cancel;
    t.idle = request.timeouts.idle;

    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!easy || !multi) {
        t.response.failure = HttpFailure::Other;
        t.response.failureMessage = "could not create a libcurl handle";
        return std::move(t.response);
    }
    t.easy = easy.get();

    curl_slist* rawList = nullptr;
    if (post) {
        rawList = curl_slist_append(rawList, "Content-Type: application/json");
        rawList = curl_slist_append(rawList, "Expect:"); // no 100-continue round trip
    }
    for (const auto& [name, value] : request.headers)
        rawList = curl_slist_append(rawList, (name + ": " + value).c_str());
    std::unique_ptr<curl_slist, ListDeleter> headerList(rawList);
    const std::string noProxy = noProxyList();
    char errorBuffer[CURL_ERROR_SIZE] = {};

    CURL* h = easy.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    if (post) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, noProxy.c_str());
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(request.timeouts.connect.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(request.timeouts.total.count()));
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeaderLine);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBodyBytes);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "tunesmith");

    curl_multi_add_handle(multi.get(), h);
    CURLcode result = CURLE_OK;
    bool finished = false;
    while (!finished) {
        int running = 0;
        if (CURLMcode mc = curl_multi_perform(multi.get(), &running); mc != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            std::snprintf(errorBuffer, sizeof errorBuffer, "%s", curl_multi_strerror(mc));
            break;
        }
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
            if (msg->msg == CURLMSG_DONE) {
                result = msg->data.result;
                finished = true;
            }
        }
        if (finished)
            break;
        if (t.shouldAbort())
            break; // removing the handle below tears the connection down
        curl_multi_poll(multi.get(), nullptr, 0, 25, nullptr);
    }
    curl_multi_remove_handle(multi.get(), h);

    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = int(status);
    if (t.abortReason == HttpFailure::Cancelled) {
        t.response.failure = HttpFailure::Cancelled;
        t.response.failureMessage = "cancelled";
    } else if (t.abortReason == HttpFailure::Timeout) {
        t.response.failure = HttpFailure::Timeout;
        t.response.failureMessage
            = "no data received for " + std::to_string(request.timeouts.idle.count()) + " ms (idle timeout)";
    } else if (t.stoppedByCallback) {
        t.response.failure = HttpFailure::StoppedByCallback;
        t.response.failureMessage = "stopped by the body callback";
    } else if (result != CURLE_OK) {
        t.response.failure = classify(result);
        t.response.failureMessage = errorBuffer[0] ? errorBuffer : curl_easy_strerror(result);
        long osError = 0;
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &osError);
        // libcurl 7.x says only "Couldn't connect to server": say that nothing listens there.
        t.response.connectionRefused = result == CURLE_COULDNT_CONNECT && osError == ECONNREFUSED;
        if (t.response.connectionRefused && t.response.failureMessage.find("refused") == std::string::npos)
            t.response.failureMessage += " (connection refused)";
    }
    return std::move(t.response);
}

} // namespace

HttpResponse httpPost(const HttpRequest& request, const CancelToken& cancel, const HttpBodyCallback& onBody)
{
    return perform(request, true, cancel, onBody);
}

HttpResponse httpGet(const HttpRequest& request, const CancelToken& cancel)
{
    return perform(request, false, cancel, {});
}

} // namespace ts::llm

// RequestTracker: what the server knows about its requests: how many it answered, and the cancel
// tokens of the generations in flight, so stopping the server (Ctrl+C) cancels them all. A
// generation registers for its lifetime with a RequestTracker::Generation; one that starts after
// stopAll() is cancelled at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>

#include "common/cancel.h"

namespace ts::serve {

class RequestTracker
{
public:
    // A generation in flight: registered on construction, removed on destruction.
    class Generation
    {
    public:
        explicit Generation(RequestTracker& tracker);
        ~Generation();
        Generation(const Generation&) = delete;
        Generation& operator=(const Generation&) = delete;

        const CancelToken& token() const { return m_token; }

    private:
        RequestTracker& m_tracker;
        uint64_t m_id = 0;
        CancelToken m_token;
    };

    // Cancels every generation in flight and every later one.
    void stopAll();

    void countRequest() { ++m_requests; }
    int64_t requests() const { return m_requests.load(); }

private:
    std::mutex m_mutex;
    std::map<uint64_t, CancelToken> m_tokens;
    uint64_t m_next = 0;
    bool m_stopping = false;
    std::atomic<int64_t> m_requests {0};
};

} // namespace ts::serve

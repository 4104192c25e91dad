// RequestTracker: request count and the cancel tokens of generations in flight.
#include "serve/request_tracker.h"

namespace ts::serve {

RequestTracker::Generation::Generation(RequestTracker& tracker)
    : m_tracker(tracker)
{
    std::lock_guard lock(tracker.m_mutex);
    m_id = ++tracker.m_next;
    tracker.m_tokens.emplace(m_id, m_token);
    if (tracker.m_stopping)
        m_token.requestStop();
}

RequestTracker::Generation::~Generation()
{
    std::lock_guard lock(m_tracker.m_mutex);
    m_tracker.m_tokens.erase(m_id);
}

void RequestTracker::stopAll()
{
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    for (auto& [id, token] : m_tokens)
        token.requestStop();
}

} // namespace ts::serve

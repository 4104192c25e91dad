#include "llm/concurrency_limit.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace ts::llm {

ConcurrencyLimit::ConcurrencyLimit(int maxInFlight)
    : m_max(std::max(1, maxInFlight))
{ }

ConcurrencyLimit::Slot ConcurrencyLimit::acquire(const CancelToken& cancel)
{
    std::unique_lock lock(m_mutex);
    while (m_inFlight >= m_max) {
        if (cancel.stopRequested())
            return Slot {};
        // The token has no notification, so wake regularly to look at it.
        m_freed.wait_for(lock, std::chrono::milliseconds(10));
    }
    if (cancel.stopRequested())
        return Slot {};
    ++m_inFlight;
    return Slot {this};
}

int ConcurrencyLimit::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

void ConcurrencyLimit::releaseOne()
{
    {
        std::lock_guard lock(m_mutex);
        --m_inFlight;
    }
    m_freed.notify_one();
}

ConcurrencyLimit::Slot::Slot(Slot&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr))
{ }

ConcurrencyLimit::Slot& ConcurrencyLimit::Slot::operator=(Slot&& other) noexcept
{
    if (this != &other) {
        release();
        m_owner = std::exchange(other.m_owner, nullptr);
    }
    return *this;
}

void ConcurrencyLimit::Slot::release()
{
    if (m_owner)
        std::exchange(m_owner, nullptr)->releaseOne();
}

} // namespace ts::llm

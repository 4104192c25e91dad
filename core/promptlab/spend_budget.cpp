#include "promptlab/spend_budget.h"

#include <algorithm>

namespace ts::promptlab {

bool SpendBudget::tryReserve(double worstCaseUsd)
{
    std::lock_guard<std::mutex> g(m_mutex);
    if (m_capReached)
        return false;
    if (m_cap && (m_spent.total() >= *m_cap || m_spent.total() + m_reserved + worstCaseUsd > *m_cap)) {
        m_capReached = true;
        m_refused = worstCaseUsd;
        return false;
    }
    m_reserved += worstCaseUsd;
    return true;
}

void SpendBudget::adjust(double oldWorstCaseUsd, double newWorstCaseUsd)
{
    std::lock_guard<std::mutex> g(m_mutex);
    m_reserved = std::max(0.0, m_reserved - oldWorstCaseUsd + newWorstCaseUsd);
}

void SpendBudget::settle(double reservedUsd, SpendRole role, double measuredUsd)
{
    std::lock_guard<std::mutex> g(m_mutex);
    m_reserved = std::max(0.0, m_reserved - reservedUsd);
    m_spent[role] += measuredUsd;
}

void SpendBudget::release(double reservedUsd)
{
    std::lock_guard<std::mutex> g(m_mutex);
    m_reserved = std::max(0.0, m_reserved - reservedUsd);
}

bool SpendBudget::capReached() const
{
    std::lock_guard<std::mutex> g(m_mutex);
    return m_capReached;
}

SpendByRole SpendBudget::spent() const
{
    std::lock_guard<std::mutex> g(m_mutex);
    return m_spent;
}

double SpendBudget::reserved() const
{
    std::lock_guard<std::mutex> g(m_mutex);
    return m_reserved;
}

double SpendBudget::refusedUsd() const
{
    std::lock_guard<std::mutex> g(m_mutex);
    return m_refused;
}

} // namespace ts::promptlab

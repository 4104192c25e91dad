// SpendBudget: the spend cap of one A/B test session, shared by its worker threads. Before a call
// starts, its worst-case cost (llm::worstCaseUsage at the endpoint's price) is reserved, and the call
// does not start when spent + reserved + that would pass the cap; when it ends, the reservation is
// replaced by the measured cost. The first refused reservation marks the cap reached: no later call
// starts, while the calls already in flight finish (they are paid for, so their results are kept).
// Without a cap every reservation succeeds and only the spend is counted.
#pragma once

#include <mutex>
#include <optional>

#include "promptlab/spend_by_role.h"

namespace ts::promptlab {

class SpendBudget
{
public:
    explicit SpendBudget(std::optional<double> capUsd)
        : m_cap(capUsd)
    { }

    // Reserves `worstCaseUsd` for a call about to start; false (and the cap is reached from now on)
    // when that would pass the cap.
    bool tryReserve(double worstCaseUsd);
    // A started call's reservation changes to a better estimate (e.g. once the judged answer is known);
    // it may pass the cap: the call is part of work already started.
    void adjust(double oldWorstCaseUsd, double newWorstCaseUsd);
    // The call ended: its reservation becomes its measured cost.
    void settle(double reservedUsd, SpendRole role, double measuredUsd);
    // The call did not happen (cancelled, or a step before it failed): the reservation is dropped.
    void release(double reservedUsd);

    bool capReached() const;
    SpendByRole spent() const;
    double reserved() const;
    // The worst case of the call refused at the cap (0 before that).
    double refusedUsd() const;

private:
    mutable std::mutex m_mutex;
    std::optional<double> m_cap;
    SpendByRole m_spent;
    double m_reserved = 0;
    bool m_capReached = false;
    double m_refused = 0;
};

} // namespace ts::promptlab

// contestantCosts: the summary's measured cost, or hours of the machine at the median latency.
#include "evaluation/contestant_cost.h"

#include <cstdio>

#include "evaluation/contestants.h"

namespace ts::evaluation {

Expected<std::vector<ContestantCost>> contestantCosts(Database& db, const promptlab::AbTestConfig& config,
                                                      const promptlab::AbSummary& summary,
                                                      std::optional<double> gpuHourUsd)
{
    auto contestants = contestantsOf(db, config);
    if (!contestants)
        return contestants.error();
    std::vector<ContestantCost> out;
    for (const promptlab::VariantSummary& v : summary.variants) {
        ContestantCost cost;
        cost.label = v.variant;
        const ContestantInfo* who = nullptr;
        for (const ContestantInfo& c : *contestants)
            if (c.label == v.variant)
                who = &c;
        const bool local = who && who->endpoint && who->endpoint->provider.kind == llm::ProviderKind::Local;
        if (v.costPer1000) {
            cost.per1000Usd = v.costPer1000;
            cost.basis = "measured at the endpoint's price";
        } else if (local && gpuHourUsd && v.latency && v.latency->n > 0) {
            // One call at a time: 1,000 calls take 1,000 median latencies of the machine.
            cost.per1000Usd = *gpuHourUsd * (v.latency->p50 / 1000.0) * 1000.0 / 3600.0;
            char text[120];
            std::snprintf(text, sizeof text, "$%.2f per GPU-hour at %.0f ms a call (median), one call at a time",
                          *gpuHourUsd, v.latency->p50);
            cost.basis = text;
        } else if (local) {
            cost.per1000Usd = 0.0;
            cost.basis = "free on this machine (set a price per GPU-hour to count it)";
        } else {
            cost.basis = "price unknown (the endpoint has no price)";
        }
        out.push_back(std::move(cost));
    }
    return out;
}

} // namespace ts::evaluation

// What a contestant costs per 1,000 calls, and on what basis: a priced endpoint from its measured cost per call; a
// local model from the user's own price of an hour of the machine (project setting "evaluation.gpu_hour_usd") at
// the contestant's median latency, one call at a time; else "free on this machine" (local, no hourly price) or
// "price unknown" (a remote endpoint without a price).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "promptlab/ab_summary.h"
#include "promptlab/ab_test_config.h"
#include "store/database.h"

namespace ts::evaluation {

inline constexpr const char* kGpuHourUsdKey = "evaluation.gpu_hour_usd";

struct ContestantCost
{
    std::string label;
    std::optional<double> per1000Usd;
    std::string basis; // "measured at the endpoint's price", "$2.50 per GPU-hour at 410 ms a call", …
};

// One per variant of `summary`, in its order. `gpuHourUsd`: the user's price of an hour of the local machine.
Expected<std::vector<ContestantCost>> contestantCosts(Database& db, const promptlab::AbTestConfig& config,
                                                      const promptlab::AbSummary& summary,
                                                      std::optional<double> gpuHourUsd);

} // namespace ts::evaluation

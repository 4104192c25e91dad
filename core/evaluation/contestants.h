// The contestants of an evaluation (or the variants of an A/B test) as stored: each one's label, the endpoint that
// answers for it and its prompt's few-shot examples — what the warnings and the cost figures look at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "llm/endpoint_repository.h"
#include "promptlab/ab_test_config.h"
#include "store/database.h"

namespace ts::evaluation {

struct ContestantInfo
{
    std::string label; // as its cells are labelled
    std::string endpointName;
    std::optional<Endpoint> endpoint; // nullopt: the endpoint was deleted
    std::vector<int64_t> fewShotIds;
};

// One per resolved variant (config.variantVersionIds), in order; a deleted prompt version is skipped.
Expected<std::vector<ContestantInfo>> contestantsOf(Database& db, const promptlab::AbTestConfig& config);

} // namespace ts::evaluation

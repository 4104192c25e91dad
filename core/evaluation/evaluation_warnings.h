// What an evaluation warns about before its scores are believed: scored rows a contestant has already seen
// (evaluation/test_split_leakage.h), and a judge that is itself one of the contestants (same endpoint, or the same
// model at the same host), which tends to prefer its own answers.
#pragma once

#include <string>
#include <vector>

#include "common/expected.h"
#include "promptlab/ab_test_config.h"
#include "store/database.h"

namespace ts::evaluation {

// The warnings for an evaluation run with `config` (its variant version ids resolved), in plain sentences; empty
// when there is nothing to say.
Expected<std::vector<std::string>> evaluationWarnings(Database& db, const promptlab::AbTestConfig& config);

} // namespace ts::evaluation

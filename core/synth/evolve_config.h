// EvolveConfig: everything an Evol-Instruct run needs, stored as the run's config (JSON) so a resumed run does
// exactly what the first session planned. The plan: `rounds` rounds of `perRound()` candidates each; candidate j of
// round 1 evolves seed j mod |seeds|, candidate j of round r evolves what candidate j of round r − 1 left (its row
// when that passed elimination, else that row's parent: a failed evolution puts its parent back into the pool).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "synth/evol_operation.h"
#include "synth/evol_templates.h"
#include "synth/synthetic_dedupe.h"

namespace ts::synth {

struct EvolveConfig
{
    // Seeds: the golden rows of `seedSplit` (carrying every tag of `seedTags`, when given); resolved to ids when the
    // run is created.
    std::string seedSplit = "train";
    std::vector<std::string> seedTags;
    std::vector<int64_t> seedIds;

    std::string teacherEndpoint; // rewrites and answers
    std::string judgeEndpoint; // quality judge and the information-gain check; "" = the teacher
    std::string answerPrompt; // a prompt variant ("name" or "name@v3") the teacher answers with; "" = none
    std::optional<int64_t> answerPromptVersionId; // resolved when the run is created

    EvolWeights weights = defaultEvolWeights();
    int rounds = 2;
    int64_t targetCount = 100; // kept rows wanted
    double keepRate = 0.75; // expected share kept: target / keepRate candidates are planned
    int concurrency = 4;
    uint64_t seed = 1; // operation draws
    std::optional<double> spendCapUsd; // over the whole run, every call counted
    int maxTokens = 1024; // per teacher reply

    bool checkInformationGain = false; // the teacher's "Equal / Not Equal" check (one more call per row)
    bool qualityFilter = true; // the judge's 1–10 rating
    double qualityThreshold = 7;
    std::string judgeCriteria; // what the judge should weigh, in a sentence or two
    int minOutputChars = 0; // length filter on answers (0 = none)
    int maxOutputChars = 0;
    bool sameScriptAsSeed
        = true; // language filter: the answer is written in the seed's script (synth/writing_script.h)
    double dedupeThreshold = 0.8; // Jaccard of character-shingle sets; 1 = exact duplicates only

    EvolTemplates templates = defaultEvolTemplates(); // copied from the project when the run is created

    int64_t candidates() const; // target / keepRate, rounded up
    int64_t perRound() const; // candidates / rounds, rounded up
};

Status validateEvolveConfig(const EvolveConfig& config);
nlohmann::json evolveConfigToJson(const EvolveConfig& config);
Expected<EvolveConfig> evolveConfigFromJson(const nlohmann::json& json);

} // namespace ts::synth

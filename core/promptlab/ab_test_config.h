// AbTestConfig: what an A/B test runs — prompt variants × the examples of a split × repeats —
// and how (concurrency, spend cap, scorers, an optional judge). Stored as the run's config JSON,
// so a resumed run does exactly what the first start did.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "eval/scorer.h"
#include "store/example.h"

namespace ts::promptlab {

inline constexpr int kMaxTokensUnderSpendCap = 4096;

// Who answers with a variant in an evaluation: the same A/B machinery with other contestants — one prompt version
// on several endpoints, or on a local endpoint with a trained LoRA adapter (base vs fine-tuned vs remote).
struct Contestant
{
    std::string label; // what its cells are called; "" = the prompt version's label ("A v2")
    std::string endpoint; // "" = the prompt variant's own endpoint
    // Local endpoints: this PEFT adapter is merged into the model instead of the endpoint's own — a folder, or
    // "run:ID" for a training run's final adapter (promptlab/adapter_reference.h); "" = the base model; nullopt = as
    // the endpoint is.
    std::optional<std::string> adapter;
};

struct AbTestConfig
{
    // Prompt references: "name" (its newest version when the run starts) or "name@3". Resolved to
    // version ids at start (variantVersionIds), which a resume uses.
    std::vector<std::string> variants;
    std::vector<int64_t> variantVersionIds;
    Split split = Split::Eval;
    int repeats = 1; // each cell's seed is seed + repeat
    uint64_t seed = 0;
    int concurrency = 4; // cells in flight (each endpoint also caps its own requests)
    // Each session of the run (a start, or a resume) spends at most this: every call (variant, judge,
    // pairwise) counts, a call starts only when its worst-case cost still fits (promptlab/spend_budget.h),
    // and calls in flight at the cap finish and are kept. With a cap, a variant without max tokens is sent
    // kMaxTokensUnderSpendCap so that its calls have a worst case.
    std::optional<double> spendCapUsd;
    std::optional<int64_t> limit; // only the first N examples of the split (by id)
    std::vector<eval::ScorerSpec> scorers; // empty: eval::defaultScorers()
    // LLM-as-a-Judge: an endpoint that grades every output 1-10 (score "judge"); empty: none.
    std::string judgeEndpoint;
    std::string judgeCriteria;
    int judgeMaxTokens = 1024; // the judge's reply (an explanation, then the verdict) is cut here
    // With a judge: also compare every later variant with the first on each (example, repeat), in
    // both orders (position swap); inconsistent verdicts count as ties. Stored on the later
    // variant's cell as score "pairwise vs <first>": 1 win, 0.5 tie, 0 loss.
    bool pairwiseJudge = false;
    // Per variant, in the same order, when not empty: its contestant (labels must differ). An A/B test leaves it
    // empty: each variant runs on its own endpoint under its own label.
    std::vector<Contestant> contestants;
};

// The label of variant i's cells: its contestant's label, else the prompt version's.
std::string contestantLabel(const AbTestConfig& config, size_t i, const std::string& versionLabel);

// The score name of the pairwise verdicts against `baseline` (e.g. "pairwise vs A v1").
std::string pairwiseScoreName(const std::string& baseline);

nlohmann::json abTestConfigToJson(const AbTestConfig& config);
// Errors name the field ("repeats: must be between 1 and 100").
Expected<AbTestConfig> abTestConfigFromJson(const nlohmann::json& json);
Status validateAbTestConfig(const AbTestConfig& config);

} // namespace ts::promptlab

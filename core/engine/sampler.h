// Next-token sampling over one row of logits (torch-free). Order as in transformers' generate:
// repetition penalty → temperature → top-k → top-p → draw. temperature <= 0 means greedy (argmax
// after the repetition penalty; ties go to the lowest id, as torch.argmax).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "model/model_config.h"

namespace ts {

struct SamplingParams
{
    float temperature = 0.0f; // <= 0: greedy
    int topK = 0; // 0: off
    float topP = 1.0f; // 1: off
    float repetitionPenalty = 1.0f; // 1: off; > 1 discourages ids already in the history
    uint64_t seed = 0; // each sequence draws from its own generator seeded with this
};

// The sampling a model's generation_config.json asks for, with transformers' defaults for what it
// leaves out: do_sample false (or absent) → greedy (the repetition penalty still applies);
// do_sample true → temperature (1.0), top_k (50), top_p (1.0).
SamplingParams samplingFromGenerationConfig(const GenerationDefaults& defaults);

class Sampler
{
public:
    explicit Sampler(const SamplingParams& params = {});

    bool greedy() const { return m_params.temperature <= 0.0f || m_params.topK == 1; }
    const SamplingParams& params() const { return m_params; }

    // logits: (V) for one sequence; history: ids seen so far (prompt + generated), for the penalty.
    int32_t sample(std::span<const float> logits, std::span<const int32_t> history);

    // The probabilities the draw would use (after all filters), for tests: (V), zeros outside.
    std::vector<float> distribution(std::span<const float> logits, std::span<const int32_t> history);

private:
    // Fills m_ids/m_probs with the surviving candidates (sorted by logit, descending) and
    // their normalised probabilities.
    void candidates(std::span<const float> logits, std::span<const int32_t> history);
    void applyPenalty(std::span<const float> logits, std::span<const int32_t> history);
    double uniform(); // [0, 1)

    SamplingParams m_params;
    std::mt19937_64 m_rng;
    std::vector<float> m_work; // penalised logits (V)
    std::vector<int32_t> m_ids;
    std::vector<double> m_probs;
};

} // namespace ts

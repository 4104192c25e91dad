// How long a training run will take, before it starts (torch-free): optimizer steps × seconds per step, where a step's
// seconds are its tokens ÷ a throughput. The throughput is one measured by an earlier run of the same base model
// when there is one (its logged tokens per second), else a compute model: training FLOPs per token (forward and
// backward through the weights, plus attention over the context) ÷ an assumed sustained rate for the device.
#pragma once

#include <cstdint>
#include <optional>

#include "model/model_config.h"
#include "train/train_config.h"

namespace ts {

// A conservative sustained rate of libtorch training on a laptop-class CPU (2–4 cores, small matrices); measured on
// the demo model with 2 threads: about 2,000 tokens/s at 1,024 tokens of context.
inline constexpr double kAssumedCpuFlopsPerSecond = 20e9;
// Same, for a CUDA GPU (well below peak: small models do not fill it).
inline constexpr double kAssumedGpuFlopsPerSecond = 2e12;

struct RunTimeEstimate
{
    int64_t steps = 0;
    double tokensPerStep = 0;
    double tokensPerSecond = 0;
    bool measured = false; // tokensPerSecond comes from an earlier run
    double secondsPerStep() const { return tokensPerSecond > 0 ? tokensPerStep / tokensPerSecond : 0.0; }
    double totalSeconds() const { return secondsPerStep() * static_cast<double>(steps); }
};

// Tokens one optimizer step processes: micro-batch × accumulation sequences of the mean example length kept (the
// whole max length when packing).
double tokensPerStep(const TrainConfig& config, double meanTokensPerExample);
// Training FLOPs per token: 2 per weight forward, 2 backward for the input gradients, 2 more for weight gradients
// (full-parameter only) and 2 more when gradient checkpointing runs the forward again; attention adds
// 12 × layers × context × hidden.
double trainFlopsPerToken(const ModelConfig& model, const TrainConfig& config, double contextTokens);

RunTimeEstimate estimateRunTime(const ModelConfig& model, const TrainConfig& config, double meanTokensPerExample,
                                bool onGpu, std::optional<double> measuredTokensPerSecond);

} // namespace ts

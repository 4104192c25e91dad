// Run time estimate before training (see run_time_estimate.h).
#include "train/run_time_estimate.h"

#include <algorithm>

namespace ts {

double tokensPerStep(const TrainConfig& config, double meanTokensPerExample)
{
    const double perSequence
        = config.packing ? double(config.maxSeqLen) : std::min(meanTokensPerExample, double(config.maxSeqLen));
    return double(config.microBatch) * double(config.gradAccum) * std::max(1.0, perSequence);
}

double trainFlopsPerToken(const ModelConfig& model, const TrainConfig& config, double contextTokens)
{
    const double weights = double(parameterCount(model));
    double perWeight = 4.0; // forward + input gradients
    if (config.fullParameter)
        perWeight += 2.0; // weight gradients
    if (config.gradientCheckpointing)
        perWeight += 2.0; // the forward again
    const double attention = 12.0 * double(model.numLayers) * std::max(1.0, contextTokens) * double(model.hiddenSize);
    return perWeight * weights + attention;
}

RunTimeEstimate estimateRunTime(const ModelConfig& model, const TrainConfig& config, double meanTokensPerExample,
                                bool onGpu, std::optional<double> measuredTokensPerSecond)
{
    RunTimeEstimate e;
    e.steps = config.maxSteps;
    e.tokensPerStep = tokensPerStep(config, meanTokensPerExample);
    if (measuredTokensPerSecond && *measuredTokensPerSecond > 0) {
        e.tokensPerSecond = *measuredTokensPerSecond;
        e.measured = true;
        return e;
    }
    const double context = e.tokensPerStep / double(config.microBatch * config.gradAccum);
    const double flops = trainFlopsPerToken(model, config, context);
    e.tokensPerSecond = (onGpu ? kAssumedGpuFlopsPerSecond : kAssumedCpuFlopsPerSecond) / flops;
    return e;
}

} // namespace ts

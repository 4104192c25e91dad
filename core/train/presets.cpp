#include "train/presets.h"

namespace ts {

std::vector<std::string> trainPresetNames()
{
    return {"qlora-paper", "small-fast", "tiny-cpu"};
}

std::optional<TrainConfig> trainPreset(std::string_view name)
{
    TrainConfig c;
    if (name == "qlora-paper") {
        c.quantizeBase = true;
        c.lora.r = 64;
        c.lora.alpha = 16;
        c.lora.dropout = 0.1;
        c.learningRate = 2e-4;
        c.schedule = LrSchedule::Constant;
        c.warmupRatio = 0.03;
        c.adamBeta2 = 0.999;
        c.weightDecay = 0.0;
        c.maxGradNorm = 0.3;
        c.microBatch = 1;
        c.gradAccum = 16;
        c.maxSteps = 1875;
        c.gradientCheckpointing = true;
        c.maxSeqLen = 512;
        return c;
    }
    if (name == "small-fast") {
        c.quantizeBase = true;
        c.lora.r = 8;
        c.lora.alpha = 16;
        c.lora.dropout = 0.0;
        c.learningRate = 1e-3;
        c.schedule = LrSchedule::Cosine;
        c.warmupRatio = 0.05;
        c.maxGradNorm = 1.0;
        c.microBatch = 4;
        c.gradAccum = 1;
        c.maxSteps = 200;
        c.gradientCheckpointing = false;
        c.maxSeqLen = 256;
        c.evalEvery = 20;
        c.checkpointEvery = 50;
        return c;
    }
    if (name == "tiny-cpu") {
        // small-fast with a base kept in f32 (NF4 saves nothing worth its dequantization at this size), a larger
        // adapter and learning rate, and a length that covers whole demo examples, so every answer is learned.
        c = *trainPreset("small-fast");
        c.quantizeBase = false;
        c.lora.r = 16;
        c.lora.alpha = 32;
        c.learningRate = 2e-3;
        c.maxSteps = 120;
        c.maxSeqLen = 1024;
        c.checkpointEvery = 40;
        return c;
    }
    return std::nullopt;
}

bool isSmallModel(int64_t parameterCount)
{
    return parameterCount > 0 && parameterCount <= kSmallModelParameters;
}

} // namespace ts

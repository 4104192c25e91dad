// Learning rate per optimizer step, as transformers' schedulers compute it (step counted from 0):
//   warmup (step < W):  lr · step / W             (W = ceil(warmupRatio · total))
//   constant:           lr
//   linear:             lr · (total − step) / (total − W)
//   cosine:             lr · ½ (1 + cos(π · (step − W) / (total − W)))
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "train/train_config.h"

namespace ts {

inline int64_t warmupSteps(const TrainConfig& c)
{
    return static_cast<int64_t>(std::ceil(c.warmupRatio * static_cast<double>(c.maxSteps)));
}

inline double learningRateAt(const TrainConfig& c, int64_t step)
{
    const int64_t total = c.maxSteps, warmup = warmupSteps(c);
    if (step < warmup)
        return c.learningRate * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmup));
    const double progress
        = static_cast<double>(step - warmup) / static_cast<double>(std::max<int64_t>(1, total - warmup));
    switch (c.schedule) {
    case LrSchedule::Constant:
        return c.learningRate;
    case LrSchedule::Linear:
        return c.learningRate * std::max(0.0, 1.0 - progress);
    case LrSchedule::Cosine:
        return c.learningRate * 0.5 * (1.0 + std::cos(std::numbers::pi * std::min(1.0, progress)));
    }
    return c.learningRate;
}

} // namespace ts

// Trainer settings (torch-free), stored as the run's config JSON in the project file.
#pragma once

#include <cstdint>
#include <string>

#include "peft/lora_config.h"

namespace ts {

enum class LrSchedule { Constant, Linear, Cosine };
enum class OverLongPolicy { Truncate, Drop }; // examples longer than maxSeqLen

struct TrainConfig
{
    // What is trained
    bool quantizeBase = true; // NF4 base weights (QLoRA); false: frozen base in the compute dtype
    bool fullParameter = false; // train every weight (no LoRA), for small models only
    LoraConfig lora;

    // Data
    int maxSeqLen = 512;
    OverLongPolicy overLong = OverLongPolicy::Truncate;
    bool packing = false;

    // Optimisation
    int microBatch = 1;
    int gradAccum = 4;
    int64_t maxSteps = 100; // optimizer steps
    double learningRate = 2e-4;
    LrSchedule schedule = LrSchedule::Cosine;
    double warmupRatio = 0.03;
    double weightDecay = 0.0;
    double adamBeta1 = 0.9;
    double adamBeta2 = 0.999;
    double adamEps = 1e-8;
    double maxGradNorm = 0.3;
    bool gradientCheckpointing = true;

    // Bookkeeping
    int64_t logEvery = 1;
    int64_t evalEvery = 25; // 0: never
    int64_t checkpointEvery = 25; // 0: only at the end and on cancel
    uint64_t seed = 42;
    int threads = 0; // <= 0: one per core

    // Where and in what precision
    std::string device = "auto"; // "auto" (the first CUDA GPU when there is one), "cpu", "cuda", "cuda:N"
    std::string computeDtype = "auto"; // "auto" (bf16 on CUDA, f32 on CPU), "f32", "bf16"
};

} // namespace ts

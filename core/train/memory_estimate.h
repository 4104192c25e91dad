// Training memory estimate, before anything is loaded: how many bytes QLoRA / LoRA / full-parameter
// training of a model shape needs on a device, as named parts (base weights, trainable parameters,
// gradients, AdamW state, dequantization buffer, saved activations, backward working set, logits and loss,
// framework overhead), whether that fits the memory available, and if not the first change that makes it
// fit (gradient checkpointing, then a smaller micro-batch with more accumulation, then a shorter
// maxSeqLen, then a lower r). Torch-free; the formulas are stated in memory_estimate.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "model/model_config.h"
#include "train/train_config.h"

namespace ts {

enum class DeviceKind { Cpu, Cuda };

struct MemoryEstimateOptions
{
    DeviceKind device = DeviceKind::Cuda;
    ComputeDtype dtype = ComputeDtype::BF16; // activations, dequantized weights, 16-bit base tensors
    bool doubleQuant = true; // NF4 absmax quantized again (QLoRA's default)
    int64_t quantBlockSize = 64;
    // Eager attention keeps the B·H·T² probabilities for backward (the engine's attention does);
    // false: a fused (flash) kernel that keeps only a log-sum-exp per head and token.
    bool materializedAttention = true;
    std::optional<uint64_t> availableBytes; // device memory free for training; unknown: fits = true
    // CUDA context, cuBLAS workspace and caching-allocator slack (CUDA), or the runtime (CPU). Default:
    // kCudaFrameworkOverhead / kCpuFrameworkOverhead.
    std::optional<uint64_t> frameworkOverheadBytes;
};

inline constexpr uint64_t kCudaFrameworkOverhead = 1ull << 30; // 1 GiB
inline constexpr uint64_t kCpuFrameworkOverhead = 512ull << 20; // 512 MiB

// Part names.
namespace memory_part {
inline constexpr std::string_view kBaseLinears = "base linear weights"; // NF4 (QLoRA) or compute dtype
inline constexpr std::string_view kBaseOther = "embeddings, lm_head, norms, biases";
inline constexpr std::string_view kTrainable = "trainable parameters"; // LoRA A/B fp32, or every weight (full)
inline constexpr std::string_view kGradients = "gradients"; // fp32, one per trainable parameter
inline constexpr std::string_view kOptimizer = "optimizer state"; // AdamW m and v, fp32
inline constexpr std::string_view kDequantBuffer = "dequantization buffer";
inline constexpr std::string_view kActivations = "activations";
inline constexpr std::string_view kActivationGrads = "backward working set";
inline constexpr std::string_view kLogits = "logits and loss";
inline constexpr std::string_view kOverhead = "framework overhead";
} // namespace memory_part

struct MemoryPart
{
    std::string name;
    uint64_t bytes = 0;
    std::string detail; // how it was counted, e.g. "6.98 B params × 0.516 B (NF4 + double-quantized absmax)"
};

struct MemoryEstimate
{
    std::vector<MemoryPart> parts;
    uint64_t total = 0;
    std::optional<uint64_t> available;
    bool fits = true; // total <= available (true when available is unknown)
    // When it does not fit: the first change (in the order above) that fits, as text and as a config;
    // no config when nothing fits (the text then says what is short).
    std::string suggestion;
    std::optional<TrainConfig> suggestedConfig;

    int64_t baseParameters = 0; // every weight of the model
    int64_t quantizedParameters = 0; // in the decoder's linear layers (NF4 when quantizeBase)
    int64_t trainableParameters = 0;

    uint64_t bytes(std::string_view part) const; // 0 for a part that is not listed
};

// config.fullParameter: every weight trainable in fp32 with fp32 AdamW (small models); otherwise LoRA on
// config.lora.targetModules over an NF4 (quantizeBase) or compute-dtype base.
MemoryEstimate estimateTrainingMemory(const ModelConfig& model, const TrainConfig& config,
                                      const MemoryEstimateOptions& options = {});

std::string formatBytes(uint64_t bytes); // "13.6 GiB", "512 MiB", "900 B"

} // namespace ts

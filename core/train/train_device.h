// Where a training run computes: TrainConfig::device ("auto", "cpu", "cuda", "cuda:N") and
// computeDtype ("auto", "f32", "bf16") resolved against what this libtorch and machine have.
// Internal header (torch).
#pragma once

#include <string>

#include "common/expected.h"
#include "engine/torch_compat.h"
#include "train/train_config.h"

namespace ts::train {

struct TrainDevice
{
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat; // activations and the frozen base's dequantized weights
    std::string describe() const; // e.g. "cuda:0 (bf16)", "cpu (f32)"
};

// "auto" takes the first CUDA GPU when libtorch sees one, else the CPU; "cuda" without a visible
// GPU is an error that says why (no CUDA in this libtorch, or no device).
Expected<TrainDevice> resolveTrainDevice(const TrainConfig& config);

// Random-number state of the device's default generator (dropout), for checkpoints. The CPU
// generator is always saved; a CUDA one too when training there.
torch::Tensor deviceRngState(torch::Device device);
void setDeviceRngState(torch::Device device, const torch::Tensor& state);

} // namespace ts::train

// Training presets (torch-free), offered by the Training page and `tunesmith-cli train --preset`.
//   qlora-paper  the QLoRA paper's recipe (Dettmers et al. 2023, artidoro/qlora scripts): NF4 with
//                double quant, LoRA r 64 / alpha 16 on all linear layers, dropout 0.1, lr 2e-4
//                constant with 3% warmup, AdamW β2 0.999, no weight decay, clip 0.3, batch 1 × 16
//                accumulation, gradient checkpointing.
//   small-fast   for tiny models and quick checks on a CPU: r 8 / alpha 16, no dropout, lr 1e-3
//                cosine, batch 4 × 1, 200 steps, no checkpointing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "train/train_config.h"

namespace ts {

std::vector<std::string> trainPresetNames();
std::optional<TrainConfig> trainPreset(std::string_view name);

} // namespace ts

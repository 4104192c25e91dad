// Training presets (torch-free), offered by the Training page and `tunesmith-cli train --preset`.
//   qlora-paper  the QLoRA paper's recipe (Dettmers et al. 2023, artidoro/qlora scripts): NF4 with
//                double quant, LoRA r 64 / alpha 16 on all linear layers, dropout 0.1, lr 2e-4
//                constant with 3% warmup, AdamW β2 0.999, no weight decay, clip 0.3, batch 1 × 16
//                accumulation, gradient checkpointing.
//   small-fast   for tiny models and quick checks on a CPU: r 8 / alpha 16, no dropout, lr 1e-3
//                cosine, batch 4 × 1, 200 steps, no checkpointing. Max length 256 cuts off most chat answers.
//   tiny-cpu     the default for small models (≤ 100 M parameters, the demo's 1.6 M one): a minutes-long run on a
//                CPU that learns: f32 base, LoRA r 16 / alpha 32, lr 2e-3 cosine after 5% warmup, batch 4 × 1,
//                120 steps, max length 1024 (whole demo examples), eval every 20 steps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "train/train_config.h"

namespace ts {

std::vector<std::string> trainPresetNames();
std::optional<TrainConfig> trainPreset(std::string_view name);

// Models up to this size get tiny-cpu as their starting preset; larger ones the QLoRA paper's recipe.
inline constexpr int64_t kSmallModelParameters = 100'000'000;
bool isSmallModel(int64_t parameterCount);

} // namespace ts

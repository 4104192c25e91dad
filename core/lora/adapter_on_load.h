// A PEFT LoRA adapter merged into a model as the engine loads it (`generate --adapter`, `serve --adapter`,
// a local provider on a fine-tuned model): an EngineOptions::editWeights that reads the adapter folder and
// calls mergeAdapter (lora/merge_adapter.h). Torch-free header.
#pragma once

#include <filesystem>
#include <optional>

#include "engine/engine.h"

namespace ts::lora {

// tunesmith.json in an adapter folder: how the trainer trained it (absent for foreign adapters).
inline constexpr const char* kAdapterTrainingInfoFile = "tunesmith.json";

// The edit that merges the adapter in `adapterDir`. `nf4Base`: whether the adapter was trained on an NF4
// base (QLoRA), so the base is NF4 round-tripped before merging; nullopt: what the adapter's tunesmith.json
// says (written by the trainer), else false. Errors name the adapter folder.
WeightEdit mergeAdapterOnLoad(std::filesystem::path adapterDir, std::optional<bool> nf4Base = std::nullopt);

} // namespace ts::lora

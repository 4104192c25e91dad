// checkAdapterFitsModel: whether a PEFT LoRA adapter folder can be merged into a model folder, checked before
// anything loads (an endpoint's adapter is picked in a dialog or on the command line): adapter_config.json is
// there and says LORA with a rank, adapter_model.safetensors holds lora_A / lora_B pairs of decoder
// projections, and their shapes fit the model's config.json (hidden_size, heads, head_dim,
// intermediate_size, num_hidden_layers). Reads the two JSON files and the safetensors header only (the
// weights are memory-mapped, not read), so it is cheap. Torch-free.
#pragma once

#include <filesystem>

#include "common/expected.h"

namespace ts {

// Errors start with "adapter <dir>: " and name the file and the field or tensor that does not fit, e.g.
// "adapter_model.safetensors: base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight has shape
// [8, 32], the model's q_proj takes 64 inputs (hidden_size in config.json)".
Status checkAdapterFitsModel(const std::filesystem::path& adapterDir, const std::filesystem::path& modelDir);

} // namespace ts

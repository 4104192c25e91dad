// Checkpoint tensors → TransformerWeights: safetensors views become torch tensors with
// torch::from_blob on the mapped bytes (no copy when the file dtype is the compute dtype and the
// tensor is used as is), converted to the compute dtype otherwise. q/k/v and gate/up can be fused
// into one matrix each at load time. Internal header (torch).
#pragma once

#include <memory>

#include "common/expected.h"
#include "engine/transformer.h"
#include "model/model_config.h"
#include "model/safetensors.h"

namespace ts::engine {

Expected<TransformerWeights> loadTransformerWeights(const std::shared_ptr<SafetensorsModel>& checkpoint,
                                                    const ModelConfig& config, torch::ScalarType dtype,
                                                    bool fuseProjections);

// A safetensors view as a torch tensor aliasing the mapped bytes (read-only; keep the file alive).
Expected<torch::Tensor> tensorFromView(const TensorView& view);

} // namespace ts::engine

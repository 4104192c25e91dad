// Checkpoint tensors → TransformerWeights: safetensors views become torch tensors with
// torch::from_blob on the mapped bytes (no copy when the file dtype is the compute dtype and the
// tensor is used as is), converted to the compute dtype otherwise. q/k/v and gate/up can be fused
// into one matrix each at load time. Projections stored by bitsandbytes in 4-bit NF4
// (quant/bnb_checkpoint.h; config.json quantization_config with load_in_4bit) load as frozen
// engine::Nf4Linear layers that dequantize on the fly, never fused. Internal header (torch).
#pragma once

#include <memory>

#include "common/cancel.h"
#include "common/expected.h"
#include "engine/transformer.h"
#include "model/model_config.h"
#include "model/safetensors.h"

namespace ts::engine {

// `cancel` is checked before each tensor: cancelledError() once it is set.
Expected<TransformerWeights> loadTransformerWeights(const std::shared_ptr<SafetensorsModel>& checkpoint,
                                                    const ModelConfig& config, torch::ScalarType dtype,
                                                    bool fuseProjections, const CancelToken& cancel = {});

// Moves the tensors of `weights` to `device`: embedding, norms, and every DenseLinear (also inside
// ConcatLinear); other layer kinds (NF4, LoRA) are built on their device and left as they are. A
// tied lm_head keeps sharing the moved embedding.
void moveWeightsToDevice(TransformerWeights& weights, torch::Device device);

// A safetensors view as a torch tensor aliasing the mapped bytes (read-only; keep the file alive).
Expected<torch::Tensor> tensorFromView(const TensorView& view);

} // namespace ts::engine

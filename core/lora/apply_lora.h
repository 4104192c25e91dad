// Turning a loaded transformer into a (Q)LoRA model: each targeted projection of every decoder
// layer (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, as in LoraConfig::
// targetModules; "all-linear" means all seven) becomes a LoraLinear on its frozen weight.
// With quantizeBase the frozen weights of all seven projections (targeted or not) are NF4,
// like QLoRA; embeddings, norms and lm_head stay dense. Weights that are NF4 already (a bnb
// 4-bit checkpoint) stay NF4 either way.
// The weights must be loaded with fuseProjections = false (q/k/v and gate/up as ConcatLinear
// parts), and outside InferenceMode when the model is to be trained.
// Internal header (torch).
#pragma once

#include <optional>

#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "engine/transformer.h"
#include "lora/lora_linear.h"
#include "model/model_config.h"
#include "peft/lora_config.h"

namespace ts::lora {

struct LoraModule
{
    std::string name; // HF module path, e.g. "model.layers.0.self_attn.q_proj"
    LoraLinear* layer = nullptr; // owned by the TransformerWeights
};

struct ApplyLoraOptions
{
    int64_t blocksize = 64; // NF4 block size when quantizing the base
    bool doubleQuant = true; // quantize the NF4 scales too (QLoRA's default)
    uint64_t seed = 0; // A's initialisation: each module draws from seed ⊕ hash(module name)
    torch::ScalarType adapterDtype = torch::kFloat;
    // Where the converted projections live (NF4 codes, dense bases, the adapters); nullopt: where
    // each base weight is. Quantizing onto a GPU keeps only the NF4 codes there.
    std::optional<torch::Device> device;
    // Checked per projection and while one is quantized: applyLora returns cancelledError() once it is set,
    // the model left as it was.
    CancelToken cancel;
};

// The modules in layer order, q, k, v, o, gate, up, down within a layer (PEFT's order).
Expected<std::vector<LoraModule>> applyLora(engine::TransformerWeights& weights, const ModelConfig& config,
                                            const LoraConfig& lora, bool quantizeBase,
                                            const ApplyLoraOptions& options = {});

// Sets training mode (LoRA dropout on) for every module.
void setLoraTraining(const std::vector<LoraModule>& modules, bool training);

} // namespace ts::lora

// A PEFT LoRA adapter merged into a loaded transformer for inference:
//   W' = base(W) + scaling · B A         per adapted projection (fused q|k|v and gate|up rows too)
// where base(W) = W, or dequant(nf4(W)) when the adapter was trained on an NF4 base (QLoRA): then
// all seven projections are NF4 round-tripped exactly as training quantized them (blocks of 64,
// double quantization), so the merged fp32 model computes what the trained model computed.
// Internal header (torch).
#pragma once

#include "common/expected.h"
#include "engine/transformer.h"
#include "model/model_config.h"
#include "peft/peft_adapter.h"

namespace ts::lora {

struct MergeOptions
{
    bool nf4Base = false; // round-trip the base projections through NF4 (what QLoRA trained on)
    int64_t blocksize = 64;
    bool doubleQuant = true;
};

// Errors name the module: a module path that is not a decoder projection, a layer out of range,
// shapes that do not match the model, a base that is already quantized.
Status mergeAdapter(engine::TransformerWeights& weights, const ModelConfig& config, const PeftAdapter& adapter,
                    const MergeOptions& options = {});

} // namespace ts::lora

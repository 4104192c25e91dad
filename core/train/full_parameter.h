// Full-parameter training (small models, e.g. the demo base model trained from scratch): every
// weight becomes a trainable fp32 leaf named as in a Hugging Face checkpoint, and the result is
// saved as a Hugging Face model folder.
// Internal header (torch).
#pragma once

#include <filesystem>
#include <vector>

#include "common/expected.h"
#include "engine/transformer.h"
#include "model/model_config.h"
#include "train/adamw.h"

namespace ts::train {

// Replaces every tensor of `weights` by a writable fp32 copy with requires_grad, keeping tied
// embeddings tied (lm_head uses the embedding leaf). Names: model.embed_tokens.weight,
// model.layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm,
// mlp.{gate,up,down}_proj}.{weight,bias}, model.norm.weight, lm_head.weight (untied only).
// Needs weights loaded with fuseProjections = false; errors on quantized or fused layers.
Expected<std::vector<NamedParameter>> makeAllTrainable(engine::TransformerWeights& weights, const ModelConfig& config);

// Writes `outDir` (replacing it atomically): config.json, model.safetensors (fp32) from
// `params`, and the tokenizer / chat template / generation config files of `baseDir`.
Status saveHfModel(const std::filesystem::path& outDir, const std::vector<NamedParameter>& params,
                   const ModelConfig& config, const std::filesystem::path& baseDir);

} // namespace ts::train

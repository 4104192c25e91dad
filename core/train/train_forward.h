// The training forward pass: the same decoder as engine/transformer (transformers'
// modeling_llama.py) written with differentiable torch ops, no KV cache, a block-diagonal causal
// mask from segment ids (packed rows), and optional gradient checkpointing per decoder layer.
//   x = embed(ids)                                                     (B, T, C)
//   per layer:  x += o(Attn(RoPE(q), RoPE(k), v))  of  RMSNorm_in(x)
//               x += down(silu(gate(h)) * up(h))     with h = RMSNorm_post(x)
//   h = RMSNorm_final(x);  loss = Σ −log softmax(lm_head(h_t))[label_{t+1}] over learned t
// Only positions with a label go through lm_head, so the (B, T, V) logits never exist.
// Internal header (torch).
#pragma once

#include "engine/transformer.h"
#include "model/model_config.h"
#include "train/batch_iterator.h"

namespace ts::train {

struct BatchTensors
{
    torch::Tensor ids; // (B, T) int64
    torch::Tensor positions; // (B, T) int64, restarting per packed segment
    torch::Tensor mask; // (B, 1, T, T) fp32 additive: 0 where key j ≤ query i in the same segment
    torch::Tensor targets; // (B, T) int64: the label of t + 1, or -100
    int64_t learnedTokens = 0;
    int64_t tokens = 0;
};

BatchTensors toTensors(const SftBatch& batch, const ModelConfig& config, torch::Device device);

// softmax(mask + scale · Q Kᵀ) V, differentiable: q (B, H, T, D), k and v (B, KV, T, D) with H a
// multiple of KV (query head h uses key/value head h / (H / KV)), mask (B, 1, T, T) additive;
// → (B, H, T, D). On CPU fp32 (and allowKernel) both products run on the engine's GEMM kernel with
// K/V read in place; otherwise torch ops (K/V repeated per query group, scores in fp32).
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale, bool allowKernel = true);

class TrainForward
{
public:
    TrainForward(const ModelConfig& config, engine::TransformerWeights& weights, torch::Device device);

    // Σ token negative log-likelihood over learned positions (a scalar, differentiable).
    torch::Tensor lossSum(const BatchTensors& batch, bool checkpointLayers);

    // One decoder layer (used directly and by the checkpointing autograd function).
    torch::Tensor layer(int64_t index, const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask);

private:
    torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& weight) const;

    const ModelConfig& m_config;
    engine::TransformerWeights& m_weights;
    torch::Tensor m_invFreq; // (D/2) fp32
};

} // namespace ts::train

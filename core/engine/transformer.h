// The decoder-only transformer of Llama / Mistral / Qwen2 (transformers' modeling_llama.py):
//   x = embed(tokens)
//   per layer:  x += o(Attn(RoPE(q), RoPE(k), v))  of  RMSNorm_in(x)
//               x += down(silu(gate(h)) * up(h))     with h = RMSNorm_post(x)
//   logits = lm_head(RMSNorm_final(x))
// Shapes (llm.c style): B batch, T new tokens, Tk keys (cache length after the step), C hidden,
// H query heads, KV key/value heads, G = H / KV, D head_dim, F intermediate, V vocab.
// Internal header (torch).
#pragma once

#include <memory>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/torch_compat.h"
#include "model/model_config.h"

namespace ts::engine {

// ---------------------------------------------------------------------------------------------
// Linear layers behind an interface, so a layer can be swapped (e.g. NF4 base + LoRA).

class Linear
{
public:
    virtual ~Linear() = default;
    // x: (..., in) → (..., out)
    virtual torch::Tensor forward(const torch::Tensor& x) const = 0;
    virtual int64_t inFeatures() const = 0;
    virtual int64_t outFeatures() const = 0;
};

// y = x Wᵀ + b with W (out, in), b (out) or undefined.
class DenseLinear final : public Linear
{
public:
    DenseLinear(torch::Tensor weight, torch::Tensor bias = {});
    torch::Tensor forward(const torch::Tensor& x) const override;
    int64_t inFeatures() const override { return m_weight.size(1); }
    int64_t outFeatures() const override { return m_weight.size(0); }
    const torch::Tensor& weight() const { return m_weight; }
    const torch::Tensor& bias() const { return m_bias; }

private:
    torch::Tensor m_weight;
    torch::Tensor m_bias;
};

// Several linears on the same input, outputs concatenated on the last dim (unfused q|k|v, gate|up).
class ConcatLinear final : public Linear
{
public:
    explicit ConcatLinear(std::vector<std::unique_ptr<Linear>> parts);
    torch::Tensor forward(const torch::Tensor& x) const override;
    int64_t inFeatures() const override { return m_parts.front()->inFeatures(); }
    int64_t outFeatures() const override { return m_out; }
    const std::vector<std::unique_ptr<Linear>>& parts() const { return m_parts; }
    std::vector<std::unique_ptr<Linear>> releaseParts() && { return std::move(m_parts); }

private:
    std::vector<std::unique_ptr<Linear>> m_parts;
    int64_t m_out = 0;
};

// ---------------------------------------------------------------------------------------------
// Weights

struct DecoderLayer
{
    torch::Tensor inputNorm; // (C)
    torch::Tensor postNorm; // (C)
    std::unique_ptr<Linear> qkv; // C → (H + 2 KV) D, output [q | k | v]
    std::unique_ptr<Linear> o; // H D → C
    std::unique_ptr<Linear> gateUp; // C → 2 F, output [gate | up]
    std::unique_ptr<Linear> down; // F → C
};

struct TransformerWeights
{
    torch::Tensor embed; // (V, C)
    std::vector<DecoderLayer> layers;
    torch::Tensor finalNorm; // (C)
    std::unique_ptr<Linear> lmHead; // C → V (the embedding matrix when tied)
    std::shared_ptr<const void> keepAlive; // the mapped checkpoint that tensors may point into
};

// ---------------------------------------------------------------------------------------------
// Model

class Transformer
{
public:
    // fastKernels: hand-written fp32 RMSNorm / RoPE / SwiGLU (CPU, fp32 only; else torch ops).
    Transformer(const ModelConfig& config, TransformerWeights weights, torch::ScalarType dtype, bool fastKernels);

    // One forward step over T new tokens per row; K/V are written to cache slots
    // [cache.length, cache.length + T) and cache.length advances by T.
    //   tokens:    (B, T) int64
    //   positions: (B, T) int64, RoPE positions
    //   keyPad:    (B, Tmax) fp32 additive (0 or -1e30 on padding slots), or undefined
    // Returns fp32 logits: (B, T, V) with allLogits, else (B, V) at the last position.
    torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& positions, KvCache& cache,
                          const torch::Tensor& keyPad, bool allLogits);

    const ModelConfig& config() const { return m_config; }
    torch::ScalarType dtype() const { return m_dtype; }
    TransformerWeights& weights() { return m_weights; }

private:
    torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& weight) const;
    // Rotates the q and k parts of qkv (B, T, (H + 2 KV) D) by position; returns the rotated
    // (q (B, T, H, D), k (B, T, KV, D)). The fast path rotates in place.
    std::pair<torch::Tensor, torch::Tensor> rope(torch::Tensor& qkv, const torch::Tensor& positions);
    torch::Tensor swiglu(const torch::Tensor& gateUp) const; // (..., 2F) → (..., F)
    void ensureRopeTable(int64_t positions);
    torch::Tensor attentionMask(const torch::Tensor& keyPad, int64_t B, int64_t T, int64_t start) const;

    ModelConfig m_config;
    TransformerWeights m_weights;
    torch::ScalarType m_dtype;
    bool m_fast;
    torch::Tensor m_cos; // (P, D) fp32, cat(freqs, freqs).cos()
    torch::Tensor m_sin; // (P, D) fp32
};

// RoPE inverse frequencies (D/2) in double, with llama3 scaling when configured.
std::vector<double> ropeInverseFrequencies(const ModelConfig& config);

} // namespace ts::engine

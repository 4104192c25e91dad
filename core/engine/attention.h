// Causal self-attention over the KV cache with grouped-query heads (GQA) and fp32 softmax.
// Internal header (torch).
#pragma once

#include "engine/torch_compat.h"

namespace ts::engine {

// q:    (B, T, H, D) new queries (already rotated)
// k, v: (B, KV, Tk, D) cache views (all keys up to and including the new ones)
// mask: (B, 1, 1, T, Tk) fp32 additive (causal + padding + window), or undefined for none
// Returns (B, T, H D) in q's dtype. Query head h uses KV head h / G (transformers' repeat_kv),
// done by grouping the G query heads of each KV head instead of copying K and V.
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale);

} // namespace ts::engine

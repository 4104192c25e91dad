// KV cache: preallocated keys and values per layer, written in place at each step.
// Shapes: B batch, KV key/value heads, Tmax capacity (prompt + new tokens), D head_dim.
// Slots are shared by all rows: with left padding, every row's step t lands in slot t.
#pragma once

#include <vector>

#include "engine/torch_compat.h"
#include "model/model_config.h"

namespace ts::engine {

struct KvCache
{
    std::vector<torch::Tensor> k; // per layer: (B, KV, Tmax, D)
    std::vector<torch::Tensor> v; // per layer: (B, KV, Tmax, D)
    int64_t batch = 0;
    int64_t capacity = 0; // Tmax
    int64_t length = 0; // slots filled so far

    void allocate(const ModelConfig& config, int64_t batchSize, int64_t maxTokens, torch::ScalarType dtype)
    {
        const auto options = torch::TensorOptions().dtype(dtype);
        k.clear();
        v.clear();
        for (int64_t l = 0; l < config.numLayers; ++l) {
            k.push_back(torch::empty({batchSize, config.numKvHeads, maxTokens, config.headDim}, options));
            v.push_back(torch::empty({batchSize, config.numKvHeads, maxTokens, config.headDim}, options));
        }
        batch = batchSize;
        capacity = maxTokens;
        length = 0;
    }

    // Keeps only the batch rows in `rows` (int64 indices, in the new order): finished sequences
    // leave the batch so later steps do not compute them.
    void keepRows(const torch::Tensor& rows)
    {
        for (auto& t : k)
            t = t.index_select(0, rows);
        for (auto& t : v)
            t = t.index_select(0, rows);
        batch = rows.size(0);
    }
};

} // namespace ts::engine

// Training forward (see train_forward.h). Shapes: B batch, T tokens, C hidden, H query heads,
// KV key/value heads, G = H / KV, D head_dim, F intermediate, V vocab, N learned positions.
#include "train/train_forward.h"

#include <cmath>

namespace ts::train {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Rotate-half RoPE (HF layout): x · cos + rotate_half(x) · sin, x (B, heads, T, D).
torch::Tensor applyRope(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin)
{
    const int64_t half = x.size(-1) / 2;
    auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
    return x * cos + torch::cat({-x2, x1}, -1) * sin;
}

// Gradient checkpointing for one decoder layer: forward keeps only the layer input; backward
// recomputes the layer with autograd on (restoring the RNG so LoRA dropout draws the same masks)
// and backpropagates through the recomputed graph.
struct CheckpointedLayer : public torch::autograd::Function<CheckpointedLayer>
{
    static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, torch::Tensor cos, torch::Tensor sin,
                                 torch::Tensor mask, int64_t index, int64_t self)
    {
        auto* fwd = reinterpret_cast<TrainForward*>(self);
        auto gen = at::globalContext().defaultGenerator(x.device());
        ctx->saved_data["rng"] = gen.get_state();
        ctx->saved_data["index"] = index;
        ctx->saved_data["self"] = self;
        ctx->save_for_backward({x, cos, sin, mask});
        return fwd->layer(index, x, cos, sin, mask);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        auto saved = ctx->get_saved_variables();
        auto* fwd = reinterpret_cast<TrainForward*>(ctx->saved_data["self"].toInt());
        const int64_t index = ctx->saved_data["index"].toInt();
        auto gen = at::globalContext().defaultGenerator(saved[0].device());
        const auto current = gen.get_state();
        gen.set_state(ctx->saved_data["rng"].toTensor());
        auto x = saved[0].detach().requires_grad_(true);
        torch::Tensor out;
        {
            torch::AutoGradMode enable(true);
            out = fwd->layer(index, x, saved[1], saved[2], saved[3]);
        }
        gen.set_state(current);
        torch::autograd::backward({out}, {grads[0]});
        return {x.grad(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

BatchTensors toTensors(const SftBatch& batch, const ModelConfig& config, torch::Device device)
{
    const int64_t B = batch.rows, T = batch.length;
    BatchTensors out;
    auto ids = torch::empty({B, T}, torch::kLong);
    auto pos = torch::empty({B, T}, torch::kLong);
    auto targets = torch::full({B, T}, int64_t {kIgnoreLabel}, torch::kLong);
    auto mask = torch::full({B, 1, T, T}, -1e30f, torch::kFloat);
    int64_t* ip = ids.data_ptr<int64_t>();
    int64_t* pp = pos.data_ptr<int64_t>();
    int64_t* tp = targets.data_ptr<int64_t>();
    float* mp = mask.data_ptr<float>();
    const auto window = config.slidingWindow.value_or(0);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t t = 0; t < T; ++t) {
            const size_t k = static_cast<size_t>(b * T + t);
            ip[b * T + t] = batch.inputIds[k];
            pp[b * T + t] = batch.positions[k];
            if (t + 1 < T && batch.labels[k + 1] != kIgnoreLabel && batch.segmentIds[k + 1] == batch.segmentIds[k]) {
                tp[b * T + t] = batch.labels[k + 1];
                ++out.learnedTokens;
            }
            const int32_t seg = batch.segmentIds[k];
            float* row = mp + (b * T + t) * T;
            row[t] = 0.0f; // a padding query attends to itself: no empty softmax row
            if (seg == 0)
                continue;
            for (int64_t j = 0; j < t; ++j)
                if (batch.segmentIds[static_cast<size_t>(b * T + j)] == seg && (window == 0 || t - j < window))
                    row[j] = 0.0f;
        }
    }
    out.tokens = batch.tokens;
    out.ids = ids.to(device);
    out.positions = pos.to(device);
    out.targets = targets.to(device);
    out.mask = mask.to(device);
    return out;
}

TrainForward::TrainForward(const ModelConfig& config, engine::TransformerWeights& weights, torch::Device device)
    : m_config(config)
    , m_weights(weights)
{
    const auto inv = engine::ropeInverseFrequencies(config);
    std::vector<float> f(inv.begin(), inv.end());
    m_invFreq = torch::tensor(f, torch::kFloat).to(device);
}

torch::Tensor TrainForward::rmsNorm(const torch::Tensor& x, const torch::Tensor& weight) const
{
    auto xf = x.to(torch::kFloat);
    auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, true) + m_config.rmsNormEps);
    return (weight.to(torch::kFloat) * normed).to(x.scalar_type());
}

torch::Tensor TrainForward::layer(int64_t index, const torch::Tensor& x, const torch::Tensor& cos,
                                  const torch::Tensor& sin, const torch::Tensor& mask)
{
    const auto& L = m_weights.layers[static_cast<size_t>(index)];
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t H = m_config.numHeads, KV = m_config.numKvHeads, D = m_config.headDim, G = H / KV;

    // Attention
    auto h = rmsNorm(x, L.inputNorm);
    auto qkv = L.qkv->forward(h); // (B, T, (H + 2 KV) D)
    auto q = qkv.narrow(-1, 0, H * D).view({B, T, H, D}).transpose(1, 2); // (B, H, T, D)
    auto k = qkv.narrow(-1, H * D, KV * D).view({B, T, KV, D}).transpose(1, 2); // (B, KV, T, D)
    auto v = qkv.narrow(-1, (H + KV) * D, KV * D).view({B, T, KV, D}).transpose(1, 2);
    q = applyRope(q, cos, sin);
    k = applyRope(k, cos, sin);
    if (G > 1) {
        k = k.repeat_interleave(G, 1); // (B, H, T, D)
        v = v.repeat_interleave(G, 1);
    }
    auto scores = torch::matmul(q.to(torch::kFloat), k.to(torch::kFloat).transpose(-1, -2))
        * (1.0 / std::sqrt(static_cast<double>(D)));
    auto probs = torch::softmax(scores + mask, -1).to(v.scalar_type()); // (B, H, T, T)
    auto att = torch::matmul(probs, v).transpose(1, 2).reshape({B, T, H * D});
    auto y = x + L.o->forward(att);

    // MLP
    auto h2 = rmsNorm(y, L.postNorm);
    auto gu = L.gateUp->forward(h2); // (B, T, 2F)
    const int64_t F = gu.size(-1) / 2;
    auto act = torch::silu(gu.narrow(-1, 0, F)) * gu.narrow(-1, F, F);
    return y + L.down->forward(act);
}

torch::Tensor TrainForward::lossSum(const BatchTensors& batch, bool checkpointLayers)
{
    const int64_t B = batch.ids.size(0), T = batch.ids.size(1), C = m_config.hiddenSize;
    auto x = m_weights.embed.index_select(0, batch.ids.reshape({-1})).view({B, T, C});
    // RoPE tables for these positions: (B, 1, T, D), broadcast over heads.
    auto freqs = batch.positions.to(torch::kFloat).unsqueeze(-1) * m_invFreq; // (B, T, D/2)
    auto emb = torch::cat({freqs, freqs}, -1).unsqueeze(1);
    auto cos = emb.cos().to(x.scalar_type()), sin = emb.sin().to(x.scalar_type());

    // With checkpointing the layer input must require grad, or backward never reaches the
    // checkpointed layers when the embedding is frozen (PEFT's enable_input_require_grads).
    if (checkpointLayers && !x.requires_grad())
        x = x.detach().requires_grad_(true);
    for (int64_t l = 0; l < static_cast<int64_t>(m_weights.layers.size()); ++l) {
        if (checkpointLayers)
            x = CheckpointedLayer::apply(x, cos, sin, batch.mask, l, reinterpret_cast<int64_t>(this));
        else
            x = layer(l, x, cos, sin, batch.mask);
    }
    auto h = rmsNorm(x, m_weights.finalNorm).reshape({B * T, C});
    auto targets = batch.targets.reshape({-1});
    auto where = (targets != kIgnoreLabel).nonzero().squeeze(1); // (N)
    auto logits = m_weights.lmHead->forward(h.index_select(0, where)).to(torch::kFloat); // (N, V)
    return torch::nll_loss(torch::log_softmax(logits, -1), targets.index_select(0, where), {}, at::Reduction::Sum);
}

} // namespace ts::train

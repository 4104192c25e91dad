// Training forward (see train_forward.h). Shapes: B batch, T tokens, C hidden, H query heads,
// KV key/value heads, G = H / KV, D head_dim, F intermediate, V vocab, N learned positions.
#include "train/train_forward.h"

#include <cmath>
#include <string_view>

#include "engine/gemm.h"
#include "engine/parallel.h"
#include "train/sft_labels.h"

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

// The two attention products per (batch, head) slice on the engine's GEMM kernel (the system BLAS
// can be a generic one), one parallel region per product over the slices. Query head h reads
// key/value head h / G in place, so K and V are never repeated G times. Operands are addressed
// through their strides (last two dims: rows, features), so transposed views need no copies.
struct Slices
{
    const float* data;
    int64_t s0, s1, s2, s3; // strides of (B, heads, T, D)

    explicit Slices(const torch::Tensor& t)
        : data(t.data_ptr<float>())
        , s0(t.stride(0))
        , s1(t.stride(1))
        , s2(t.stride(2))
        , s3(t.stride(3))
    { }
    const float* at(int64_t b, int64_t h) const { return data + b * s0 + h * s1; }
};

bool attentionKernelApplies(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v)
{
    for (const auto* t : {&q, &k, &v})
        if (!t->device().is_cpu() || t->scalar_type() != torch::kFloat || t->dim() != 4)
            return false;
    return std::string_view(engine::gemmKernelName()) != "none";
}

// Runs fn(b, h, i) for every (batch b, head h) pair, i = b * heads + h, spread over the threads.
template <typename Fn> void forEachHead(int64_t batch, int64_t heads, Fn&& fn)
{
    engine::parallelFor(batch * heads, 1, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i)
            fn(i / heads, i % heads, i);
    });
}

// S = Q Kᵀ: q (B, H, T, D), k (B, KV, T, D) → (B, H, T, Tk) contiguous.
struct GqaScores : public torch::autograd::Function<GqaScores>
{
    static torch::Tensor forward(AutogradContext* ctx, torch::Tensor q, torch::Tensor k)
    {
        ctx->save_for_backward({q, k});
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), Tk = k.size(2);
        const int64_t G = H / k.size(1);
        auto s = torch::empty({B, H, T, Tk}, q.options());
        const Slices qs(q), ks(k);
        float* out = s.data_ptr<float>();
        forEachHead(B, H, [&](int64_t b, int64_t h, int64_t i) {
            engine::gemmStrided(T, Tk, D, qs.at(b, h), qs.s2, qs.s3, ks.at(b, h / G), ks.s2, ks.s3, nullptr,
                                out + i * T * Tk, false);
        });
        return s;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto &q = saved[0], &k = saved[1];
        const auto ds = grads[0].contiguous(); // (B, H, T, Tk)
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), KV = k.size(1), Tk = k.size(2);
        const int64_t G = H / KV;
        auto dq = torch::empty({B, H, T, D}, q.options());
        auto dk = torch::empty({B, KV, Tk, D}, k.options());
        const Slices qs(q), ks(k);
        const float* dsp = ds.data_ptr<float>();
        float* dqp = dq.data_ptr<float>();
        float* dkp = dk.data_ptr<float>();
        // dq(i, d) = Σ_j dS(i, j) k(j, d)
        forEachHead(B, H, [&](int64_t b, int64_t h, int64_t i) {
            engine::gemmStrided(T, D, Tk, dsp + i * T * Tk, Tk, 1, ks.at(b, h / G), ks.s3, ks.s2, nullptr,
                                dqp + i * T * D, false);
        });
        // dk(j, d) = Σ_{h in the group} Σ_i dS_h(i, j) q_h(i, d)
        forEachHead(B, KV, [&](int64_t b, int64_t kv, int64_t i) {
            for (int64_t g = 0; g < G; ++g) {
                const int64_t h = kv * G + g;
                engine::gemmStrided(Tk, D, T, dsp + (b * H + h) * T * Tk, 1, Tk, qs.at(b, h), qs.s3, qs.s2, nullptr,
                                    dkp + i * Tk * D, g > 0);
            }
        });
        return {dq, dk};
    }
};

// O = P V: p (B, H, T, Tk), v (B, KV, Tk, D) → (B, H, T, D) contiguous.
struct GqaMix : public torch::autograd::Function<GqaMix>
{
    static torch::Tensor forward(AutogradContext* ctx, torch::Tensor p, torch::Tensor v)
    {
        ctx->save_for_backward({p, v});
        const int64_t B = p.size(0), H = p.size(1), T = p.size(2), Tk = p.size(3), D = v.size(3);
        const int64_t G = H / v.size(1);
        auto o = torch::empty({B, H, T, D}, v.options());
        const Slices ps(p), vs(v);
        float* out = o.data_ptr<float>();
        forEachHead(B, H, [&](int64_t b, int64_t h, int64_t i) {
            engine::gemmStrided(T, D, Tk, ps.at(b, h), ps.s2, ps.s3, vs.at(b, h / G), vs.s3, vs.s2, nullptr,
                                out + i * T * D, false);
        });
        return o;
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto &p = saved[0], &v = saved[1];
        const auto dout = grads[0];
        const int64_t B = p.size(0), H = p.size(1), T = p.size(2), Tk = p.size(3), KV = v.size(1), D = v.size(3);
        const int64_t G = H / KV;
        auto dp = torch::empty({B, H, T, Tk}, p.options());
        auto dv = torch::empty({B, KV, Tk, D}, v.options());
        const Slices ps(p), vs(v), os(dout);
        float* dpp = dp.data_ptr<float>();
        float* dvp = dv.data_ptr<float>();
        // dP(i, j) = Σ_d dO(i, d) v(j, d)
        forEachHead(B, H, [&](int64_t b, int64_t h, int64_t i) {
            engine::gemmStrided(T, Tk, D, os.at(b, h), os.s2, os.s3, vs.at(b, h / G), vs.s2, vs.s3, nullptr,
                                dpp + i * T * Tk, false);
        });
        // dv(j, d) = Σ_{h in the group} Σ_i P_h(i, j) dO_h(i, d)
        forEachHead(B, KV, [&](int64_t b, int64_t kv, int64_t i) {
            for (int64_t g = 0; g < G; ++g) {
                const int64_t h = kv * G + g;
                engine::gemmStrided(Tk, D, T, ps.at(b, h), ps.s3, ps.s2, os.at(b, h), os.s3, os.s2, nullptr,
                                    dvp + i * Tk * D, g > 0);
            }
        });
        return {dp, dv};
    }
};

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

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale, bool allowKernel)
{
    const int64_t G = q.size(1) / k.size(1);
    if (allowKernel && attentionKernelApplies(q, k, v)) {
        auto scores = GqaScores::apply(q, k); // (B, H, T, T)
        auto probs = torch::softmax(at::add(mask, scores, scale), -1); // mask + scale · scores
        return GqaMix::apply(probs, v);
    }
    auto kr = G > 1 ? k.repeat_interleave(G, 1) : k; // (B, H, T, D)
    auto vr = G > 1 ? v.repeat_interleave(G, 1) : v;
    auto scores = torch::matmul(q.to(torch::kFloat), kr.to(torch::kFloat).transpose(-1, -2));
    auto probs = torch::softmax(at::add(mask, scores, scale), -1).to(v.scalar_type()); // (B, H, T, T)
    return torch::matmul(probs, vr);
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
    const int64_t H = m_config.numHeads, KV = m_config.numKvHeads,
                  D = m_config.headDim; // G = H / KV query heads share a K/V head

    // Attention
    auto h = rmsNorm(x, L.inputNorm);
    // Unfused q|k|v (and gate|up below) run part by part: no concatenated copy to slice again.
    torch::Tensor q, k, v;
    if (const auto* parts = dynamic_cast<const engine::ConcatLinear*>(L.qkv.get());
        parts && parts->parts().size() == 3) {
        q = parts->parts()[0]->forward(h);
        k = parts->parts()[1]->forward(h);
        v = parts->parts()[2]->forward(h);
    } else {
        auto qkv = L.qkv->forward(h); // (B, T, (H + 2 KV) D)
        q = qkv.narrow(-1, 0, H * D);
        k = qkv.narrow(-1, H * D, KV * D);
        v = qkv.narrow(-1, (H + KV) * D, KV * D);
    }
    q = q.view({B, T, H, D}).transpose(1, 2); // (B, H, T, D)
    k = k.view({B, T, KV, D}).transpose(1, 2); // (B, KV, T, D)
    v = v.view({B, T, KV, D}).transpose(1, 2);
    q = applyRope(q, cos, sin);
    k = applyRope(k, cos, sin);
    auto att = attention(q, k, v, mask, 1.0 / std::sqrt(static_cast<double>(D))).transpose(1, 2).reshape({B, T, H * D});
    auto y = x + L.o->forward(att);

    // MLP
    auto h2 = rmsNorm(y, L.postNorm);
    torch::Tensor gate, up; // (B, T, F)
    if (const auto* parts = dynamic_cast<const engine::ConcatLinear*>(L.gateUp.get());
        parts && parts->parts().size() == 2) {
        gate = parts->parts()[0]->forward(h2);
        up = parts->parts()[1]->forward(h2);
    } else {
        auto gu = L.gateUp->forward(h2); // (B, T, 2F)
        const int64_t F = gu.size(-1) / 2;
        gate = gu.narrow(-1, 0, F);
        up = gu.narrow(-1, F, F);
    }
    auto act = torch::silu(gate) * up;
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

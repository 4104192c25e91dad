// Decoder-only transformer forward (see transformer.h). Two implementations of the small ops:
// torch ops for any dtype (the reference, HF-shaped), and hand-written fp32 CPU loops that do
// RMSNorm, RoPE (in place) and SwiGLU in one pass each, to keep per-token op overhead low.
#include "engine/transformer.h"

#include <cmath>
#include <numbers>

#include "engine/attention.h"
#include "engine/gemm.h"
#include "engine/gemv.h"
#include "engine/parallel.h"

namespace ts::engine {

// ---------------------------------------------------------------------------------------------
// Linear

DenseLinear::DenseLinear(torch::Tensor weight, torch::Tensor bias)
    : m_weight(std::move(weight))
    , m_bias(std::move(bias))
{ }

torch::Tensor DenseLinear::forward(const torch::Tensor& x) const
{
    const int64_t in = m_weight.size(1), out = m_weight.size(0);
    auto shape = x.sizes().vec();
    shape.back() = out;
    auto x2 = x.reshape({-1, in}); // (N, in)
    torch::Tensor y;
    if (x2.size(0) == 1) {
        // One row (single-sequence decode): a memory-bound matrix-vector product.
        const auto row = x2[0];
        if (gemvApplies(m_weight, row)) {
            y = gemv(m_weight, row, m_bias);
        } else {
            y = at::mv(m_weight, row);
            if (m_bias.defined())
                y.add_(m_bias);
        }
    } else if (linearApplies(x2, m_weight)) {
        y = linear(x2, m_weight, m_bias); // (N, out); differentiable when training
    } else {
        y = m_bias.defined() ? at::addmm(m_bias, x2, m_weight.t()) : at::mm(x2, m_weight.t()); // (N, out)
    }
    return y.view(shape);
}

ConcatLinear::ConcatLinear(std::vector<std::unique_ptr<Linear>> parts)
    : m_parts(std::move(parts))
{
    for (const auto& p : m_parts)
        m_out += p->outFeatures();
}

torch::Tensor ConcatLinear::forward(const torch::Tensor& x) const
{
    std::vector<torch::Tensor> outs;
    outs.reserve(m_parts.size());
    for (const auto& p : m_parts)
        outs.push_back(p->forward(x));
    return at::cat(outs, -1);
}

// ---------------------------------------------------------------------------------------------
// RoPE tables

std::vector<double> ropeInverseFrequencies(const ModelConfig& c)
{
    const int64_t D = c.headDim;
    std::vector<double> inv(static_cast<size_t>(D / 2));
    for (int64_t i = 0; i < D / 2; ++i)
        inv[static_cast<size_t>(i)] = 1.0 / std::pow(c.ropeTheta, static_cast<double>(2 * i) / static_cast<double>(D));
    if (c.ropeScaling && c.ropeScaling->type == "llama3") {
        // transformers' _compute_llama3_parameters
        const auto& s = *c.ropeScaling;
        const double orig = static_cast<double>(s.originalMaxPositionEmbeddings);
        const double lowWavelen = orig / s.lowFreqFactor;
        const double highWavelen = orig / s.highFreqFactor;
        for (auto& f : inv) {
            const double wavelen = 2.0 * std::numbers::pi / f;
            if (wavelen < highWavelen)
                continue; // high frequency: unchanged
            if (wavelen > lowWavelen) {
                f /= s.factor; // low frequency: scaled
                continue;
            }
            const double smooth = (orig / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
            f = (1.0 - smooth) * f / s.factor + smooth * f;
        }
    }
    return inv;
}

void Transformer::ensureRopeTable(int64_t positions)
{
    if (m_cos.defined() && m_cos.size(0) >= positions)
        return;
    int64_t P = std::min<int64_t>(std::max<int64_t>(m_config.maxPositionEmbeddings, 1), 4096);
    while (P < positions)
        P *= 2;
    const int64_t D = m_config.headDim, half = D / 2;
    const auto inv = ropeInverseFrequencies(m_config);
    m_cos = torch::empty({P, D}, torch::kFloat);
    m_sin = torch::empty({P, D}, torch::kFloat);
    float* cp = m_cos.data_ptr<float>();
    float* sp = m_sin.data_ptr<float>();
    for (int64_t p = 0; p < P; ++p) {
        for (int64_t i = 0; i < half; ++i) {
            const double angle = static_cast<double>(p) * inv[static_cast<size_t>(i)];
            const auto c = static_cast<float>(std::cos(angle));
            const auto s = static_cast<float>(std::sin(angle));
            cp[p * D + i] = cp[p * D + i + half] = c; // emb = cat(freqs, freqs)
            sp[p * D + i] = sp[p * D + i + half] = s;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Small ops

Transformer::Transformer(const ModelConfig& config, TransformerWeights weights, torch::ScalarType dtype,
                         bool fastKernels)
    : m_config(config)
    , m_weights(std::move(weights))
    , m_dtype(dtype)
    , m_fast(fastKernels && dtype == torch::kFloat)
{
    ensureRopeTable(std::min<int64_t>(config.maxPositionEmbeddings, 4096));
}

// x (..., C) → RMSNorm(x) * weight, normalised in fp32 (transformers' LlamaRMSNorm).
torch::Tensor Transformer::rmsNorm(const torch::Tensor& x, const torch::Tensor& weight) const
{
    const double eps = m_config.rmsNormEps;
    if (!m_fast) {
        auto h = x.to(torch::kFloat);
        auto variance = h.pow(2).mean(-1, true);
        h = h * at::rsqrt(variance + eps);
        return weight * h.to(x.scalar_type());
    }
    const int64_t C = x.size(-1), N = x.numel() / C;
    auto xc = x.contiguous();
    auto out = torch::empty_like(xc);
    const float* xp = xc.data_ptr<float>();
    const float* wp = weight.data_ptr<float>();
    float* op = out.data_ptr<float>();
    parallelFor(N, std::max<int64_t>(1, 16384 / C), [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const float* xr = xp + r * C;
            float* orow = op + r * C;
            double sum = 0.0;
            for (int64_t c = 0; c < C; ++c)
                sum += static_cast<double>(xr[c]) * xr[c];
            const auto inv = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(C) + eps));
            for (int64_t c = 0; c < C; ++c)
                orow[c] = wp[c] * (xr[c] * inv);
        }
    });
    return out;
}

std::pair<torch::Tensor, torch::Tensor> Transformer::rope(torch::Tensor& qkv, const torch::Tensor& positions)
{
    const int64_t B = qkv.size(0), T = qkv.size(1), W = qkv.size(2);
    const int64_t H = m_config.numHeads, KV = m_config.numKvHeads, D = m_config.headDim, half = D / 2;
    if (!m_fast) {
        auto q = qkv.narrow(-1, 0, H * D).view({B, T, H, D});
        auto k = qkv.narrow(-1, H * D, KV * D).view({B, T, KV, D});
        auto flat = positions.reshape({-1});
        auto cos = m_cos.index_select(0, flat).view({B, T, 1, D}).to(m_dtype);
        auto sin = m_sin.index_select(0, flat).view({B, T, 1, D}).to(m_dtype);
        auto rotateHalf = [&](const torch::Tensor& x) {
            return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
        };
        return {q * cos + rotateHalf(q) * sin, k * cos + rotateHalf(k) * sin};
    }
    // In place over the H + KV rotated heads of each (b, t) row of qkv (contiguous).
    const int64_t rows = B * T, heads = H + KV;
    float* base = qkv.data_ptr<float>();
    const int64_t* pos = positions.data_ptr<int64_t>();
    const float* cosTable = m_cos.data_ptr<float>();
    const float* sinTable = m_sin.data_ptr<float>();
    parallelFor(rows, std::max<int64_t>(1, 8192 / (heads * D)), [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const float* c = cosTable + pos[r] * D;
            const float* s = sinTable + pos[r] * D;
            for (int64_t h = 0; h < heads; ++h) {
                float* x = base + r * W + h * D;
                for (int64_t i = 0; i < half; ++i) {
                    const float x1 = x[i], x2 = x[i + half];
                    x[i] = x1 * c[i] + (-x2) * s[i]; // q·cos + rotate_half(q)·sin
                    x[i + half] = x2 * c[i + half] + x1 * s[i + half];
                }
            }
        }
    });
    return {qkv.narrow(-1, 0, H * D).view({B, T, H, D}), qkv.narrow(-1, H * D, KV * D).view({B, T, KV, D})};
}

// (..., 2F) [gate | up] → silu(gate) * up (..., F)
torch::Tensor Transformer::swiglu(const torch::Tensor& gateUp) const
{
    const int64_t F = gateUp.size(-1) / 2;
    if (!m_fast)
        return at::silu(gateUp.narrow(-1, 0, F)) * gateUp.narrow(-1, F, F);
    auto shape = gateUp.sizes().vec();
    shape.back() = F;
    auto out = torch::empty(shape, gateUp.options());
    const int64_t N = gateUp.numel() / (2 * F);
    const float* gp = gateUp.data_ptr<float>();
    float* op = out.data_ptr<float>();
    // Over rows × column blocks, so one decoding row still spreads over the threads.
    const int64_t block = 512, blocks = (F + block - 1) / block;
    parallelFor(N * blocks, 2, [&](int64_t begin, int64_t end) {
        for (int64_t task = begin; task < end; ++task) {
            const int64_t n = task / blocks, f0 = (task % blocks) * block, f1 = std::min(F, f0 + block);
            const float* g = gp + n * 2 * F;
            const float* u = g + F;
            float* o = op + n * F;
            for (int64_t f = f0; f < f1; ++f)
                o[f] = g[f] / (1.0f + std::exp(-g[f])) * u[f];
        }
    });
    return out;
}

// (B, 1, 1, T, Tk) additive fp32: causal (key slot j visible to new token i iff j <= start + i),
// the sliding window, and padding slots; undefined when nothing is masked.
torch::Tensor Transformer::attentionMask(const torch::Tensor& keyPad, int64_t B, int64_t T, int64_t start) const
{
    const int64_t Tk = start + T;
    const auto window = m_config.slidingWindow;
    const bool windowBites = window && Tk > *window;
    if (T == 1 && !windowBites) {
        if (!keyPad.defined())
            return {};
        return keyPad.narrow(1, 0, Tk).view({B, 1, 1, 1, Tk});
    }
    auto i = torch::arange(start, Tk, torch::kLong).view({T, 1});
    auto j = torch::arange(0, Tk, torch::kLong).view({1, Tk});
    auto hidden = j > i;
    if (windowBites)
        hidden = hidden.logical_or(j <= i - *window);
    auto mask = torch::zeros({T, Tk}, torch::kFloat).masked_fill_(hidden, -1e30f).view({1, 1, 1, T, Tk});
    if (keyPad.defined())
        mask = mask + keyPad.narrow(1, 0, Tk).view({B, 1, 1, 1, Tk});
    return mask;
}

// ---------------------------------------------------------------------------------------------
// Forward

torch::Tensor Transformer::forward(const torch::Tensor& tokens, const torch::Tensor& positions, KvCache& cache,
                                   const torch::Tensor& keyPad, bool allLogits)
{
    const int64_t B = tokens.size(0), T = tokens.size(1);
    const int64_t H = m_config.numHeads, KV = m_config.numKvHeads, D = m_config.headDim;
    const int64_t start = cache.length, Tk = start + T;
    TORCH_CHECK(Tk <= cache.capacity, "KV cache full: ", Tk, " > ", cache.capacity);
    TORCH_CHECK(B == cache.batch, "batch ", B, " != cache batch ", cache.batch);
    ensureRopeTable(positions.max().item<int64_t>() + 1);
    const double scale = 1.0 / std::sqrt(static_cast<double>(D));
    const auto mask = attentionMask(keyPad, B, T, start);
    auto pos = positions.contiguous();

    auto x = at::embedding(m_weights.embed, tokens); // (B, T, C)
    for (size_t l = 0; l < m_weights.layers.size(); ++l) {
        const auto& layer = m_weights.layers[l];
        // attention block
        auto h = rmsNorm(x, layer.inputNorm); // (B, T, C)
        auto qkv = layer.qkv->forward(h).contiguous(); // (B, T, (H + 2 KV) D)
        auto [q, k] = rope(qkv, pos); // (B, T, H, D), (B, T, KV, D)
        auto v = qkv.narrow(-1, (H + KV) * D, KV * D).view({B, T, KV, D});
        cache.k[l].narrow(2, start, T).copy_(k.transpose(1, 2)); // cache (B, KV, Tmax, D)
        cache.v[l].narrow(2, start, T).copy_(v.transpose(1, 2));
        auto att = attention(q, cache.k[l].narrow(2, 0, Tk), cache.v[l].narrow(2, 0, Tk), mask, scale); // (B, T, H D)
        x.add_(layer.o->forward(att));
        // MLP block
        h = rmsNorm(x, layer.postNorm);
        auto act = swiglu(layer.gateUp->forward(h)); // (B, T, F)
        x.add_(layer.down->forward(act));
    }
    cache.length = Tk;

    if (!allLogits)
        x = x.select(1, T - 1).contiguous(); // (B, C): with left padding the last slot is real in every row
    x = rmsNorm(x, m_weights.finalNorm);
    auto logits = m_weights.lmHead->forward(x); // (B, V) or (B, T, V)
    return logits.scalar_type() == torch::kFloat ? logits : logits.to(torch::kFloat);
}

} // namespace ts::engine

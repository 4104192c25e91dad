// Training memory estimate (see memory_estimate.h).
//
// Notation: B micro-batch, T maxSeqLen, C hidden size, L layers, H query heads, K KV heads, D head dim,
// F intermediate size, V vocabulary, s bytes of the compute dtype (2 for bf16/f16, 4 for f32), r LoRA rank.
// Per decoder layer the linears are q (C→H·D), k and v (C→K·D), o (H·D→C), gate and up (C→F), down (F→C).
//
// Base weights. QLoRA keeps every decoder linear in NF4: two 4-bit codes per byte (0.5 B/param) plus the
// block scales, one fp32 absmax per 64 values (+0.0625 B/param) or, double-quantized, one byte per 64 plus an
// fp32 scale per 256 blocks (+0.0159 B/param) — the spec's 0.5 vs 0.127 bit/param. Embeddings and lm_head stay
// in the compute dtype; norms are fp32 (peft's prepare_model_for_kbit_training upcasts them).
// Trainable state. LoRA adds r·(in + out) parameters per adapted linear, all fp32: weights, gradients, and
// AdamW's m and v (16 B/param together). Full-parameter training: every weight fp32 with the same 16 B/param.
// Dequantization buffer: the largest NF4 linear dequantized to the compute dtype (out·in·s), one reused buffer.
//
// Activations saved for backward, per decoder layer and per token (× B·T):
//   input norm: its input and fp32 1/rms             C·s + 4
//   q/k/v input (the normed hidden state, shared)     C·s
//   q, k after RoPE, and v                            (H·D + 2·K·D)·s
//   o_proj input (attention output)                   H·D·s
//   post-attention norm: its input and 1/rms          C·s + 4
//   gate/up input (normed)                            C·s
//   MLP: gate and up outputs, silu(gate), product     4·F·s
//   LoRA, per adapted linear: A's output (r·s); with dropout > 0 the dropped input (in·s) and its mask
//   (in bytes) — each adapter has its own dropout, so q, k and v keep three copies.
// plus attention probabilities per layer: eager attention keeps the fp32 softmax output and its cast to the
// compute dtype for the P·V matmul, B·H·T²·(4 + s) (4 when s = 4); a fused kernel keeps B·H·T·4 (log-sum-exp).
// Without gradient checkpointing all L layers keep this. With it, only each layer's input hidden state is kept
// (L·B·T·C·s) and one layer at a time is recomputed during backward (+ one layer's worth).
// Backward working set (transient): the hidden-state gradient through the residual and the branch (2·C·s per
// token), the MLP intermediates' gradients (2·F·s), and with eager attention the probabilities' fp32 gradient
// (B·H·T²·4).
// Logits and loss: lm_head output in the compute dtype, its fp32 copy for the loss, the saved log-softmax and
// the logits' gradient in fp32: B·T·V·(s + 12).
// Framework overhead: a constant (memory_estimate.h).
#include "train/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ts {

namespace {

struct Linear
{
    const char* name;
    int64_t in, out;
};

struct Shape
{
    int64_t C, F, L, H, K, D, V;
};

Shape shapeOf(const ModelConfig& m)
{
    Shape s;
    s.C = m.hiddenSize;
    s.F = m.intermediateSize;
    s.L = m.numLayers;
    s.H = std::max<int64_t>(1, m.numHeads);
    s.K = m.numKvHeads > 0 ? m.numKvHeads : s.H;
    s.D = m.headDim > 0 ? m.headDim : s.C / s.H;
    s.V = m.vocabSize;
    return s;
}

std::vector<Linear> layerLinears(const Shape& s)
{
    return {{"q_proj", s.C, s.H * s.D}, {"k_proj", s.C, s.K * s.D}, {"v_proj", s.C, s.K * s.D},
            {"o_proj", s.H * s.D, s.C}, {"gate_proj", s.C, s.F},    {"up_proj", s.C, s.F},
            {"down_proj", s.F, s.C}};
}

uint64_t ceilDiv(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

// NF4 storage of one n-element weight: packed codes, absmax, code tables.
uint64_t nf4Bytes(uint64_t n, uint64_t block, bool doubleQuant)
{
    const uint64_t blocks = ceilDiv(n, block);
    uint64_t bytes = ceilDiv(n, 2) + 16 * 4; // codes, quant_map
    if (doubleQuant)
        bytes += blocks + 4 * ceilDiv(blocks, 256) + 256 * 4 + 4; // u8 absmax, nested absmax, nested map, offset
    else
        bytes += 4 * blocks;
    return bytes;
}

std::string paramsText(int64_t n)
{
    char buf[32];
    if (n >= 1'000'000'000)
        std::snprintf(buf, sizeof buf, "%.2f B", static_cast<double>(n) / 1e9);
    else if (n >= 1'000'000)
        std::snprintf(buf, sizeof buf, "%.1f M", static_cast<double>(n) / 1e6);
    else
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
    return buf;
}

MemoryEstimate estimate(const ModelConfig& model, const TrainConfig& config, const MemoryEstimateOptions& options)
{
    using namespace memory_part;
    const Shape sh = shapeOf(model);
    const uint64_t s = options.dtype == ComputeDtype::F32 ? 4 : 2;
    const uint64_t B = static_cast<uint64_t>(std::max(1, config.microBatch));
    const uint64_t T = static_cast<uint64_t>(std::max(1, config.maxSeqLen));
    const uint64_t BT = B * T;
    const bool full = config.fullParameter;
    const bool nf4 = !full && config.quantizeBase;
    const auto linears = layerLinears(sh);
    const uint64_t block = static_cast<uint64_t>(std::max<int64_t>(1, options.quantBlockSize));

    MemoryEstimate e;
    // Parameter counts.
    int64_t linearParams = 0, largestLinear = 0;
    uint64_t nf4PerLayer = 0;
    for (const auto& l : linears) {
        linearParams += l.in * l.out;
        largestLinear = std::max(largestLinear, l.in * l.out);
        nf4PerLayer += nf4Bytes(static_cast<uint64_t>(l.in * l.out), block, options.doubleQuant);
    }
    linearParams *= sh.L;
    int64_t biasPerLayer = 0;
    if (model.attentionBias)
        biasPerLayer += sh.H * sh.D + 2 * sh.K * sh.D;
    if (model.oProjBias)
        biasPerLayer += sh.C;
    if (model.mlpBias)
        biasPerLayer += 2 * sh.F + sh.C;
    const int64_t embedParams = sh.V * sh.C * (model.tieWordEmbeddings ? 1 : 2);
    const int64_t normParams = (2 * sh.L + 1) * sh.C;
    const int64_t otherParams = embedParams + normParams + biasPerLayer * sh.L;
    e.baseParameters = linearParams + otherParams;

    // LoRA parameters and the activations they add per token and layer.
    int64_t loraPerLayer = 0;
    uint64_t loraActPerToken = 0;
    if (!full) {
        const int64_t r = std::max(1, config.lora.r);
        for (const auto& l : linears) {
            if (std::find(config.lora.targetModules.begin(), config.lora.targetModules.end(), l.name)
                == config.lora.targetModules.end())
                continue;
            loraPerLayer += r * (l.in + l.out);
            loraActPerToken += static_cast<uint64_t>(r) * s;
            if (config.lora.dropout > 0)
                loraActPerToken += static_cast<uint64_t>(l.in) * (s + 1);
        }
    }

    if (full) {
        e.quantizedParameters = 0;
        e.trainableParameters = e.baseParameters;
        const uint64_t P = static_cast<uint64_t>(e.baseParameters);
        e.parts.push_back({std::string(kTrainable), 4 * P, paramsText(e.baseParameters) + " params × 4 B (fp32)"});
        e.parts.push_back({std::string(kGradients), 4 * P, "fp32"});
        e.parts.push_back({std::string(kOptimizer), 8 * P, "AdamW m and v, fp32"});
    } else {
        e.quantizedParameters = nf4 ? linearParams : 0;
        const uint64_t linearBytes
            = nf4 ? nf4PerLayer * static_cast<uint64_t>(sh.L) : static_cast<uint64_t>(linearParams) * s;
        char per[64];
        std::snprintf(per, sizeof per, "%.4f", static_cast<double>(linearBytes) / static_cast<double>(linearParams));
        e.parts.push_back(
            {std::string(kBaseLinears), linearBytes,
             paramsText(linearParams) + " params × " + per + " B"
                 + (nf4 ? (options.doubleQuant ? " (NF4, double-quantized absmax)" : " (NF4, fp32 absmax)")
                        : " (compute dtype)")});
        const uint64_t otherBytes
            = static_cast<uint64_t>(embedParams + biasPerLayer * sh.L) * s + static_cast<uint64_t>(normParams) * 4;
        e.parts.push_back({std::string(kBaseOther), otherBytes, "compute dtype; norms fp32"});
        e.trainableParameters = loraPerLayer * sh.L;
        const uint64_t P = static_cast<uint64_t>(e.trainableParameters);
        e.parts.push_back({std::string(kTrainable), 4 * P,
                           paramsText(e.trainableParameters) + " LoRA params (r = " + std::to_string(config.lora.r)
                               + ") × 4 B (fp32)"});
        e.parts.push_back({std::string(kGradients), 4 * P, "fp32"});
        e.parts.push_back({std::string(kOptimizer), 8 * P, "AdamW m and v, fp32"});
        if (nf4)
            e.parts.push_back({std::string(kDequantBuffer), static_cast<uint64_t>(largestLinear) * s,
                               "largest linear in the compute dtype, reused"});
    }

    // Activations.
    const uint64_t C = static_cast<uint64_t>(sh.C), F = static_cast<uint64_t>(sh.F), H = static_cast<uint64_t>(sh.H),
                   K = static_cast<uint64_t>(sh.K), D = static_cast<uint64_t>(sh.D), V = static_cast<uint64_t>(sh.V),
                   L = static_cast<uint64_t>(sh.L);
    // Norm inputs and normed outputs (4·C·s), two fp32 1/rms, q/k/v, attention output, MLP, LoRA.
    const uint64_t savedPerToken = 4 * C * s + 8 + (H * D + 2 * K * D) * s + H * D * s + 4 * F * s + loraActPerToken;
    const uint64_t probsPerLayer = options.materializedAttention ? B * H * T * T * (s == 4 ? 4 : 4 + s) : B * H * T * 4;
    const uint64_t oneLayer = BT * savedPerToken + probsPerLayer;
    const uint64_t activations = config.gradientCheckpointing ? L * BT * C * s + oneLayer : L * oneLayer;
    e.parts.push_back({std::string(kActivations), activations,
                       config.gradientCheckpointing ? "checkpointed: layer inputs + one layer recomputed"
                                                    : "all layers kept for backward"});
    const uint64_t backward = BT * (2 * C + 2 * F) * s + (options.materializedAttention ? B * H * T * T * 4 : 0);
    e.parts.push_back({std::string(kActivationGrads), backward, "gradients of hidden states, MLP and attention"});
    e.parts.push_back({std::string(kLogits), BT * V * (s + 12), "B·T·V: logits, fp32 copy, log-softmax and gradient"});
    const uint64_t overhead = options.frameworkOverheadBytes.value_or(
        options.device == DeviceKind::Cuda ? kCudaFrameworkOverhead : kCpuFrameworkOverhead);
    e.parts.push_back(
        {std::string(kOverhead), overhead,
         options.device == DeviceKind::Cuda ? "CUDA context, cuBLAS workspace, allocator slack" : "runtime"});
    for (const auto& p : e.parts)
        e.total += p.bytes;
    e.available = options.availableBytes;
    e.fits = !options.availableBytes || e.total <= *options.availableBytes;
    return e;
}

} // namespace

uint64_t MemoryEstimate::bytes(std::string_view part) const
{
    for (const auto& p : parts)
        if (p.name == part)
            return p.bytes;
    return 0;
}

std::string formatBytes(uint64_t bytes)
{
    char buf[32];
    const double b = static_cast<double>(bytes);
    if (bytes >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.1f GiB", b / (1ull << 30));
    else if (bytes >= (1ull << 20))
        std::snprintf(buf, sizeof buf, "%.0f MiB", b / (1ull << 20));
    else if (bytes >= (1ull << 10))
        std::snprintf(buf, sizeof buf, "%.0f KiB", b / (1ull << 10));
    else
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    return buf;
}

namespace {

// What changed from `from` to `to`, in order of preference.
std::string describeChanges(const TrainConfig& from, const TrainConfig& to)
{
    std::vector<std::string> changes;
    if (to.gradientCheckpointing && !from.gradientCheckpointing)
        changes.push_back("enable gradient checkpointing");
    if (to.microBatch != from.microBatch)
        changes.push_back("micro-batch " + std::to_string(from.microBatch) + " → " + std::to_string(to.microBatch)
                          + " with gradient accumulation " + std::to_string(from.gradAccum) + " → "
                          + std::to_string(to.gradAccum) + " (same effective batch)");
    if (to.maxSeqLen != from.maxSeqLen)
        changes.push_back("maxSeqLen " + std::to_string(from.maxSeqLen) + " → " + std::to_string(to.maxSeqLen)
                          + " (longer examples are truncated or dropped)");
    if (to.fullParameter != from.fullParameter)
        changes.push_back("train a LoRA adapter on an NF4 base (QLoRA) instead of every weight");
    else if (to.lora.r != from.lora.r)
        changes.push_back("LoRA r " + std::to_string(from.lora.r) + " → " + std::to_string(to.lora.r));
    std::string text;
    for (size_t i = 0; i < changes.size(); ++i)
        text += (i ? "; " : "") + changes[i];
    return text;
}

void setMicroBatch(TrainConfig& c, int microBatch, int64_t effective)
{
    c.microBatch = microBatch;
    c.gradAccum = static_cast<int>((effective + microBatch - 1) / microBatch);
}

} // namespace

MemoryEstimate estimateTrainingMemory(const ModelConfig& model, const TrainConfig& config,
                                      const MemoryEstimateOptions& options)
{
    MemoryEstimate result = estimate(model, config, options);
    if (result.fits)
        return result;
    const uint64_t available = *options.availableBytes;
    constexpr int kMinSeqLen = 128;
    constexpr int kMinRank = 4;
    const int64_t effective = static_cast<int64_t>(std::max(1, config.microBatch)) * std::max(1, config.gradAccum);

    // Changes in order of preference, each kept while the next is tried; a setting is lowered by halving only
    // as far as needed.
    TrainConfig c = config;
    auto fitsNow = [&] { return estimate(model, c, options).total <= available; };
    bool fitted = false;
    if (!c.gradientCheckpointing) {
        c.gradientCheckpointing = true;
        fitted = fitsNow();
    }
    while (!fitted && c.microBatch > 1) {
        setMicroBatch(c, c.microBatch / 2, effective);
        fitted = fitsNow();
    }
    while (!fitted && c.maxSeqLen > kMinSeqLen) {
        c.maxSeqLen = std::max(kMinSeqLen, c.maxSeqLen / 2);
        fitted = fitsNow();
    }
    while (!fitted && !c.fullParameter && c.lora.r > kMinRank) {
        c.lora.r = std::max(kMinRank, c.lora.r / 2);
        fitted = fitsNow();
    }
    if (!fitted && c.fullParameter) {
        c.fullParameter = false;
        c.quantizeBase = true;
        fitted = fitsNow();
    }
    if (!fitted) {
        const uint64_t base = result.bytes(memory_part::kBaseLinears) + result.bytes(memory_part::kBaseOther)
            + result.bytes(memory_part::kTrainable);
        const auto smallest = estimate(model, c, options);
        result.suggestion = "does not fit even with every change (" + formatBytes(smallest.total) + " needed, "
            + formatBytes(available) + " available; the weights alone need " + formatBytes(base) + ")";
        return result;
    }
    // A later change may have made an earlier one unnecessary (full-parameter → QLoRA frees far more than a
    // shorter maxSeqLen): give back the less preferred reductions first, as far as it still fits. Gradient
    // checkpointing, the most preferred change, stays.
    auto relax = [&](auto get, auto set, int original) {
        while (get() < original) {
            const TrainConfig before = c;
            set(std::min(original, get() * 2));
            if (!fitsNow()) {
                c = before;
                break;
            }
        }
    };
    if (!c.fullParameter && !config.fullParameter)
        relax([&] { return c.lora.r; }, [&](int v) { c.lora.r = v; }, config.lora.r);
    relax([&] { return c.maxSeqLen; }, [&](int v) { c.maxSeqLen = v; }, config.maxSeqLen);
    relax([&] { return c.microBatch; }, [&](int v) { setMicroBatch(c, v, effective); }, config.microBatch);

    const auto fittedEstimate = estimate(model, c, options);
    result.suggestion = describeChanges(config, c) + " (estimated " + formatBytes(fittedEstimate.total) + " of "
        + formatBytes(available) + ")";
    result.suggestedConfig = c;
    return result;
}

} // namespace ts

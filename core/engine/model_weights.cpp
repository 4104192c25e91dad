// Loading HF checkpoint tensors into the transformer (see model_weights.h).
#include "engine/model_weights.h"

#include <sstream>

#include "engine/nf4_weight.h"
#include "quant/bnb_checkpoint.h"

namespace ts::engine {

namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::ostringstream out;
    out << "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << "]";
    return out.str();
}

class Loader
{
public:
    Loader(const SafetensorsModel& checkpoint, torch::ScalarType dtype, const CancelToken& cancel)
        : m_checkpoint(checkpoint)
        , m_dtype(dtype)
        , m_cancel(cancel)
    { }

    bool has(const std::string& name) const { return m_checkpoint.find(name) != nullptr; }
    bool cancelled() const { return m_cancel.stopRequested(); }

    // The named tensor with the expected shape, in the compute dtype.
    Expected<torch::Tensor> get(const std::string& name, const std::vector<int64_t>& shape)
    {
        if (cancelled())
            return cancelledError();
        const TensorView* view = m_checkpoint.find(name);
        if (!view)
            return makeError("checkpoint has no tensor '" + name + "'");
        if (view->shape != shape)
            return makeError("tensor '" + name + "' has shape " + shapeText(view->shape) + ", the config implies "
                             + shapeText(shape));
        auto t = tensorFromView(*view);
        if (!t)
            return t.error();
        return t->scalar_type() == m_dtype ? *t : t->to(m_dtype);
    }

private:
    const SafetensorsModel& m_checkpoint;
    torch::ScalarType m_dtype;
    const CancelToken& m_cancel;
};

// A projection's weight: dense in the compute dtype, or NF4 from a bitsandbytes 4-bit checkpoint.
struct Projection
{
    torch::Tensor dense;
    engine::Nf4Weight nf4;
};

Expected<Projection> loadProjection(Loader& load, const SafetensorsModel& checkpoint, const std::string& name,
                                    int64_t out, int64_t in)
{
    if (!hasBnbQuantState(checkpoint, name)) {
        auto t = load.get(name, {out, in});
        if (!t)
            return t.error();
        return Projection {*t, {}};
    }
    if (load.cancelled())
        return cancelledError();
    auto stored = readBnbNf4Weight(checkpoint, name);
    if (!stored)
        return stored.error();
    if (stored->state.shape != std::vector<int64_t> {out, in})
        return makeError("tensor '" + name + "' has quant_state shape " + shapeText(stored->state.shape)
                         + ", the config implies " + shapeText({out, in}));
    auto nf4 = engine::Nf4Weight::fromCheckpoint(*stored, torch::kCPU);
    if (!nf4)
        return nf4.error();
    return Projection {{}, std::move(*nf4)};
}

std::unique_ptr<Linear> makeLinear(const Projection& w, const torch::Tensor& bias,
                                   const std::shared_ptr<engine::DequantBuffer>& buffer)
{
    if (w.nf4.defined())
        return std::make_unique<engine::Nf4Linear>(w.nf4, bias, buffer);
    return std::make_unique<DenseLinear>(w.dense, bias);
}

// Only bitsandbytes 4-bit NF4 checkpoints are quantized ones the engine reads.
Status checkQuantization(const ModelConfig& c)
{
    if (!c.quantization)
        return {};
    const auto& q = *c.quantization;
    if (q.quantMethod != "bitsandbytes")
        return makeError("quantization_config.quant_method '" + q.quantMethod
                         + "' is not supported (only bitsandbytes 4-bit NF4 checkpoints load)");
    if (q.loadIn8bit)
        return makeError("bitsandbytes 8-bit (load_in_8bit) checkpoints are not supported (only 4-bit NF4)");
    if (q.loadIn4bit && q.quantType != "nf4")
        return makeError("bnb_4bit_quant_type '" + q.quantType + "' is not supported (only nf4)");
    return {};
}

} // namespace

Expected<torch::Tensor> tensorFromView(const TensorView& view)
{
    torch::ScalarType type;
    switch (view.dtype) {
    case DType::F32:
        type = torch::kFloat;
        break;
    case DType::F16:
        type = torch::kHalf;
        break;
    case DType::BF16:
        type = torch::kBFloat16;
        break;
    case DType::F64:
        type = torch::kDouble;
        break;
    case DType::I64:
        type = torch::kLong;
        break;
    case DType::I32:
        type = torch::kInt;
        break;
    case DType::I16:
        type = torch::kShort;
        break;
    case DType::I8:
        type = torch::kChar;
        break;
    case DType::U8:
        type = torch::kByte;
        break;
    case DType::Bool:
        type = torch::kBool;
        break;
    default:
        return makeError("tensor '" + view.name + "': dtype " + std::string(dtypeName(view.dtype))
                         + " is not supported by the engine");
    }
    // from_blob wants a mutable pointer; the engine never writes to weights.
    return torch::from_blob(const_cast<std::byte*>(view.data), view.shape, torch::TensorOptions().dtype(type));
}

Expected<TransformerWeights> loadTransformerWeights(const std::shared_ptr<SafetensorsModel>& checkpoint,
                                                    const ModelConfig& c, torch::ScalarType dtype, bool fuseProjections,
                                                    const CancelToken& cancel)
{
    if (auto s = checkQuantization(c); !s)
        return s.error();
    Loader load(*checkpoint, dtype, cancel);
    // NF4 layers of this model dequantize into one shared buffer.
    auto nf4Buffer = std::make_shared<engine::DequantBuffer>();
    const int64_t C = c.hiddenSize, F = c.intermediateSize, D = c.headDim, V = c.vocabSize;
    const int64_t q = c.numHeads * D, kv = c.numKvHeads * D;
    TransformerWeights w;
    w.keepAlive = checkpoint;

#define TS_LOAD(var, name, ...)                                                                                        \
    auto var##_ = load.get(name, __VA_ARGS__);                                                                         \
    if (!var##_)                                                                                                       \
        return var##_.error();                                                                                         \
    torch::Tensor var = *var##_;

    TS_LOAD(embed, "model.embed_tokens.weight", {V, C});
    w.embed = embed;
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        DecoderLayer layer;
        TS_LOAD(inNorm, p + "input_layernorm.weight", {C});
        TS_LOAD(postNorm, p + "post_attention_layernorm.weight", {C});
#define TS_PROJ(var, name, out, in)                                                                                    \
    auto var##_ = loadProjection(load, *checkpoint, name, out, in);                                                    \
    if (!var##_)                                                                                                       \
        return var##_.error();                                                                                         \
    const Projection& var = *var##_;

        TS_PROJ(wq, p + "self_attn.q_proj.weight", q, C);
        TS_PROJ(wk, p + "self_attn.k_proj.weight", kv, C);
        TS_PROJ(wv, p + "self_attn.v_proj.weight", kv, C);
        TS_PROJ(wo, p + "self_attn.o_proj.weight", C, q);
        TS_PROJ(wg, p + "mlp.gate_proj.weight", F, C);
        TS_PROJ(wu, p + "mlp.up_proj.weight", F, C);
        TS_PROJ(wd, p + "mlp.down_proj.weight", C, F);
#undef TS_PROJ
        torch::Tensor bq, bk, bv, bo, bg, bu, bd;
        if (c.attentionBias) {
            TS_LOAD(bq_, p + "self_attn.q_proj.bias", {q});
            TS_LOAD(bk_, p + "self_attn.k_proj.bias", {kv});
            TS_LOAD(bv_, p + "self_attn.v_proj.bias", {kv});
            bq = bq_, bk = bk_, bv = bv_;
        }
        if (c.oProjBias) {
            TS_LOAD(bo_, p + "self_attn.o_proj.bias", {C});
            bo = bo_;
        }
        if (c.mlpBias) {
            TS_LOAD(bg_, p + "mlp.gate_proj.bias", {F});
            TS_LOAD(bu_, p + "mlp.up_proj.bias", {F});
            TS_LOAD(bd_, p + "mlp.down_proj.bias", {C});
            bg = bg_, bu = bu_, bd = bd_;
        }
        layer.inputNorm = inNorm;
        layer.postNorm = postNorm;
        // NF4 weights (bnb checkpoints) are never fused: each part dequantizes on its own.
        const bool denseQkv = wq.dense.defined() && wk.dense.defined() && wv.dense.defined();
        const bool denseGateUp = wg.dense.defined() && wu.dense.defined();
        if (fuseProjections && denseQkv) {
            layer.qkv = std::make_unique<DenseLinear>(at::cat({wq.dense, wk.dense, wv.dense}, 0),
                                                      c.attentionBias ? at::cat({bq, bk, bv}, 0) : torch::Tensor());
        } else {
            std::vector<std::unique_ptr<Linear>> qkv;
            qkv.push_back(makeLinear(wq, bq, nf4Buffer));
            qkv.push_back(makeLinear(wk, bk, nf4Buffer));
            qkv.push_back(makeLinear(wv, bv, nf4Buffer));
            layer.qkv = std::make_unique<ConcatLinear>(std::move(qkv));
        }
        if (fuseProjections && denseGateUp) {
            layer.gateUp = std::make_unique<DenseLinear>(at::cat({wg.dense, wu.dense}, 0),
                                                         c.mlpBias ? at::cat({bg, bu}, 0) : torch::Tensor());
        } else {
            std::vector<std::unique_ptr<Linear>> gateUp;
            gateUp.push_back(makeLinear(wg, bg, nf4Buffer));
            gateUp.push_back(makeLinear(wu, bu, nf4Buffer));
            layer.gateUp = std::make_unique<ConcatLinear>(std::move(gateUp));
        }
        layer.o = makeLinear(wo, bo, nf4Buffer);
        layer.down = makeLinear(wd, bd, nf4Buffer);
        w.layers.push_back(std::move(layer));
    }
    TS_LOAD(finalNorm, "model.norm.weight", {C});
    w.finalNorm = finalNorm;
    if (c.tieWordEmbeddings) {
        w.lmHead = std::make_unique<DenseLinear>(w.embed);
    } else {
        if (!load.has("lm_head.weight"))
            return makeError("checkpoint has no 'lm_head.weight' and config.json does not set tie_word_embeddings");
        TS_LOAD(lmHead, "lm_head.weight", {V, C});
        w.lmHead = std::make_unique<DenseLinear>(lmHead);
    }
#undef TS_LOAD
    return w;
}

namespace {

std::unique_ptr<Linear> movedLinear(std::unique_ptr<Linear> layer, torch::Device device, const torch::Tensor& oldEmbed,
                                    const torch::Tensor& newEmbed)
{
    if (auto* dense = dynamic_cast<DenseLinear*>(layer.get())) {
        if (dense->weight().device() == device)
            return layer;
        // A tied lm_head points at the embedding: keep one copy on the device.
        auto w = dense->weight().is_same(oldEmbed) ? newEmbed : dense->weight().to(device);
        auto b = dense->bias().defined() ? dense->bias().to(device) : torch::Tensor();
        return std::make_unique<DenseLinear>(std::move(w), std::move(b));
    }
    if (auto* concat = dynamic_cast<ConcatLinear*>(layer.get())) {
        std::vector<std::unique_ptr<Linear>> parts;
        for (auto& part : std::move(*concat).releaseParts())
            parts.push_back(movedLinear(std::move(part), device, oldEmbed, newEmbed));
        return std::make_unique<ConcatLinear>(std::move(parts));
    }
    return layer;
}

} // namespace

void moveWeightsToDevice(TransformerWeights& weights, torch::Device device)
{
    const torch::Tensor oldEmbed = weights.embed;
    weights.embed = weights.embed.to(device);
    weights.finalNorm = weights.finalNorm.to(device);
    for (auto& layer : weights.layers) {
        layer.inputNorm = layer.inputNorm.to(device);
        layer.postNorm = layer.postNorm.to(device);
        layer.qkv = movedLinear(std::move(layer.qkv), device, oldEmbed, weights.embed);
        layer.o = movedLinear(std::move(layer.o), device, oldEmbed, weights.embed);
        layer.gateUp = movedLinear(std::move(layer.gateUp), device, oldEmbed, weights.embed);
        layer.down = movedLinear(std::move(layer.down), device, oldEmbed, weights.embed);
    }
    weights.lmHead = movedLinear(std::move(weights.lmHead), device, oldEmbed, weights.embed);
}

} // namespace ts::engine

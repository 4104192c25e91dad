// Loading HF checkpoint tensors into the transformer (see model_weights.h).
#include "engine/model_weights.h"

#include <sstream>

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
    Loader(const SafetensorsModel& checkpoint, torch::ScalarType dtype)
        : m_checkpoint(checkpoint)
        , m_dtype(dtype)
    { }

    bool has(const std::string& name) const { return m_checkpoint.find(name) != nullptr; }

    // The named tensor with the expected shape, in the compute dtype.
    Expected<torch::Tensor> get(const std::string& name, const std::vector<int64_t>& shape)
    {
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
};

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
                                                    const ModelConfig& c, torch::ScalarType dtype, bool fuseProjections)
{
    Loader load(*checkpoint, dtype);
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
        TS_LOAD(wq, p + "self_attn.q_proj.weight", {q, C});
        TS_LOAD(wk, p + "self_attn.k_proj.weight", {kv, C});
        TS_LOAD(wv, p + "self_attn.v_proj.weight", {kv, C});
        TS_LOAD(wo, p + "self_attn.o_proj.weight", {C, q});
        TS_LOAD(wg, p + "mlp.gate_proj.weight", {F, C});
        TS_LOAD(wu, p + "mlp.up_proj.weight", {F, C});
        TS_LOAD(wd, p + "mlp.down_proj.weight", {C, F});
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
        if (fuseProjections) {
            layer.qkv = std::make_unique<DenseLinear>(at::cat({wq, wk, wv}, 0),
                                                      c.attentionBias ? at::cat({bq, bk, bv}, 0) : torch::Tensor());
            layer.gateUp = std::make_unique<DenseLinear>(at::cat({wg, wu}, 0),
                                                         c.mlpBias ? at::cat({bg, bu}, 0) : torch::Tensor());
        } else {
            std::vector<std::unique_ptr<Linear>> qkv;
            qkv.push_back(std::make_unique<DenseLinear>(wq, bq));
            qkv.push_back(std::make_unique<DenseLinear>(wk, bk));
            qkv.push_back(std::make_unique<DenseLinear>(wv, bv));
            layer.qkv = std::make_unique<ConcatLinear>(std::move(qkv));
            std::vector<std::unique_ptr<Linear>> gateUp;
            gateUp.push_back(std::make_unique<DenseLinear>(wg, bg));
            gateUp.push_back(std::make_unique<DenseLinear>(wu, bu));
            layer.gateUp = std::make_unique<ConcatLinear>(std::move(gateUp));
        }
        layer.o = std::make_unique<DenseLinear>(wo, bo);
        layer.down = std::make_unique<DenseLinear>(wd, bd);
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

} // namespace ts::engine

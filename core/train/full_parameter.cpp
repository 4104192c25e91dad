#include "train/full_parameter.h"

#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "model/safetensors_writer.h"

namespace ts::train {

namespace fs = std::filesystem;
using engine::ConcatLinear;
using engine::DenseLinear;
using engine::Linear;

namespace {

torch::Tensor leaf(const torch::Tensor& t)
{
    return t.detach().to(torch::kFloat).clone().requires_grad_(true);
}

// A DenseLinear rebuilt on trainable leaves; its parameters are appended as <prefix>.weight/.bias.
Expected<std::unique_ptr<Linear>> trainableDense(const Linear* linear, const std::string& prefix,
                                                 std::vector<NamedParameter>& out)
{
    const auto* dense = dynamic_cast<const DenseLinear*>(linear);
    if (!dense)
        return makeError(prefix + ": full-parameter training needs dense, unfused weights");
    auto w = leaf(dense->weight());
    out.push_back({prefix + ".weight", w});
    torch::Tensor b;
    if (dense->bias().defined()) {
        b = leaf(dense->bias());
        out.push_back({prefix + ".bias", b});
    }
    return std::unique_ptr<Linear>(std::make_unique<DenseLinear>(w, b));
}

Expected<std::unique_ptr<Linear>> trainableConcat(const std::unique_ptr<Linear>& linear,
                                                  const std::vector<std::string>& prefixes,
                                                  std::vector<NamedParameter>& out)
{
    const auto* concat = dynamic_cast<const ConcatLinear*>(linear.get());
    if (!concat || concat->parts().size() != prefixes.size())
        return makeError(prefixes.front() + ": full-parameter training needs the weights loaded unfused");
    std::vector<std::unique_ptr<Linear>> parts;
    for (size_t i = 0; i < prefixes.size(); ++i) {
        auto p = trainableDense(concat->parts()[i].get(), prefixes[i], out);
        if (!p)
            return p.error();
        parts.push_back(std::move(*p));
    }
    return std::unique_ptr<Linear>(std::make_unique<ConcatLinear>(std::move(parts)));
}

} // namespace

Expected<std::vector<NamedParameter>> makeAllTrainable(engine::TransformerWeights& w, const ModelConfig& config)
{
    std::vector<NamedParameter> out;
    w.embed = leaf(w.embed);
    out.push_back({"model.embed_tokens.weight", w.embed});
    for (size_t l = 0; l < w.layers.size(); ++l) {
        auto& layer = w.layers[l];
        const std::string p = "model.layers." + std::to_string(l) + ".";
        layer.inputNorm = leaf(layer.inputNorm);
        out.push_back({p + "input_layernorm.weight", layer.inputNorm});
        auto qkv
            = trainableConcat(layer.qkv, {p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"}, out);
        if (!qkv)
            return qkv.error();
        layer.qkv = std::move(*qkv);
        auto o = trainableDense(layer.o.get(), p + "self_attn.o_proj", out);
        if (!o)
            return o.error();
        layer.o = std::move(*o);
        layer.postNorm = leaf(layer.postNorm);
        out.push_back({p + "post_attention_layernorm.weight", layer.postNorm});
        auto gateUp = trainableConcat(layer.gateUp, {p + "mlp.gate_proj", p + "mlp.up_proj"}, out);
        if (!gateUp)
            return gateUp.error();
        layer.gateUp = std::move(*gateUp);
        auto down = trainableDense(layer.down.get(), p + "mlp.down_proj", out);
        if (!down)
            return down.error();
        layer.down = std::move(*down);
    }
    w.finalNorm = leaf(w.finalNorm);
    out.push_back({"model.norm.weight", w.finalNorm});
    if (config.tieWordEmbeddings) {
        w.lmHead = std::make_unique<DenseLinear>(w.embed);
    } else {
        auto head = trainableDense(w.lmHead.get(), "lm_head", out);
        if (!head)
            return head.error();
        w.lmHead = std::move(*head);
    }
    return out;
}

Status saveHfModel(const fs::path& outDir, const std::vector<NamedParameter>& params, const ModelConfig& config,
                   const fs::path& baseDir)
{
    std::error_code ec;
    const fs::path tmp = outDir.parent_path() / (outDir.filename().string() + ".partial");
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp, ec);
    if (ec)
        return makeError("cannot create " + tmp.string() + ": " + ec.message());

    std::vector<TensorData> tensors;
    for (const auto& p : params) {
        auto c = p.tensor.detach().to(torch::kCPU).to(torch::kFloat).contiguous();
        TensorData d;
        d.name = p.name;
        d.dtype = DType::F32;
        d.shape = c.sizes().vec();
        d.data.resize(static_cast<size_t>(c.numel()) * sizeof(float));
        std::memcpy(d.data.data(), c.data_ptr<float>(), d.data.size());
        tensors.push_back(std::move(d));
    }
    if (auto s = writeSafetensors(tmp / "model.safetensors", tensors); !s)
        return s;
    auto json = modelConfigToJson(config);
    json["torch_dtype"] = "float32";
    {
        std::ofstream out(tmp / "config.json");
        out << json.dump(2) << '\n';
        if (!out)
            return makeError("cannot write " + (tmp / "config.json").string());
    }
    for (const char* name : {"tokenizer.json", "tokenizer_config.json", "generation_config.json", "chat_template.jinja",
                             "special_tokens_map.json"}) {
        if (fs::exists(baseDir / name)) {
            fs::copy_file(baseDir / name, tmp / name, fs::copy_options::overwrite_existing, ec);
            if (ec)
                return makeError("cannot copy " + (baseDir / name).string() + ": " + ec.message());
        }
    }
    fs::remove_all(outDir, ec);
    fs::rename(tmp, outDir, ec);
    if (ec)
        return makeError("cannot move " + tmp.string() + " to " + outDir.string() + ": " + ec.message());
    return {};
}

} // namespace ts::train

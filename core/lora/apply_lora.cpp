// Replacing decoder projections by LoRA layers (see apply_lora.h).
#include "lora/apply_lora.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/engine_impl.h"

namespace ts::lora {

namespace {

const char* const kProjections[] = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

uint64_t fnv1a(const std::string& text)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

class Converter
{
public:
    Converter(const LoraConfig& lora, bool quantizeBase, const ApplyLoraOptions& options, std::set<std::string> targets)
        : m_lora(lora)
        , m_quantize(quantizeBase)
        , m_options(options)
        , m_targets(std::move(targets))
        , m_buffer(std::make_shared<engine::DequantBuffer>())
    { }

    std::vector<LoraModule>& modules() { return m_modules; }

    // The replacement of one projection (`module`: HF path, `shortName`: e.g. "q_proj").
    Expected<std::unique_ptr<engine::Linear>> convert(const engine::Linear& part, const std::string& module,
                                                      const std::string& shortName)
    {
        if (m_options.cancel.stopRequested())
            return cancelledError();
        if (dynamic_cast<const LoraLinear*>(&part))
            return makeError(module + " already has a LoRA adapter");
        torch::Tensor dense, bias;
        engine::Nf4Weight nf4;
        if (const auto* d = dynamic_cast<const engine::DenseLinear*>(&part)) {
            dense = d->weight();
            bias = d->bias();
        } else if (const auto* q = dynamic_cast<const engine::Nf4Linear*>(&part)) {
            nf4 = q->weight();
            bias = q->bias();
        } else {
            return makeError(module + ": unsupported layer type (fused projections? load with fuseProjections=false)");
        }
        if (m_quantize && !nf4.defined()) {
            auto quantized = engine::Nf4Weight::quantize(dense, m_options.cancel, m_options.blocksize,
                                                         m_options.doubleQuant, m_options.device);
            if (!quantized)
                return quantized.error();
            nf4 = std::move(*quantized);
        }
        if (const auto& device = m_options.device) {
            if (nf4.defined())
                nf4 = nf4.to(*device);
            else
                dense = dense.to(*device);
            if (bias.defined())
                bias = bias.to(*device);
        }
        if (!m_targets.count(shortName)) {
            if (nf4.defined())
                return std::unique_ptr<engine::Linear>(std::make_unique<engine::Nf4Linear>(nf4, bias, m_buffer));
            return std::unique_ptr<engine::Linear>(std::make_unique<engine::DenseLinear>(dense, bias));
        }
        const uint64_t seed = m_options.seed ^ fnv1a(module);
        std::unique_ptr<LoraLinear> layer = nf4.defined()
            ? std::make_unique<LoraLinear>(nf4, bias, m_lora, seed, m_buffer, m_options.adapterDtype)
            : std::make_unique<LoraLinear>(dense, bias, m_lora, seed, m_options.adapterDtype);
        m_modules.push_back({module, layer.get()});
        return std::unique_ptr<engine::Linear>(std::move(layer));
    }

private:
    const LoraConfig& m_lora;
    bool m_quantize;
    ApplyLoraOptions m_options;
    std::set<std::string> m_targets;
    std::shared_ptr<engine::DequantBuffer> m_buffer;
    std::vector<LoraModule> m_modules;
};

} // namespace

Expected<std::vector<LoraModule>> applyLora(engine::TransformerWeights& weights, const ModelConfig& config,
                                            const LoraConfig& lora, bool quantizeBase, const ApplyLoraOptions& options)
{
    if (lora.r < 1)
        return makeError("LoRA rank r must be at least 1, got " + std::to_string(lora.r));
    if (!(lora.dropout >= 0.0 && lora.dropout < 1.0))
        return makeError("LoRA dropout must be in [0, 1), got " + std::to_string(lora.dropout));
    if (!std::isfinite(lora.alpha))
        return makeError("LoRA alpha must be a finite number");
    if (!isValidBnb4bitBlocksize(options.blocksize))
        return makeError("NF4 blocksize " + std::to_string(options.blocksize) + " is not supported");
    std::set<std::string> targets;
    for (const auto& t : lora.targetModules) {
        if (t == "all-linear") {
            targets.insert(std::begin(kProjections), std::end(kProjections));
            continue;
        }
        if (std::find(std::begin(kProjections), std::end(kProjections), t) == std::end(kProjections))
            return makeError("LoRA target module '" + t
                             + "' is not supported (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj or "
                               "all-linear)");
        targets.insert(t);
    }
    if (targets.empty())
        return makeError("LoRA needs at least one target module");
    if (static_cast<int64_t>(weights.layers.size()) != config.numLayers)
        return makeError("the weights have " + std::to_string(weights.layers.size()) + " layers, the config "
                         + std::to_string(config.numLayers));
    // Check the layout of every layer before changing anything.
    for (size_t l = 0; l < weights.layers.size(); ++l) {
        const auto& layer = weights.layers[l];
        const auto* qkv = dynamic_cast<const engine::ConcatLinear*>(layer.qkv.get());
        const auto* gateUp = dynamic_cast<const engine::ConcatLinear*>(layer.gateUp.get());
        if (!qkv || qkv->parts().size() != 3 || !gateUp || gateUp->parts().size() != 2)
            return makeError("layer " + std::to_string(l)
                             + ": q/k/v or gate/up are fused; load the weights with fuseProjections=false for LoRA");
    }

    return engine::guarded<std::vector<LoraModule>>("applying LoRA", [&]() -> Expected<std::vector<LoraModule>> {
        Converter convert(lora, quantizeBase, options, targets);
        // New layers are built first and swapped in at the end, so an error leaves the model as it was.
        struct NewLayer
        {
            std::unique_ptr<engine::Linear> qkv, o, gateUp, down;
        };
        std::vector<NewLayer> built;
        for (size_t l = 0; l < weights.layers.size(); ++l) {
            const auto& layer = weights.layers[l];
            const std::string p = "model.layers." + std::to_string(l) + ".";
            const auto& qkv = static_cast<const engine::ConcatLinear&>(*layer.qkv).parts();
            const auto& gateUp = static_cast<const engine::ConcatLinear&>(*layer.gateUp).parts();
            NewLayer n;
            std::vector<std::unique_ptr<engine::Linear>> parts;
            for (int i = 0; i < 3; ++i) {
                auto part = convert.convert(*qkv[static_cast<size_t>(i)], p + "self_attn." + kProjections[i],
                                            kProjections[i]);
                if (!part)
                    return part.error();
                parts.push_back(std::move(*part));
            }
            n.qkv = std::make_unique<engine::ConcatLinear>(std::move(parts));
            auto o = convert.convert(*layer.o, p + "self_attn.o_proj", "o_proj");
            if (!o)
                return o.error();
            n.o = std::move(*o);
            parts.clear();
            for (int i = 0; i < 2; ++i) {
                auto part = convert.convert(*gateUp[static_cast<size_t>(i)], p + "mlp." + kProjections[4 + i],
                                            kProjections[4 + i]);
                if (!part)
                    return part.error();
                parts.push_back(std::move(*part));
            }
            n.gateUp = std::make_unique<engine::ConcatLinear>(std::move(parts));
            auto down = convert.convert(*layer.down, p + "mlp.down_proj", "down_proj");
            if (!down)
                return down.error();
            n.down = std::move(*down);
            built.push_back(std::move(n));
        }
        for (size_t l = 0; l < built.size(); ++l) {
            auto& layer = weights.layers[l];
            layer.qkv = std::move(built[l].qkv);
            layer.o = std::move(built[l].o);
            layer.gateUp = std::move(built[l].gateUp);
            layer.down = std::move(built[l].down);
        }
        return std::move(convert.modules());
    });
}

void setLoraTraining(const std::vector<LoraModule>& modules, bool training)
{
    for (const auto& m : modules)
        m.layer->setTraining(training);
}

} // namespace ts::lora

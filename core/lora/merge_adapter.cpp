#include "lora/merge_adapter.h"

#include <map>
#include <regex>

#include "engine/nf4_weight.h"

namespace ts::lora {

namespace {

using engine::ConcatLinear;
using engine::DenseLinear;
using engine::Linear;

// Where one HF projection lives in a decoder layer: the Linear slot and, when fused, its rows.
struct Slot
{
    std::unique_ptr<Linear>* linear = nullptr; // layer.qkv / o / gateUp / down
    int part = 0; // index among the fused projections of that slot (q 0, k 1, v 2; gate 0, up 1)
};

// The editable weights of a slot as one list of (out_i, in) matrices, whatever the slot holds:
// a fused DenseLinear is split by rows, a ConcatLinear by parts. Tensors are cloned (the
// checkpoint mapping is read-only).
struct Editable
{
    std::vector<torch::Tensor> weights;
    std::vector<torch::Tensor> biases;
    bool fused = false;
};

Expected<Editable> editable(const std::unique_ptr<Linear>& linear, const std::vector<int64_t>& rows,
                            const std::string& what)
{
    Editable e;
    if (auto* dense = dynamic_cast<DenseLinear*>(linear.get())) {
        e.fused = rows.size() > 1;
        auto w = dense->weight().to(torch::kFloat).clone();
        auto b = dense->bias().defined() ? dense->bias().to(torch::kFloat).clone() : torch::Tensor();
        int64_t at = 0;
        for (int64_t n : rows) {
            e.weights.push_back(w.narrow(0, at, n).clone());
            e.biases.push_back(b.defined() ? b.narrow(0, at, n).clone() : torch::Tensor());
            at += n;
        }
        if (at != w.size(0))
            return makeError(what + ": the loaded weight has " + std::to_string(w.size(0)) + " rows, expected "
                             + std::to_string(at));
        return e;
    }
    if (auto* concat = dynamic_cast<ConcatLinear*>(linear.get())) {
        if (concat->parts().size() != rows.size())
            return makeError(what + ": unexpected projection layout");
        for (const auto& part : concat->parts()) {
            auto* d = dynamic_cast<DenseLinear*>(part.get());
            if (!d)
                return makeError(what + ": the base is quantized; merge needs dense weights");
            e.weights.push_back(d->weight().to(torch::kFloat).clone());
            e.biases.push_back(d->bias().defined() ? d->bias().to(torch::kFloat).clone() : torch::Tensor());
        }
        return e;
    }
    return makeError(what + ": the base is quantized; merge needs dense weights");
}

std::unique_ptr<Linear> rebuild(const Editable& e, torch::ScalarType dtype)
{
    if (e.weights.size() == 1)
        return std::make_unique<DenseLinear>(e.weights[0].to(dtype).contiguous(),
                                             e.biases[0].defined() ? e.biases[0].to(dtype) : torch::Tensor());
    if (e.fused) {
        torch::Tensor bias;
        if (e.biases[0].defined())
            bias = torch::cat(e.biases).to(dtype);
        return std::make_unique<DenseLinear>(torch::cat(e.weights).to(dtype).contiguous(), bias);
    }
    std::vector<std::unique_ptr<Linear>> parts;
    for (size_t i = 0; i < e.weights.size(); ++i)
        parts.push_back(std::make_unique<DenseLinear>(e.weights[i].to(dtype).contiguous(),
                                                      e.biases[i].defined() ? e.biases[i].to(dtype) : torch::Tensor()));
    return std::make_unique<ConcatLinear>(std::move(parts));
}

} // namespace

Status mergeAdapter(engine::TransformerWeights& weights, const ModelConfig& c, const PeftAdapter& adapter,
                    const MergeOptions& options)
{
    const int64_t H = c.numHeads, KV = c.numKvHeads, D = c.headDim, F = c.intermediateSize;
    const std::map<std::string, std::pair<int, int>> kinds
        = {{"self_attn.q_proj", {0, 0}}, {"self_attn.k_proj", {0, 1}}, {"self_attn.v_proj", {0, 2}},
           {"self_attn.o_proj", {1, 0}}, {"mlp.gate_proj", {2, 0}},    {"mlp.up_proj", {2, 1}},
           {"mlp.down_proj", {3, 0}}};
    const std::vector<std::vector<int64_t>> slotRows
        = {{H * D, KV * D, KV * D}, {c.hiddenSize}, {F, F}, {c.hiddenSize}};
    const torch::ScalarType dtype = weights.embed.scalar_type();

    // Group the adapter's modules by (layer, slot), checking names and shapes first.
    struct Delta
    {
        int part;
        const PeftLoraModule* module;
    };
    std::map<std::pair<int64_t, int>, std::vector<Delta>> bySlot;
    static const std::regex pattern(R"(^model\.layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)$)");
    for (const auto& m : adapter.modules) {
        std::smatch match;
        if (!std::regex_match(m.module, match, pattern))
            return makeError("adapter module " + m.module + ": not a decoder projection of this architecture");
        const int64_t layer = std::stoll(match[1].str());
        if (layer < 0 || layer >= static_cast<int64_t>(weights.layers.size()))
            return makeError("adapter module " + m.module + ": the model has " + std::to_string(weights.layers.size())
                             + " layers");
        const auto [slot, part] = kinds.at(match[2].str());
        const int64_t out = slotRows[static_cast<size_t>(slot)][static_cast<size_t>(part)];
        const int64_t in = slot == 1 ? H * D : slot == 3 ? F : c.hiddenSize;
        if (m.out != out || m.in != in)
            return makeError("adapter module " + m.module + ": shape (" + std::to_string(m.out) + ", "
                             + std::to_string(m.in) + ") does not match the model's (" + std::to_string(out) + ", "
                             + std::to_string(in) + ")");
        bySlot[{layer, slot}].push_back({part, &m});
    }

    const double scaling = adapter.lora.scaling();
    for (int64_t l = 0; l < static_cast<int64_t>(weights.layers.size()); ++l) {
        auto& layer = weights.layers[static_cast<size_t>(l)];
        std::unique_ptr<Linear>* slots[4] = {&layer.qkv, &layer.o, &layer.gateUp, &layer.down};
        for (int slot = 0; slot < 4; ++slot) {
            auto it = bySlot.find({l, slot});
            if (it == bySlot.end() && !options.nf4Base)
                continue;
            const std::string what = "layer " + std::to_string(l) + " projection " + std::to_string(slot);
            auto e = editable(*slots[slot], slotRows[static_cast<size_t>(slot)], what);
            if (!e)
                return e.error();
            if (options.nf4Base)
                for (auto& w : e->weights)
                    w = engine::Nf4Weight::quantize(w, options.blocksize, options.doubleQuant)
                            .dequantize(torch::kFloat);
            if (it != bySlot.end())
                for (const auto& d : it->second) {
                    const auto& m = *d.module;
                    const int64_t r = m.rank();
                    auto A = torch::from_blob(const_cast<float*>(m.a.data()), {r, m.in}, torch::kFloat);
                    auto B = torch::from_blob(const_cast<float*>(m.b.data()), {m.out, r}, torch::kFloat);
                    e->weights[static_cast<size_t>(d.part)].add_(torch::mm(B, A), scaling);
                }
            *slots[slot] = rebuild(*e, dtype);
        }
    }
    return {};
}

} // namespace ts::lora

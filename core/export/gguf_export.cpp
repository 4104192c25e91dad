// GGUF export: llama/qwen2 metadata, tensor renaming, q/k un-permutation, per-row conversion streamed to disk.
#include "export/gguf_export.h"

#include <cmath>
#include <numbers>
#include <optional>
#include <regex>
#include <set>

#include "export/gguf_vocab.h"
#include "export/gguf_writer.h"
#include "model/model_config.h"
#include "model/safetensors.h"

namespace ts {

using gguf::GgmlType;

namespace {

// llama.cpp's llama_ftype values for general.file_type.
uint32_t fileTypeOf(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return 0; // LLAMA_FTYPE_ALL_F32
    case GgmlType::F16:
        return 1; // LLAMA_FTYPE_MOSTLY_F16
    case GgmlType::Q8_0:
        return 7; // LLAMA_FTYPE_MOSTLY_Q8_0
    case GgmlType::BF16:
        return 32; // LLAMA_FTYPE_MOSTLY_BF16
    }
    return 0;
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

// One GGUF tensor to write: its source, target name/type and an optional row permutation.
struct Plan
{
    const TensorView* source = nullptr;
    std::string name;
    std::vector<int64_t> shape; // PyTorch order
    GgmlType type = GgmlType::F32;
    std::vector<int64_t> rowOrder; // empty = identity; else output row r reads source row rowOrder[r]
    std::vector<float> values; // for generated tensors (rope_freqs)
};

// Maps a Hugging Face tensor name to its GGUF name ("" when it has no GGUF counterpart to write).
std::optional<std::string> ggufName(const std::string& hf, int64_t layers)
{
    if (hf == "model.embed_tokens.weight")
        return std::string("token_embd.weight");
    if (hf == "model.norm.weight")
        return std::string("output_norm.weight");
    if (hf == "lm_head.weight")
        return std::string("output.weight");
    static const std::regex layer(R"(model\.layers\.(\d+)\.(.+)\.(weight|bias))");
    std::smatch m;
    if (!std::regex_match(hf, m, layer))
        return std::nullopt;
    const int64_t index = std::stoll(m[1].str());
    if (index >= layers)
        return std::nullopt;
    static const std::pair<const char*, const char*> kModules[] = {
        {"input_layernorm", "attn_norm"}, {"post_attention_layernorm", "ffn_norm"},
        {"self_attn.q_proj", "attn_q"},   {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},   {"self_attn.o_proj", "attn_output"},
        {"mlp.gate_proj", "ffn_gate"},    {"mlp.up_proj", "ffn_up"},
        {"mlp.down_proj", "ffn_down"},
    };
    for (const auto& [from, to] : kModules)
        if (m[2].str() == from)
            return "blk." + m[1].str() + "." + to + "." + m[3].str();
    return std::nullopt;
}

// Expected PyTorch shape of a GGUF tensor for this config (empty = unknown name).
std::vector<int64_t> expectedShape(const std::string& name, const ModelConfig& c)
{
    const int64_t qDim = c.numHeads * c.headDim, kvDim = c.numKvHeads * c.headDim;
    if (name == "token_embd.weight" || name == "output.weight")
        return {c.vocabSize, c.hiddenSize};
    if (name == "output_norm.weight")
        return {c.hiddenSize};
    const auto dot = name.find('.', 4);
    const std::string rest = name.substr(dot + 1); // e.g. "attn_q.weight"
    if (rest == "attn_norm.weight" || rest == "ffn_norm.weight")
        return {c.hiddenSize};
    if (rest == "attn_q.weight")
        return {qDim, c.hiddenSize};
    if (rest == "attn_k.weight" || rest == "attn_v.weight")
        return {kvDim, c.hiddenSize};
    if (rest == "attn_output.weight")
        return {c.hiddenSize, qDim};
    if (rest == "ffn_gate.weight" || rest == "ffn_up.weight")
        return {c.intermediateSize, c.hiddenSize};
    if (rest == "ffn_down.weight")
        return {c.hiddenSize, c.intermediateSize};
    if (rest == "attn_q.bias")
        return {qDim};
    if (rest == "attn_k.bias" || rest == "attn_v.bias")
        return {kvDim};
    if (rest == "attn_output.bias" || rest == "ffn_down.bias")
        return {c.hiddenSize};
    if (rest == "ffn_gate.bias" || rest == "ffn_up.bias")
        return {c.intermediateSize};
    return {};
}

std::optional<gguf::SourceType> sourceType(DType dtype)
{
    switch (dtype) {
    case DType::F32:
        return gguf::SourceType::F32;
    case DType::F16:
        return gguf::SourceType::F16;
    case DType::BF16:
        return gguf::SourceType::BF16;
    default:
        return std::nullopt;
    }
}

// Streams one planned tensor: source rows → float → target encoding, buffered in ~4 MiB chunks.
Status produce(const Plan& plan, gguf::TensorSink& sink)
{
    const int64_t rowLength = plan.shape.back();
    int64_t rows = 1;
    for (size_t i = 0; i + 1 < plan.shape.size(); ++i)
        rows *= plan.shape[i];
    const size_t rowBytes = gguf::typeBytes(plan.type, rowLength);
    std::vector<float> row(static_cast<size_t>(rowLength));
    const size_t chunkRows = std::max<size_t>(1, (4u << 20) / std::max<size_t>(rowBytes, 1));
    std::vector<std::byte> buffer;
    buffer.reserve(chunkRows * rowBytes);
    const gguf::SourceType srcType = plan.source ? *sourceType(plan.source->dtype) : gguf::SourceType::F32;
    const size_t srcRowBytes = plan.source ? dtypeSize(plan.source->dtype) * static_cast<size_t>(rowLength) : 0;
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t from = plan.rowOrder.empty() ? r : plan.rowOrder[static_cast<size_t>(r)];
        if (plan.source)
            gguf::toF32(srcType, plan.source->data + static_cast<size_t>(from) * srcRowBytes,
                        static_cast<size_t>(rowLength), row.data());
        else
            std::copy_n(plan.values.begin() + from * rowLength, rowLength, row.begin());
        const size_t at = buffer.size();
        buffer.resize(at + rowBytes);
        gguf::encodeRow(plan.type, row.data(), rowLength, buffer.data() + at);
        if (buffer.size() >= chunkRows * rowBytes || r + 1 == rows) {
            if (auto st = sink.write(buffer.data(), buffer.size()); !st)
                return st;
            buffer.clear();
        }
    }
    return {};
}

} // namespace

std::vector<int64_t> llamaQkRowOrder(int64_t heads, int64_t headDim)
{
    std::vector<int64_t> order(static_cast<size_t>(heads * headDim));
    const int64_t half = headDim / 2;
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t i = 0; i < half; ++i)
            for (int64_t j = 0; j < 2; ++j)
                order[static_cast<size_t>(h * headDim + 2 * i + j)] = h * headDim + j * half + i;
    return order;
}

std::vector<float> llama3RopeFactors(double ropeTheta, int64_t headDim, double factor, double lowFreqFactor,
                                     double highFreqFactor, int64_t originalMaxPositions)
{
    const double lowFreqWavelen = static_cast<double>(originalMaxPositions) / lowFreqFactor;
    const double highFreqWavelen = static_cast<double>(originalMaxPositions) / highFreqFactor;
    std::vector<float> factors;
    for (int64_t i = 0; i < headDim; i += 2) {
        const double invFreq = 1.0 / std::pow(ropeTheta, static_cast<double>(i) / static_cast<double>(headDim));
        const double wavelen = 2.0 * std::numbers::pi / invFreq;
        if (wavelen < highFreqWavelen) {
            factors.push_back(1.0f);
        } else if (wavelen > lowFreqWavelen) {
            factors.push_back(static_cast<float>(factor));
        } else {
            const double smooth = (static_cast<double>(originalMaxPositions) / wavelen - lowFreqFactor)
                / (highFreqFactor - lowFreqFactor);
            factors.push_back(static_cast<float>(1.0 / ((1.0 - smooth) / factor + smooth)));
        }
    }
    return factors;
}

Expected<GgufExportInfo> exportGguf(const std::filesystem::path& modelDir, const std::filesystem::path& out,
                                    GgufType type, const CancelToken& cancel, ProgressSink& progress)
{
    GgufExportOptions options;
    options.type = type;
    return exportGguf(modelDir, out, options, cancel, progress);
}

Expected<GgufExportInfo> exportGguf(const std::filesystem::path& modelDir, const std::filesystem::path& out,
                                    const GgufExportOptions& options, const CancelToken& cancel, ProgressSink& progress)
{
    if (!std::filesystem::is_directory(modelDir))
        return makeError("model folder " + modelDir.string() + " does not exist");
    if (!std::filesystem::exists(modelDir / "config.json"))
        return makeError("no config.json in " + modelDir.string());
    auto config = loadModelConfig(modelDir / "config.json");
    if (!config)
        return config.error();
    const ModelConfig& c = *config;
    if (c.hiddenAct != "silu")
        return makeError(modelDir.string() + "/config.json: hidden_act '" + c.hiddenAct
                         + "' is not supported by the GGUF export (silu only)");
    if (c.headDim % 2 != 0)
        return makeError(modelDir.string() + "/config.json: head_dim " + std::to_string(c.headDim) + " is odd");
    if (c.ropeScaling && c.ropeScaling->type != "llama3")
        return makeError(modelDir.string() + "/config.json: rope_scaling type '" + c.ropeScaling->type
                         + "' is not supported by the GGUF export");

    auto model = SafetensorsModel::open(modelDir);
    if (!model)
        return model.error();
    auto vocab = gguf::loadGgufVocab(modelDir, c.vocabSize);
    if (!vocab)
        return vocab.error();

    GgufExportInfo info;
    info.file = out;
    info.type = options.type;
    const bool qwen = c.arch == ModelArch::Qwen2;
    const std::string arch = qwen ? "qwen2" : "llama";
    info.architecture = arch;

    gguf::GgufWriter writer;
    writer.setString("general.architecture", arch);
    writer.setString("general.type", "model");
    std::string name = std::filesystem::absolute(modelDir).lexically_normal().filename().string();
    if (name.empty())
        name = std::filesystem::absolute(modelDir).lexically_normal().parent_path().filename().string();
    writer.setString("general.name", name);
    writer.setU32("general.file_type", fileTypeOf(options.type));
    if (options.type == GgmlType::Q8_0)
        writer.setU32("general.quantization_version", 2);
    auto u32 = [&](const std::string& key, int64_t v) { writer.setU32(arch + "." + key, static_cast<uint32_t>(v)); };
    u32("vocab_size", c.vocabSize);
    u32("context_length", c.maxPositionEmbeddings);
    u32("embedding_length", c.hiddenSize);
    u32("block_count", c.numLayers);
    u32("feed_forward_length", c.intermediateSize);
    u32("attention.head_count", c.numHeads);
    u32("attention.head_count_kv", c.numKvHeads);
    u32("rope.dimension_count", c.headDim);
    if (c.headDim * c.numHeads != c.hiddenSize) {
        u32("attention.key_length", c.headDim);
        u32("attention.value_length", c.headDim);
    }
    writer.setF32(arch + ".rope.freq_base", static_cast<float>(c.ropeTheta));
    writer.setF32(arch + ".attention.layer_norm_rms_epsilon", static_cast<float>(c.rmsNormEps));
    gguf::writeGgufVocab(writer, *vocab);
    if (c.slidingWindow && *c.slidingWindow < c.maxPositionEmbeddings)
        info.notes.push_back("sliding_window " + std::to_string(*c.slidingWindow) + " is not stored: llama.cpp's "
                             + arch + " architecture attends to the full context");

    // Plan every tensor before writing anything, so that naming and shape errors leave no file behind.
    std::vector<Plan> plans;
    std::set<std::string> seen;
    for (const std::string& hf : model->get()->names()) {
        const TensorView* view = model->get()->find(hf);
        if (hf.find(".absmax") != std::string::npos || hf.find("quant_state") != std::string::npos)
            return makeError("tensor " + hf
                             + ": 4-bit (bitsandbytes) checkpoints cannot be exported to GGUF; "
                               "export the 16-bit base model or a merged model");
        if (hf.ends_with("rotary_emb.inv_freq"))
            continue; // recomputed by llama.cpp
        auto target = ggufName(hf, c.numLayers);
        if (!target)
            return makeError("tensor " + hf + " has no GGUF counterpart for architecture "
                             + std::string(archName(c.arch)));
        if (*target == "output.weight" && c.tieWordEmbeddings)
            continue; // tied: llama.cpp reuses token_embd
        if (!sourceType(view->dtype))
            return makeError("tensor " + hf + " has dtype " + std::string(dtypeName(view->dtype))
                             + "; GGUF export reads F32, F16 and BF16");
        const auto expected = expectedShape(*target, c);
        if (expected.empty())
            return makeError("tensor " + hf + " (" + *target + ") is not part of the " + arch + " GGUF layout");
        if (view->shape != expected)
            return makeError("tensor " + hf + " has shape " + shapeText(view->shape) + ", config.json implies "
                             + shapeText(expected));
        Plan plan;
        plan.source = view;
        plan.name = *target;
        plan.shape = view->shape;
        if (plan.shape.size() == 1) {
            plan.type = GgmlType::F32;
        } else if (options.type == GgmlType::Q8_0 && plan.shape.back() % gguf::kQ8BlockSize != 0) {
            plan.type = GgmlType::F16;
        } else {
            plan.type = options.type;
        }
        if (!qwen && !options.skipQkPermutation) {
            const bool isQ = plan.name.ends_with(".attn_q.weight") || plan.name.ends_with(".attn_q.bias");
            const bool isK = plan.name.ends_with(".attn_k.weight") || plan.name.ends_with(".attn_k.bias");
            if (isQ || isK)
                plan.rowOrder = llamaQkRowOrder(isQ ? c.numHeads : c.numKvHeads, c.headDim);
        }
        seen.insert(plan.name);
        plans.push_back(std::move(plan));
    }

    // Required tensors.
    std::vector<std::string> required = {"token_embd.weight", "output_norm.weight"};
    if (!c.tieWordEmbeddings)
        required.push_back("output.weight");
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        for (const char* t : {"attn_norm.weight", "ffn_norm.weight", "attn_q.weight", "attn_k.weight", "attn_v.weight",
                              "attn_output.weight", "ffn_gate.weight", "ffn_up.weight", "ffn_down.weight"})
            required.push_back(p + t);
        if (c.attentionBias)
            for (const char* t : {"attn_q.bias", "attn_k.bias", "attn_v.bias"})
                required.push_back(p + t);
    }
    for (const auto& r : required)
        if (!seen.count(r))
            return makeError(
                modelDir.string() + ": the checkpoint has no tensor for " + r
                + (r == "output.weight" ? " (lm_head.weight; config.json says tie_word_embeddings=false)" : ""));

    // Writing order: embeddings, rope factors, layers in order, final norm, output.
    auto rank = [](const std::string& n) -> std::pair<int64_t, std::string> {
        if (n == "token_embd.weight")
            return {-2, n};
        if (n == "rope_freqs.weight")
            return {-1, n};
        if (n.starts_with("blk.")) {
            const auto dot = n.find('.', 4);
            return {std::stoll(n.substr(4, dot - 4)), n};
        }
        return {1LL << 40, n};
    };
    if (c.ropeScaling && !qwen) {
        Plan plan;
        plan.name = "rope_freqs.weight";
        plan.values = llama3RopeFactors(c.ropeTheta, c.headDim, c.ropeScaling->factor, c.ropeScaling->lowFreqFactor,
                                        c.ropeScaling->highFreqFactor, c.ropeScaling->originalMaxPositionEmbeddings);
        plan.shape = {static_cast<int64_t>(plan.values.size())};
        plans.push_back(std::move(plan));
    } else if (c.ropeScaling) {
        return makeError(modelDir.string() + "/config.json: llama3 rope_scaling on qwen2 is not supported");
    }
    std::stable_sort(plans.begin(), plans.end(),
                     [&](const Plan& a, const Plan& b) { return rank(a.name) < rank(b.name); });

    for (const Plan& plan : plans) {
        const Plan* p = &plan;
        if (auto st = writer.addTensor(plan.name, plan.shape, plan.type,
                                       [p](gguf::TensorSink& sink) { return produce(*p, sink); });
            !st)
            return st.error();
    }
    if (auto st = writer.write(out, cancel, progress); !st)
        return st.error();
    info.tensors = writer.tensorCount();
    std::error_code ec;
    info.bytes = std::filesystem::file_size(out, ec);
    return info;
}

} // namespace ts

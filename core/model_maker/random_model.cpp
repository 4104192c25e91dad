// Random model folders (see random_model.h).
#include "model_maker/random_model.h"

#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "common/json_file.h"
#include "model/safetensors_writer.h"

namespace ts {

namespace {

using json = nlohmann::json;

Status writeJson(const std::filesystem::path& path, const json& j)
{
    std::ofstream out(path, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out)
        return makeError(path.string() + ": cannot write");
    return {};
}

// Token text → id over model.vocab and added_tokens.
struct TokenizerIds
{
    int64_t size = 0;
    std::map<std::string, int32_t> special; // added tokens only
    std::map<std::string, int32_t> vocab;
};

Expected<TokenizerIds> readTokenizerIds(const std::filesystem::path& path)
{
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    TokenizerIds ids;
    int64_t maxId = -1;
    if (j->contains("model") && (*j)["model"].contains("vocab")) {
        const auto& vocab = (*j)["model"]["vocab"];
        if (vocab.is_object()) {
            for (auto it = vocab.begin(); it != vocab.end(); ++it)
                if (it.value().is_number_integer()) {
                    maxId = std::max<int64_t>(maxId, it.value().get<int64_t>());
                    ids.vocab[it.key()] = it.value().get<int32_t>();
                }
        } else if (vocab.is_array()) { // Unigram: [[piece, score], ...]
            maxId = static_cast<int64_t>(vocab.size()) - 1;
            for (size_t i = 0; i < vocab.size(); ++i)
                if (vocab[i].is_array() && !vocab[i].empty() && vocab[i][0].is_string())
                    ids.vocab[vocab[i][0].get<std::string>()] = static_cast<int32_t>(i);
        }
    }
    if (j->contains("added_tokens") && (*j)["added_tokens"].is_array())
        for (const auto& t : (*j)["added_tokens"])
            if (t.contains("id") && t["id"].is_number_integer() && t.contains("content") && t["content"].is_string()) {
                maxId = std::max<int64_t>(maxId, t["id"].get<int64_t>());
                ids.special[t["content"].get<std::string>()] = t["id"].get<int32_t>();
            }
    if (maxId < 0)
        return makeError(path.string() + ": no vocabulary found (model.vocab / added_tokens)");
    ids.size = maxId + 1;
    return ids;
}

std::optional<int32_t> lookup(const TokenizerIds& ids, const std::string& token)
{
    if (auto it = ids.special.find(token); it != ids.special.end())
        return it->second;
    if (auto it = ids.vocab.find(token); it != ids.vocab.end())
        return it->second;
    return std::nullopt;
}

// tokenizer_config.json "bos_token"/"eos_token": a string or {"content": ...}.
std::optional<std::string> specialTokenText(const json& config, const char* key)
{
    if (!config.contains(key))
        return std::nullopt;
    const auto& v = config[key];
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string())
        return v["content"].get<std::string>();
    return std::nullopt;
}

class WeightMaker
{
public:
    WeightMaker(uint64_t seed, double std, DType dtype)
        : m_rng(seed)
        , m_std(std)
        , m_dtype(dtype)
    { }

    void normal(const std::string& name, std::vector<int64_t> shape, double mean, double std)
    {
        int64_t n = 1;
        for (auto d : shape)
            n *= d;
        std::vector<float> values(static_cast<size_t>(n));
        std::normal_distribution<float> dist(static_cast<float>(mean), static_cast<float>(std));
        for (auto& v : values)
            v = dist(m_rng);
        m_parameters += n;
        m_tensors.push_back(makeTensor(name, std::move(shape), values, m_dtype));
    }
    void matrix(const std::string& name, int64_t rows, int64_t cols) { normal(name, {rows, cols}, 0.0, m_std); }
    void bias(const std::string& name, int64_t n) { normal(name, {n}, 0.0, m_std); }
    void norm(const std::string& name, int64_t n) { normal(name, {n}, 1.0, 0.1); }

    std::vector<TensorData>& tensors() { return m_tensors; }
    int64_t parameters() const { return m_parameters; }

private:
    std::mt19937_64 m_rng;
    double m_std;
    DType m_dtype;
    std::vector<TensorData> m_tensors;
    int64_t m_parameters = 0;
};

} // namespace

Expected<int64_t> tokenizerVocabSize(const std::filesystem::path& tokenizerJson)
{
    auto ids = readTokenizerIds(tokenizerJson);
    if (!ids)
        return ids.error();
    return ids->size;
}

Expected<RandomModelInfo> writeRandomModel(const std::filesystem::path& dir, const RandomModelOptions& o)
{
    namespace fs = std::filesystem;
    if (o.dtype != DType::F32 && o.dtype != DType::F16 && o.dtype != DType::BF16)
        return makeError("random model: dtype must be F32, F16 or BF16");

    ModelConfig c;
    c.arch = o.arch;
    c.hiddenSize = o.hiddenSize;
    c.intermediateSize = o.intermediateSize;
    c.numLayers = o.numLayers;
    c.numHeads = o.numHeads;
    c.numKvHeads = o.numKvHeads;
    c.headDim = o.headDim > 0 ? o.headDim : (o.numHeads > 0 ? o.hiddenSize / o.numHeads : 0);
    c.maxPositionEmbeddings = o.maxPositionEmbeddings;
    c.rmsNormEps = o.rmsNormEps;
    c.ropeTheta = o.ropeTheta > 0 ? o.ropeTheta : (o.ropeLlama3 ? 500000.0 : 10000.0);
    if (o.ropeLlama3)
        c.ropeScaling = RopeScaling {"llama3", 8.0, 1.0, 4.0, 8192};
    c.tieWordEmbeddings = o.tied;
    c.attentionBias = o.arch == ModelArch::Qwen2;
    c.torchDtype = o.dtype == DType::F32 ? "float32" : (o.dtype == DType::F16 ? "float16" : "bfloat16");
    c.vocabSize = o.vocabSize;

    // Tokenizer: its size fixes vocab_size; bos/eos come from tokenizer_config.json.
    fs::path tokenizerJson, tokenizerConfig;
    std::error_code ec;
    if (!o.tokenizer.empty()) {
        if (fs::is_directory(o.tokenizer, ec)) {
            tokenizerJson = o.tokenizer / "tokenizer.json";
            tokenizerConfig = o.tokenizer / "tokenizer_config.json";
        } else {
            tokenizerJson = o.tokenizer;
            tokenizerConfig = o.tokenizer.parent_path() / "tokenizer_config.json";
        }
        if (!fs::exists(tokenizerJson, ec))
            return makeError(tokenizerJson.string() + ": no such file");
    }
    std::vector<int32_t> generationEos;
    if (!tokenizerJson.empty()) {
        auto ids = readTokenizerIds(tokenizerJson);
        if (!ids)
            return ids.error();
        if (o.vocabSize > 0 && o.vocabSize < ids->size)
            return makeError("random model: vocab size " + std::to_string(o.vocabSize)
                             + " is smaller than the tokenizer's " + std::to_string(ids->size));
        if (o.vocabSize <= 0)
            c.vocabSize = ids->size;
        if (fs::exists(tokenizerConfig, ec)) {
            auto tc = readJsonFile(tokenizerConfig);
            if (!tc)
                return tc.error();
            if (auto bos = specialTokenText(*tc, "bos_token"))
                if (auto id = lookup(*ids, *bos))
                    c.bosTokenIds = {*id};
            if (auto eos = specialTokenText(*tc, "eos_token"))
                if (auto id = lookup(*ids, *eos))
                    c.eosTokenIds = {*id};
        }
        generationEos = c.eosTokenIds;
        for (const char* t : {"<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|endoftext|>", "<|end_of_text|>", "</s>"})
            if (auto id = lookup(*ids, t))
                if (std::find(generationEos.begin(), generationEos.end(), *id) == generationEos.end())
                    generationEos.push_back(*id);
    } else if (o.vocabSize <= 0) {
        return makeError("random model: give a tokenizer or a vocab size");
    }

    // Validate through the same parser the engine uses.
    auto configJson = modelConfigToJson(c);
    auto checked = parseModelConfig(configJson, "random model config");
    if (!checked)
        return checked.error();

    fs::create_directories(dir, ec);
    if (ec)
        return makeError(dir.string() + ": cannot create folder: " + ec.message());

    // Weights, in the checkpoint's naming (transformers LlamaForCausalLM & co).
    const int64_t C = c.hiddenSize, F = c.intermediateSize, D = c.headDim;
    const int64_t q = c.numHeads * D, kv = c.numKvHeads * D, V = c.vocabSize;
    WeightMaker w(o.seed, o.initStd, o.dtype);
    w.matrix("model.embed_tokens.weight", V, C);
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        w.norm(p + "input_layernorm.weight", C);
        w.matrix(p + "self_attn.q_proj.weight", q, C);
        w.matrix(p + "self_attn.k_proj.weight", kv, C);
        w.matrix(p + "self_attn.v_proj.weight", kv, C);
        if (c.attentionBias) {
            w.bias(p + "self_attn.q_proj.bias", q);
            w.bias(p + "self_attn.k_proj.bias", kv);
            w.bias(p + "self_attn.v_proj.bias", kv);
        }
        w.matrix(p + "self_attn.o_proj.weight", C, q);
        w.norm(p + "post_attention_layernorm.weight", C);
        w.matrix(p + "mlp.gate_proj.weight", F, C);
        w.matrix(p + "mlp.up_proj.weight", F, C);
        w.matrix(p + "mlp.down_proj.weight", C, F);
    }
    w.norm("model.norm.weight", C);
    if (!c.tieWordEmbeddings)
        w.matrix("lm_head.weight", V, C);

    if (auto s = writeSafetensors(dir / "model.safetensors", w.tensors()); !s)
        return s.error();
    // A stale index from an earlier sharded write would shadow model.safetensors.
    fs::remove(dir / "model.safetensors.index.json", ec);
    if (auto s = writeJson(dir / "config.json", configJson); !s)
        return s.error();
    json gen = {{"_from_model_config", true}, {"transformers_version", "4.46.0"}};
    if (!c.bosTokenIds.empty())
        gen["bos_token_id"] = c.bosTokenIds[0];
    if (!generationEos.empty())
        gen["eos_token_id"] = generationEos.size() == 1 ? json(generationEos[0]) : json(generationEos);
    if (auto s = writeJson(dir / "generation_config.json", gen); !s)
        return s.error();

    if (!tokenizerJson.empty()) {
        fs::copy_file(tokenizerJson, dir / "tokenizer.json", fs::copy_options::overwrite_existing, ec);
        if (ec)
            return makeError(dir.string() + ": cannot copy tokenizer.json: " + ec.message());
        const fs::path from = tokenizerJson.parent_path();
        for (const char* name : {"tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"}) {
            if (fs::exists(from / name, ec)) {
                fs::copy_file(from / name, dir / name, fs::copy_options::overwrite_existing, ec);
                if (ec)
                    return makeError(dir.string() + ": cannot copy " + name + ": " + ec.message());
            }
        }
    }

    RandomModelInfo info;
    info.dir = dir;
    info.config = *checked;
    info.parameters = w.parameters();
    return info;
}

} // namespace ts

// config.json / generation_config.json parsing (see model_config.h).
#include "model/model_config.h"

#include <nlohmann/json.hpp>

#include "common/json_file.h"

namespace ts {

namespace {

using json = nlohmann::json;

struct ArchInfo
{
    ModelArch arch;
    const char* type;
    const char* className;
};

constexpr ArchInfo kArchs[] = {
    {ModelArch::Llama, "llama", "LlamaForCausalLM"},
    {ModelArch::Mistral, "mistral", "MistralForCausalLM"},
    {ModelArch::Qwen2, "qwen2", "Qwen2ForCausalLM"},
};

// Reads an int / list of ints / null token-id field.
bool readIdList(const json& v, std::vector<int32_t>& out)
{
    out.clear();
    if (v.is_null())
        return true;
    if (v.is_number_integer()) {
        out.push_back(v.get<int32_t>());
        return true;
    }
    if (v.is_array()) {
        for (const auto& e : v) {
            if (!e.is_number_integer())
                return false;
            out.push_back(e.get<int32_t>());
        }
        return true;
    }
    return false;
}

class Reader
{
public:
    Reader(const json& j, std::string label)
        : m_j(j)
        , m_label(std::move(label))
    { }

    const std::string& error() const { return m_error; }
    bool has(const char* key) const { return m_j.contains(key) && !m_j[key].is_null(); }

    int64_t requiredInt(const char* key)
    {
        if (!has(key)) {
            setError(std::string("missing required field \"") + key + "\"");
            return 0;
        }
        return intValue(key);
    }
    int64_t optionalInt(const char* key, int64_t fallback) { return has(key) ? intValue(key) : fallback; }
    double optionalDouble(const char* key, double fallback)
    {
        if (!has(key))
            return fallback;
        if (!m_j[key].is_number()) {
            setError(std::string("field \"") + key + "\" must be a number");
            return fallback;
        }
        return m_j[key].get<double>();
    }
    bool optionalBool(const char* key, bool fallback)
    {
        if (!has(key))
            return fallback;
        if (!m_j[key].is_boolean()) {
            setError(std::string("field \"") + key + "\" must be true or false");
            return fallback;
        }
        return m_j[key].get<bool>();
    }
    void setError(const std::string& e)
    {
        if (m_error.empty())
            m_error = m_label + ": " + e;
    }

private:
    int64_t intValue(const char* key)
    {
        const auto& v = m_j[key];
        if (v.is_number_integer())
            return v.get<int64_t>();
        if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())))
            return static_cast<int64_t>(v.get<double>());
        setError(std::string("field \"") + key + "\" must be an integer");
        return 0;
    }

    const json& m_j;
    std::string m_label;
    std::string m_error;
};

// rope_scaling / rope_parameters object → optional llama3 scaling (rope_theta may come along).
Status readRope(const json& rope, const std::string& label, ModelConfig& config)
{
    if (rope.is_null())
        return {};
    if (!rope.is_object())
        return makeError(label + ": rope_scaling must be an object or null");
    std::string type;
    if (rope.contains("rope_type") && rope["rope_type"].is_string())
        type = rope["rope_type"].get<std::string>();
    else if (rope.contains("type") && rope["type"].is_string())
        type = rope["type"].get<std::string>();
    if (rope.contains("rope_theta") && rope["rope_theta"].is_number())
        config.ropeTheta = rope["rope_theta"].get<double>();
    if (type.empty() || type == "default")
        return {};
    if (type != "llama3")
        return makeError(label + ": unsupported rope scaling type '" + type + "' (supported: default, llama3)");
    RopeScaling s;
    s.type = type;
    Reader r(rope, label + ": rope_scaling");
    if (!rope.contains("factor"))
        return makeError(label + ": rope_scaling of type llama3 needs \"factor\"");
    s.factor = r.optionalDouble("factor", s.factor);
    s.lowFreqFactor = r.optionalDouble("low_freq_factor", s.lowFreqFactor);
    s.highFreqFactor = r.optionalDouble("high_freq_factor", s.highFreqFactor);
    s.originalMaxPositionEmbeddings
        = r.optionalInt("original_max_position_embeddings", s.originalMaxPositionEmbeddings);
    if (!r.error().empty())
        return makeError(r.error());
    if (s.factor <= 0 || s.lowFreqFactor <= 0 || s.highFreqFactor <= s.lowFreqFactor
        || s.originalMaxPositionEmbeddings <= 0)
        return makeError(label
                         + ": invalid llama3 rope_scaling (need factor > 0, high_freq_factor > "
                           "low_freq_factor > 0, original_max_position_embeddings > 0)");
    config.ropeScaling = s;
    return {};
}

// quantization_config → QuantizationConfig (type errors are reported; unknown keys ignored).
Expected<QuantizationConfig> readQuantization(const json& q, const std::string& label)
{
    if (!q.is_object())
        return makeError(label + ": quantization_config must be an object");
    QuantizationConfig out;
    const std::string where = label + ": quantization_config";
    auto str = [&](const char* key, std::string& field) -> Status {
        if (!q.contains(key) || q[key].is_null())
            return {};
        if (!q[key].is_string())
            return makeError(where + ": \"" + key + "\" must be a string");
        field = q[key].get<std::string>();
        return {};
    };
    auto flag = [&](const char* key, bool& field) -> Status {
        if (!q.contains(key) || q[key].is_null())
            return {};
        if (!q[key].is_boolean())
            return makeError(where + ": \"" + key + "\" must be true or false");
        field = q[key].get<bool>();
        return {};
    };
    for (auto s : {str("quant_method", out.quantMethod), flag("load_in_4bit", out.loadIn4bit),
                   flag("load_in_8bit", out.loadIn8bit), str("bnb_4bit_quant_type", out.quantType),
                   flag("bnb_4bit_use_double_quant", out.useDoubleQuant),
                   str("bnb_4bit_compute_dtype", out.computeDtype), str("bnb_4bit_quant_storage", out.quantStorage)})
        if (!s)
            return s.error();
    if (out.quantMethod.empty())
        out.quantMethod = "bitsandbytes";
    if (q.contains("llm_int8_skip_modules") && !q["llm_int8_skip_modules"].is_null()) {
        const auto& skip = q["llm_int8_skip_modules"];
        if (!skip.is_array())
            return makeError(where + ": \"llm_int8_skip_modules\" must be a list of strings or null");
        for (const auto& m : skip) {
            if (!m.is_string())
                return makeError(where + ": \"llm_int8_skip_modules\" must be a list of strings or null");
            out.skipModules.push_back(m.get<std::string>());
        }
    }
    return out;
}

} // namespace

std::string_view archName(ModelArch arch)
{
    for (const auto& a : kArchs)
        if (a.arch == arch)
            return a.type;
    return "?";
}

std::string_view archClassName(ModelArch arch)
{
    for (const auto& a : kArchs)
        if (a.arch == arch)
            return a.className;
    return "?";
}

std::optional<ModelArch> archFromName(std::string_view name)
{
    for (const auto& a : kArchs)
        if (name == a.type || name == a.className)
            return a.arch;
    return std::nullopt;
}

Expected<ModelConfig> parseModelConfig(const json& j, const std::string& label)
{
    if (!j.is_object())
        return makeError(label + ": must be a JSON object");
    ModelConfig c;

    // Architecture: "architectures"[0] first, then "model_type".
    std::string archText;
    if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty()
        && j["architectures"][0].is_string())
        archText = j["architectures"][0].get<std::string>();
    else if (j.contains("model_type") && j["model_type"].is_string())
        archText = j["model_type"].get<std::string>();
    if (archText.empty())
        return makeError(label + ": no \"architectures\" or \"model_type\" field");
    auto arch = archFromName(archText);
    if (!arch)
        return makeError(label + ": unsupported architecture '" + archText
                         + "' (supported: LlamaForCausalLM/llama, MistralForCausalLM/mistral, Qwen2ForCausalLM/qwen2)");
    c.arch = *arch;
    const bool isLlama = c.arch == ModelArch::Llama;

    Reader r(j, label);
    c.hiddenSize = r.requiredInt("hidden_size");
    c.intermediateSize = r.requiredInt("intermediate_size");
    c.numLayers = r.requiredInt("num_hidden_layers");
    c.numHeads = r.requiredInt("num_attention_heads");
    c.vocabSize = r.requiredInt("vocab_size");
    c.numKvHeads = r.optionalInt("num_key_value_heads", c.numHeads);
    c.headDim = r.optionalInt("head_dim", c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0);
    c.maxPositionEmbeddings = r.optionalInt("max_position_embeddings", isLlama ? 2048 : 32768);
    c.rmsNormEps = r.optionalDouble("rms_norm_eps", 1e-6);
    c.ropeTheta = r.optionalDouble("rope_theta", 10000.0);
    c.tieWordEmbeddings = r.optionalBool("tie_word_embeddings", false);
    c.mlpBias = r.optionalBool("mlp_bias", false);
    if (c.arch == ModelArch::Qwen2) {
        c.attentionBias = true; // Qwen2 always has q/k/v biases, never o_proj
        c.oProjBias = false;
    } else if (isLlama) {
        c.attentionBias = r.optionalBool("attention_bias", false);
        c.oProjBias = c.attentionBias;
    }
    if (!r.error().empty())
        return makeError(r.error());

    if (j.contains("hidden_act") && j["hidden_act"].is_string())
        c.hiddenAct = j["hidden_act"].get<std::string>();
    if (c.hiddenAct != "silu" && c.hiddenAct != "swish")
        return makeError(label + ": unsupported hidden_act '" + c.hiddenAct + "' (only silu)");

    if (j.contains("rope_parameters")) {
        if (auto s = readRope(j["rope_parameters"], label, c); !s)
            return s.error();
    }
    if (j.contains("rope_scaling")) {
        if (auto s = readRope(j["rope_scaling"], label, c); !s)
            return s.error();
    }

    // Sliding window: Mistral uses it whenever set; Qwen2 only with use_sliding_window.
    if (j.contains("sliding_window") && j["sliding_window"].is_number_integer()) {
        bool enabled
            = c.arch == ModelArch::Mistral || (c.arch == ModelArch::Qwen2 && j.value("use_sliding_window", false));
        if (enabled && j["sliding_window"].get<int64_t>() > 0)
            c.slidingWindow = j["sliding_window"].get<int64_t>();
    }

    if (j.contains("bos_token_id") && !readIdList(j["bos_token_id"], c.bosTokenIds))
        return makeError(label + ": bos_token_id must be an integer, a list of integers or null");
    if (j.contains("eos_token_id") && !readIdList(j["eos_token_id"], c.eosTokenIds))
        return makeError(label + ": eos_token_id must be an integer, a list of integers or null");
    if (j.contains("pad_token_id") && j["pad_token_id"].is_number_integer())
        c.padTokenId = j["pad_token_id"].get<int32_t>();
    if (j.contains("torch_dtype") && j["torch_dtype"].is_string())
        c.torchDtype = j["torch_dtype"].get<std::string>();
    else if (j.contains("dtype") && j["dtype"].is_string())
        c.torchDtype = j["dtype"].get<std::string>();

    if (j.contains("quantization_config") && !j["quantization_config"].is_null()) {
        auto q = readQuantization(j["quantization_config"], label);
        if (!q)
            return q.error();
        c.quantization = std::move(*q);
    }

    // Consistency.
    auto positive = [&](int64_t v, const char* name) -> Status {
        if (v <= 0)
            return makeError(label + ": \"" + name + "\" must be positive, got " + std::to_string(v));
        return {};
    };
    for (auto [v, name] : {std::pair {c.hiddenSize, "hidden_size"},
                           {c.intermediateSize, "intermediate_size"},
                           {c.numLayers, "num_hidden_layers"},
                           {c.numHeads, "num_attention_heads"},
                           {c.numKvHeads, "num_key_value_heads"},
                           {c.vocabSize, "vocab_size"},
                           {c.maxPositionEmbeddings, "max_position_embeddings"}})
        if (auto s = positive(v, name); !s)
            return s.error();
    if (c.numHeads % c.numKvHeads != 0)
        return makeError(label + ": num_attention_heads (" + std::to_string(c.numHeads)
                         + ") must be a multiple of num_key_value_heads (" + std::to_string(c.numKvHeads) + ")");
    if (c.headDim <= 0 || c.headDim % 2 != 0)
        return makeError(label + ": head_dim must be a positive even number, got " + std::to_string(c.headDim)
                         + (j.contains("head_dim") ? "" : " (hidden_size / num_attention_heads)"));
    if (c.rmsNormEps <= 0)
        return makeError(label + ": rms_norm_eps must be positive");
    if (c.ropeTheta <= 0)
        return makeError(label + ": rope_theta must be positive");
    return c;
}

Expected<ModelConfig> loadModelConfig(const std::filesystem::path& configJsonOrDir)
{
    std::filesystem::path path = configJsonOrDir;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        path /= "config.json";
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    return parseModelConfig(*j, path.string());
}

Expected<GenerationDefaults> parseGenerationConfig(const json& j, const std::string& label)
{
    if (!j.is_object())
        return makeError(label + ": must be a JSON object");
    GenerationDefaults g;
    if (j.contains("eos_token_id") && !readIdList(j["eos_token_id"], g.eosTokenIds))
        return makeError(label + ": eos_token_id must be an integer, a list of integers or null");
    if (j.contains("bos_token_id") && j["bos_token_id"].is_number_integer())
        g.bosTokenId = j["bos_token_id"].get<int32_t>();
    if (j.contains("pad_token_id") && j["pad_token_id"].is_number_integer())
        g.padTokenId = j["pad_token_id"].get<int32_t>();
    if (j.contains("do_sample") && j["do_sample"].is_boolean())
        g.doSample = j["do_sample"].get<bool>();
    if (j.contains("temperature") && j["temperature"].is_number())
        g.temperature = j["temperature"].get<double>();
    if (j.contains("top_k") && j["top_k"].is_number_integer())
        g.topK = j["top_k"].get<int64_t>();
    if (j.contains("top_p") && j["top_p"].is_number())
        g.topP = j["top_p"].get<double>();
    if (j.contains("repetition_penalty") && j["repetition_penalty"].is_number())
        g.repetitionPenalty = j["repetition_penalty"].get<double>();
    if (j.contains("max_new_tokens") && j["max_new_tokens"].is_number_integer())
        g.maxNewTokens = j["max_new_tokens"].get<int64_t>();
    return g;
}

Expected<GenerationDefaults> loadGenerationConfig(const std::filesystem::path& modelDir)
{
    auto path = modelDir / "generation_config.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return GenerationDefaults {};
    auto j = readJsonFile(path);
    if (!j)
        return j.error();
    return parseGenerationConfig(*j, path.string());
}

json modelConfigToJson(const ModelConfig& c)
{
    json j;
    j["architectures"] = {std::string(archClassName(c.arch))};
    j["model_type"] = std::string(archName(c.arch));
    j["hidden_size"] = c.hiddenSize;
    j["intermediate_size"] = c.intermediateSize;
    j["num_hidden_layers"] = c.numLayers;
    j["num_attention_heads"] = c.numHeads;
    j["num_key_value_heads"] = c.numKvHeads;
    j["head_dim"] = c.headDim;
    j["hidden_act"] = c.hiddenAct;
    j["max_position_embeddings"] = c.maxPositionEmbeddings;
    j["rms_norm_eps"] = c.rmsNormEps;
    j["rope_theta"] = c.ropeTheta;
    if (c.ropeScaling) {
        j["rope_scaling"] = {{"rope_type", c.ropeScaling->type},
                             {"factor", c.ropeScaling->factor},
                             {"low_freq_factor", c.ropeScaling->lowFreqFactor},
                             {"high_freq_factor", c.ropeScaling->highFreqFactor},
                             {"original_max_position_embeddings", c.ropeScaling->originalMaxPositionEmbeddings}};
    } else {
        j["rope_scaling"] = nullptr;
    }
    j["vocab_size"] = c.vocabSize;
    j["tie_word_embeddings"] = c.tieWordEmbeddings;
    if (c.arch == ModelArch::Llama) {
        j["attention_bias"] = c.attentionBias;
        j["mlp_bias"] = c.mlpBias;
    }
    if (c.arch == ModelArch::Mistral)
        j["sliding_window"] = c.slidingWindow ? json(*c.slidingWindow) : json(nullptr);
    if (c.arch == ModelArch::Qwen2) {
        j["use_sliding_window"] = c.slidingWindow.has_value();
        j["sliding_window"] = c.slidingWindow ? *c.slidingWindow : c.maxPositionEmbeddings;
        j["max_window_layers"] = c.numLayers;
    }
    auto ids = [](const std::vector<int32_t>& v) -> json {
        if (v.empty())
            return nullptr;
        if (v.size() == 1)
            return v[0];
        return v;
    };
    j["bos_token_id"] = ids(c.bosTokenIds);
    j["eos_token_id"] = ids(c.eosTokenIds);
    if (c.padTokenId)
        j["pad_token_id"] = *c.padTokenId;
    if (!c.torchDtype.empty())
        j["torch_dtype"] = c.torchDtype;
    if (c.quantization) {
        const auto& q = *c.quantization;
        j["quantization_config"]
            = {{"quant_method", q.quantMethod},
               {"load_in_4bit", q.loadIn4bit},
               {"load_in_8bit", q.loadIn8bit},
               {"bnb_4bit_quant_type", q.quantType},
               {"bnb_4bit_use_double_quant", q.useDoubleQuant},
               {"bnb_4bit_compute_dtype", q.computeDtype},
               {"bnb_4bit_quant_storage", q.quantStorage},
               {"llm_int8_skip_modules", q.skipModules.empty() ? json(nullptr) : json(q.skipModules)}};
    }
    j["use_cache"] = true;
    j["transformers_version"] = "4.46.0";
    return j;
}

int64_t parameterCount(const ModelConfig& c)
{
    const int64_t C = c.hiddenSize, F = c.intermediateSize, D = c.headDim;
    const int64_t q = c.numHeads * D, kv = c.numKvHeads * D;
    int64_t attn = C * q + 2 * C * kv + q * C;
    if (c.attentionBias)
        attn += q + 2 * kv;
    if (c.oProjBias)
        attn += C;
    int64_t mlp = 3 * C * F + (c.mlpBias ? 2 * F + C : 0);
    int64_t layer = attn + mlp + 2 * C;
    int64_t total = c.numLayers * layer + c.vocabSize * C + C;
    if (!c.tieWordEmbeddings)
        total += c.vocabSize * C;
    return total;
}

} // namespace ts

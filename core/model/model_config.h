// Hugging Face config.json (+ optional generation_config.json) → ModelConfig, for the decoder-only
// architectures the engine runs: Llama, Mistral and Qwen2 (same math; Qwen2 adds q/k/v biases,
// Mistral may set a sliding window). Field meanings follow transformers' LlamaConfig.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

enum class ModelArch { Llama, Mistral, Qwen2 };

std::string_view archName(ModelArch arch); // "llama", "mistral", "qwen2" (the HF model_type)
std::string_view archClassName(ModelArch arch); // "LlamaForCausalLM", ...
std::optional<ModelArch> archFromName(std::string_view name); // model_type or architectures[0]

// rope_scaling with rope_type "llama3" (Llama 3.1+). Other types are rejected at parse time.
struct RopeScaling
{
    std::string type; // "llama3"
    double factor = 8.0;
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    int64_t originalMaxPositionEmbeddings = 8192;
};

// quantization_config as transformers writes it (BitsAndBytesConfig.to_dict(), dtypes as strings).
// Only bitsandbytes 4-bit NF4 checkpoints are loadable; other methods are kept by name so the
// loader can refuse them clearly.
struct QuantizationConfig
{
    std::string quantMethod; // "bitsandbytes", "gptq", ... (bitsandbytes when absent)
    bool loadIn4bit = false;
    bool loadIn8bit = false;
    std::string quantType = "fp4"; // bnb_4bit_quant_type (transformers' default)
    bool useDoubleQuant = false; // bnb_4bit_use_double_quant
    std::string computeDtype = "float32"; // bnb_4bit_compute_dtype
    std::string quantStorage = "uint8"; // bnb_4bit_quant_storage
    std::vector<std::string> skipModules; // llm_int8_skip_modules (module names kept in 16 bit)
};

struct ModelConfig
{
    ModelArch arch = ModelArch::Llama;
    int64_t hiddenSize = 0; // C
    int64_t intermediateSize = 0; // FFN width
    int64_t numLayers = 0; // L
    int64_t numHeads = 0; // H (query heads)
    int64_t numKvHeads = 0; // KV heads (GQA); defaults to numHeads
    int64_t headDim = 0; // defaults to hiddenSize / numHeads
    int64_t vocabSize = 0; // V
    int64_t maxPositionEmbeddings = 2048;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    std::optional<RopeScaling> ropeScaling;
    bool tieWordEmbeddings = false;
    bool attentionBias = false; // q/k/v (and o for llama's attention_bias) biases
    bool oProjBias = false; // llama attention_bias=true also biases o_proj; qwen2 does not
    bool mlpBias = false;
    std::optional<int64_t> slidingWindow; // only when enabled (mistral / qwen2 use_sliding_window)
    std::vector<int32_t> bosTokenIds;
    std::vector<int32_t> eosTokenIds;
    std::optional<int32_t> padTokenId;
    std::string torchDtype; // "float32", "bfloat16", "float16" or empty
    std::string hiddenAct = "silu";
    std::optional<QuantizationConfig> quantization; // when config.json has quantization_config
};

// Defaults from generation_config.json (all optional).
struct GenerationDefaults
{
    std::vector<int32_t> eosTokenIds;
    std::optional<int32_t> bosTokenId;
    std::optional<int32_t> padTokenId;
    std::optional<bool> doSample;
    std::optional<double> temperature;
    std::optional<int64_t> topK;
    std::optional<double> topP;
    std::optional<double> repetitionPenalty;
    std::optional<int64_t> maxNewTokens;
};

Expected<ModelConfig> parseModelConfig(const nlohmann::json& config, const std::string& label = "config.json");
Expected<ModelConfig> loadModelConfig(const std::filesystem::path& configJsonOrDir);
Expected<GenerationDefaults> parseGenerationConfig(const nlohmann::json& config,
                                                   const std::string& label = "generation_config.json");
// Missing file → empty defaults; an unreadable or malformed file is an error.
Expected<GenerationDefaults> loadGenerationConfig(const std::filesystem::path& modelDir);

// config.json for `config` (the fields transformers writes for the architecture).
nlohmann::json modelConfigToJson(const ModelConfig& config);

// Parameter count implied by the config (embeddings counted once when tied).
int64_t parameterCount(const ModelConfig& config);

} // namespace ts

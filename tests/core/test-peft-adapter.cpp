// PEFT LoRA adapter files: key names and shapes as peft writes them, adapter_config.json fields, round trips in
// F32 / BF16, atomic replacement of an existing adapter, and errors that name the file and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "model/safetensors.h"
#include "model/safetensors_writer.h"
#include "peft/peft_adapter.h"
#include "test_support.h"

namespace {

using ts::PeftLoraModule;

std::vector<float> randomValues(size_t n, uint32_t seed)
{
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(gen);
    return v;
}

PeftLoraModule module(const std::string& name, int64_t in, int64_t out, int r, uint32_t seed)
{
    PeftLoraModule m;
    m.module = name;
    m.in = in;
    m.out = out;
    m.a = randomValues(static_cast<size_t>(r * in), seed);
    m.b = randomValues(static_cast<size_t>(out * r), seed + 1000);
    return m;
}

ts::LoraConfig loraConfig(int r = 4)
{
    ts::LoraConfig c;
    c.r = r;
    c.alpha = 8;
    c.dropout = 0.1;
    c.targetModules = {"q_proj", "v_proj", "down_proj"};
    return c;
}

// Two layers' q/v (hidden 12, kv width 6) and a down_proj (ffn 20 → hidden 12).
std::vector<PeftLoraModule> sampleModules(int r = 4)
{
    return {
        module("model.layers.0.self_attn.q_proj", 12, 12, r, 1), module("model.layers.0.self_attn.v_proj", 12, 6, r, 2),
        module("model.layers.1.self_attn.q_proj", 12, 12, r, 3), module("model.layers.1.mlp.down_proj", 20, 12, r, 4)};
}

void writeText(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

TEST(PeftAdapter, KeyNamesShapesAndMetadataAsPeftWritesThem)
{
    tstest::TempDir dir;
    const auto out = dir / "adapter";
    ASSERT_TRUE(ts::writePeftAdapter(out, loraConfig(), "meta-llama/Llama-3.1-8B", sampleModules()));

    auto file = ts::SafetensorsFile::open(out / "adapter_model.safetensors");
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ((*file)->metadata().at("format"), "pt");
    EXPECT_EQ((*file)->tensors().size(), 8u);
    // The spec's example key, and the shapes of nn.Linear(in, r) / nn.Linear(r, out) weights.
    const auto* a = (*file)->find("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
    const auto* b = (*file)->find("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->dtype, ts::DType::F32);
    EXPECT_EQ(a->shape, (std::vector<int64_t> {4, 12}));
    EXPECT_EQ(b->shape, (std::vector<int64_t> {12, 4}));
    const auto* vb = (*file)->find("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight");
    ASSERT_TRUE(vb);
    EXPECT_EQ(vb->shape, (std::vector<int64_t> {6, 4}));
    const auto* da = (*file)->find("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight");
    ASSERT_TRUE(da);
    EXPECT_EQ(da->shape, (std::vector<int64_t> {4, 20}));
    EXPECT_EQ(ts::peftTensorName("model.layers.0.self_attn.q_proj", 'A'),
              "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
}

TEST(PeftAdapter, ConfigJsonHasPeftsFields)
{
    tstest::TempDir dir;
    auto lora = loraConfig(16);
    lora.alpha = 32;
    lora.dropout = 0.05;
    lora.useRsLora = true;
    std::vector<PeftLoraModule> modules {module("model.layers.0.self_attn.q_proj", 8, 8, 16, 1)};
    ASSERT_TRUE(ts::writePeftAdapter(dir / "a", lora, "Qwen/Qwen2.5-0.5B", modules));
    auto text = ts::readFile(dir / "a" / "adapter_config.json");
    ASSERT_TRUE(text);
    const auto j = nlohmann::json::parse(*text);
    EXPECT_EQ(j["peft_type"], "LORA");
    EXPECT_EQ(j["task_type"], "CAUSAL_LM");
    EXPECT_EQ(j["base_model_name_or_path"], "Qwen/Qwen2.5-0.5B");
    EXPECT_EQ(j["r"], 16);
    EXPECT_TRUE(j["lora_alpha"].is_number_integer());
    EXPECT_EQ(j["lora_alpha"], 32);
    EXPECT_DOUBLE_EQ(j["lora_dropout"].get<double>(), 0.05);
    EXPECT_EQ(j["target_modules"], nlohmann::json({"q_proj", "v_proj", "down_proj"}));
    EXPECT_EQ(j["use_rslora"], true);
    EXPECT_EQ(j["bias"], "none");
    EXPECT_EQ(j["fan_in_fan_out"], false);
    EXPECT_EQ(j["inference_mode"], true);
    EXPECT_EQ(j["init_lora_weights"], true);
    EXPECT_EQ(j["use_dora"], false);
    EXPECT_EQ(j["lora_bias"], false);
    EXPECT_EQ(j["rank_pattern"], nlohmann::json::object());
    EXPECT_EQ(j["alpha_pattern"], nlohmann::json::object());
    for (const char* nullKey :
         {"revision", "modules_to_save", "layers_to_transform", "layers_pattern", "exclude_modules", "auto_mapping"}) {
        ASSERT_TRUE(j.contains(nullKey)) << nullKey;
        EXPECT_TRUE(j[nullKey].is_null()) << nullKey;
    }
    // peft writes json.dumps(indent=2, sort_keys=True): keys in sorted order.
    EXPECT_LT(text->find("\"alpha_pattern\""), text->find("\"bias\""));
    EXPECT_LT(text->find("\"task_type\""), text->find("\"use_rslora\""));
    // A fractional alpha stays a float.
    lora.alpha = 12.5;
    EXPECT_DOUBLE_EQ(ts::peftAdapterConfig(lora, "m")["lora_alpha"].get<double>(), 12.5);
}

TEST(PeftAdapter, RoundTripF32IsExact)
{
    tstest::TempDir dir;
    const auto modules = sampleModules();
    ASSERT_TRUE(ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules));
    auto read = ts::readPeftAdapter(dir / "a");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->baseModel, "base");
    EXPECT_EQ(read->lora.r, 4);
    EXPECT_DOUBLE_EQ(read->lora.alpha, 8);
    EXPECT_DOUBLE_EQ(read->lora.dropout, 0.1);
    EXPECT_FALSE(read->lora.useRsLora);
    EXPECT_EQ(read->lora.targetModules, loraConfig().targetModules);
    EXPECT_EQ(read->dtype, ts::DType::F32);
    EXPECT_TRUE(read->ignoredTensors.empty());
    ASSERT_EQ(read->modules.size(), modules.size());
    for (size_t i = 0; i < modules.size(); ++i) {
        EXPECT_EQ(read->modules[i].module, modules[i].module);
        EXPECT_EQ(read->modules[i].in, modules[i].in);
        EXPECT_EQ(read->modules[i].out, modules[i].out);
        EXPECT_EQ(read->modules[i].rank(), 4);
        EXPECT_EQ(read->modules[i].a, modules[i].a);
        EXPECT_EQ(read->modules[i].b, modules[i].b);
    }
}

TEST(PeftAdapter, RoundTripBf16WithinBf16Precision)
{
    tstest::TempDir dir;
    const auto modules = sampleModules();
    ASSERT_TRUE(ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules, {ts::DType::BF16}));
    auto read = ts::readPeftAdapter(dir / "a");
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->dtype, ts::DType::BF16);
    for (size_t i = 0; i < modules.size(); ++i)
        for (size_t k = 0; k < modules[i].a.size(); ++k)
            EXPECT_NEAR(read->modules[i].a[k], modules[i].a[k], std::abs(modules[i].a[k]) / 128 + 1e-30);
}

TEST(PeftAdapter, WriteRefusesInconsistentModules)
{
    tstest::TempDir dir;
    auto modules = sampleModules();
    modules[1].a.pop_back();
    auto st = ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules);
    ASSERT_FALSE(st);
    EXPECT_TRUE(contains(st.error().message, "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight"))
        << st.error().message;
    EXPECT_TRUE(contains(st.error().message, "adapter_model.safetensors")) << st.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir / "a"));

    modules = sampleModules();
    modules[2].b.push_back(0.0f);
    st = ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules);
    ASSERT_FALSE(st);
    EXPECT_TRUE(contains(st.error().message, "layers.1.self_attn.q_proj.lora_B.weight")) << st.error().message;

    modules = sampleModules();
    modules.push_back(module("model.layers.0.self_attn.k_proj", 12, 6, 4, 9)); // not a target module
    st = ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules);
    ASSERT_FALSE(st);
    EXPECT_TRUE(contains(st.error().message, "target_modules")) << st.error().message;

    modules = sampleModules();
    modules.push_back(modules[0]);
    EXPECT_FALSE(ts::writePeftAdapter(dir / "a", loraConfig(), "base", modules));
    EXPECT_FALSE(std::filesystem::exists(dir / "a"));
}

TEST(PeftAdapter, RewriteReplacesAtomicallyAndKeepsOtherFiles)
{
    tstest::TempDir dir;
    const auto out = dir / "adapter";
    ASSERT_TRUE(ts::writePeftAdapter(out, loraConfig(), "base", sampleModules()));
    writeText(out / "training_state.json", "{\"step\": 25}");
    std::vector<PeftLoraModule> second {module("model.layers.0.self_attn.q_proj", 12, 12, 4, 77)};
    ASSERT_TRUE(ts::writePeftAdapter(out, loraConfig(), "base-2", second));
    auto read = ts::readPeftAdapter(out);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->baseModel, "base-2");
    ASSERT_EQ(read->modules.size(), 1u);
    EXPECT_EQ(read->modules[0].a, second[0].a);
    auto kept = ts::readFile(out / "training_state.json");
    ASSERT_TRUE(kept);
    EXPECT_EQ(*kept, "{\"step\": 25}");
    // No temporary or old folders are left beside it.
    size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        ++entries;
        EXPECT_EQ(e.path().filename(), "adapter");
    }
    EXPECT_EQ(entries, 1u);

    // A failed write leaves the existing adapter as it was.
    auto bad = second;
    bad[0].a.resize(3);
    EXPECT_FALSE(ts::writePeftAdapter(out, loraConfig(), "base-3", bad));
    auto again = ts::readPeftAdapter(out);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->baseModel, "base-2");
}

class PeftAdapterErrors : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(ts::writePeftAdapter(m_out, loraConfig(), "base", sampleModules())); }

    std::string readError()
    {
        auto read = ts::readPeftAdapter(m_out);
        EXPECT_FALSE(read);
        return read ? std::string() : read.error().message;
    }

    nlohmann::json config() { return nlohmann::json::parse(*ts::readFile(m_out / "adapter_config.json")); }

    tstest::TempDir m_dir;
    std::filesystem::path m_out = m_dir / "adapter";
};

TEST_F(PeftAdapterErrors, MissingFilesAreNamed)
{
    EXPECT_TRUE(contains(ts::readPeftAdapter(m_dir / "nope").error().message, "nope"));
    std::filesystem::remove(m_out / "adapter_model.safetensors");
    EXPECT_TRUE(contains(readError(), "adapter_model.safetensors: missing"));
    writeText(m_out / "adapter_model.bin", "pickle");
    EXPECT_TRUE(contains(readError(), "adapter_model.bin"));
    std::filesystem::remove(m_out / "adapter_config.json");
    EXPECT_TRUE(contains(readError(), "adapter_config.json: missing"));
}

TEST_F(PeftAdapterErrors, InvalidJsonAndBadFieldsNameFileAndKey)
{
    const auto valid = config();
    writeText(m_out / "adapter_config.json", "{\"peft_type\": \"LORA\", \"r\": ");
    auto message = readError();
    EXPECT_TRUE(contains(message, "adapter_config.json: invalid JSON")) << message;

    auto j = valid;
    j["peft_type"] = "IA3";
    writeText(m_out / "adapter_config.json", j.dump());
    message = readError();
    EXPECT_TRUE(contains(message, "adapter_config.json") && contains(message, "peft_type")) << message;

    j = valid;
    j["r"] = "four";
    writeText(m_out / "adapter_config.json", j.dump());
    message = readError();
    EXPECT_TRUE(contains(message, "\"r\"")) << message;

    j = valid;
    j["use_dora"] = true;
    writeText(m_out / "adapter_config.json", j.dump());
    EXPECT_TRUE(contains(readError(), "use_dora"));

    j = valid;
    j["bias"] = "all";
    writeText(m_out / "adapter_config.json", j.dump());
    EXPECT_TRUE(contains(readError(), "bias"));
}

TEST_F(PeftAdapterErrors, UnknownKeysAndTensorsAreTolerated)
{
    auto j = config();
    j["peft_version"] = "0.99.0";
    j["some_future_field"] = {{"x", 1}};
    j["target_modules"] = "all-linear";
    writeText(m_out / "adapter_config.json", j.dump());
    // An extra tensor (e.g. a saved embedding) beside the LoRA weights.
    auto file = ts::SafetensorsFile::open(m_out / "adapter_model.safetensors");
    ASSERT_TRUE(file);
    std::vector<ts::TensorData> tensors;
    for (const auto& t : (*file)->tensors())
        tensors.push_back({t.name, t.dtype, t.shape, std::vector<std::byte>(t.data, t.data + t.bytes)});
    file->reset();
    tensors.push_back(ts::makeTensor("base_model.model.lm_head.weight", {2, 2}, {1, 2, 3, 4}, ts::DType::F32));
    ASSERT_TRUE(ts::writeSafetensors(m_out / "adapter_model.safetensors", tensors));
    auto read = ts::readPeftAdapter(m_out);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->modules.size(), 4u);
    EXPECT_EQ(read->ignoredTensors, std::vector<std::string> {"base_model.model.lm_head.weight"});
    EXPECT_EQ(read->lora.targetModules, std::vector<std::string> {"all-linear"});
    EXPECT_EQ(read->config["some_future_field"]["x"], 1);
}

TEST_F(PeftAdapterErrors, CorruptSafetensorsNamesTheFile)
{
    auto bytes = ts::readFile(m_out / "adapter_model.safetensors");
    ASSERT_TRUE(bytes);
    writeText(m_out / "adapter_model.safetensors", bytes->substr(0, bytes->size() / 2));
    auto message = readError();
    EXPECT_TRUE(contains(message, "adapter_model.safetensors")) << message;
    writeText(m_out / "adapter_model.safetensors", "garbage");
    message = readError();
    EXPECT_TRUE(contains(message, "adapter_model.safetensors")) << message;
}

TEST_F(PeftAdapterErrors, WrongShapesAndMissingPartnersNameTheKey)
{
    const std::string keyA = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    const std::string keyB = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";
    auto rewrite = [&](const std::vector<ts::TensorData>& tensors) {
        ASSERT_TRUE(ts::writeSafetensors(m_out / "adapter_model.safetensors", tensors));
    };
    // A with r + 1 rows.
    rewrite({ts::makeTensor(keyA, {5, 12}, std::vector<float>(60, 0.5f), ts::DType::F32),
             ts::makeTensor(keyB, {12, 4}, std::vector<float>(48, 0.5f), ts::DType::F32)});
    auto message = readError();
    EXPECT_TRUE(contains(message, "adapter_model.safetensors: " + keyA) && contains(message, "[5, 12]")) << message;
    // B with the wrong inner dimension.
    rewrite({ts::makeTensor(keyA, {4, 12}, std::vector<float>(48, 0.5f), ts::DType::F32),
             ts::makeTensor(keyB, {12, 3}, std::vector<float>(36, 0.5f), ts::DType::F32)});
    message = readError();
    EXPECT_TRUE(contains(message, keyB) && contains(message, "[12, 3]")) << message;
    // A 1-D tensor.
    rewrite({ts::makeTensor(keyA, {48}, std::vector<float>(48, 0.5f), ts::DType::F32),
             ts::makeTensor(keyB, {12, 4}, std::vector<float>(48, 0.5f), ts::DType::F32)});
    EXPECT_TRUE(contains(readError(), keyA));
    // A without B.
    rewrite({ts::makeTensor(keyA, {4, 12}, std::vector<float>(48, 0.5f), ts::DType::F32)});
    message = readError();
    EXPECT_TRUE(contains(message, keyA) && contains(message, keyB)) << message;
    // Integer weights.
    ts::TensorData ints {keyA, ts::DType::I32, {4, 12}, std::vector<std::byte>(4 * 48)};
    rewrite({ints, ts::makeTensor(keyB, {12, 4}, std::vector<float>(48, 0.5f), ts::DType::F32)});
    message = readError();
    EXPECT_TRUE(contains(message, keyA) && contains(message, "I32")) << message;
    // LoRA weights without the base_model.model. prefix.
    rewrite({ts::makeTensor("model.layers.0.self_attn.q_proj.lora_A.weight", {4, 12}, std::vector<float>(48, 0.5f),
                            ts::DType::F32)});
    message = readError();
    EXPECT_TRUE(contains(message, "model.layers.0.self_attn.q_proj.lora_A.weight")
                && contains(message, "base_model.model."))
        << message;
}

TEST_F(PeftAdapterErrors, RankPatternGivesModulesTheirOwnRank)
{
    auto j = config();
    j["rank_pattern"] = {{"q_proj", 8}};
    writeText(m_out / "adapter_config.json", j.dump());
    const std::string q = "base_model.model.model.layers.0.self_attn.q_proj";
    const std::string v = "base_model.model.model.layers.0.self_attn.v_proj";
    ASSERT_TRUE(ts::writeSafetensors(
        m_out / "adapter_model.safetensors",
        {ts::makeTensor(q + ".lora_A.weight", {8, 12}, std::vector<float>(96, 0.25f), ts::DType::F32),
         ts::makeTensor(q + ".lora_B.weight", {12, 8}, std::vector<float>(96, 0.25f), ts::DType::F32),
         ts::makeTensor(v + ".lora_A.weight", {4, 12}, std::vector<float>(48, 0.25f), ts::DType::F32),
         ts::makeTensor(v + ".lora_B.weight", {6, 4}, std::vector<float>(24, 0.25f), ts::DType::F32)}));
    auto read = ts::readPeftAdapter(m_out);
    ASSERT_TRUE(read) << read.error().message;
    ASSERT_EQ(read->modules.size(), 2u);
    EXPECT_EQ(read->modules[0].rank(), 8);
    EXPECT_EQ(read->modules[1].rank(), 4);
    EXPECT_EQ(read->modules[1].out, 6);
}

} // namespace

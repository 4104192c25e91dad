// A trained adapter on a local endpoint: the endpoint's provider answers exactly like the model with the
// adapter merged at load (what `tunesmith-cli serve --adapter` runs) and unlike the base; one engine per
// (model, adapter) pair, loaded once however many endpoints use it; a bad adapter folder is refused with a
// message naming the file and field, by the provider factory and by `tunesmith-cli endpoint add`, and the
// stored endpoint stays as it was.
#include <random>

#include "cli_test_support.h"
#include "llm/local/local_provider.h"
#include "llm/local/local_provider_cache.h"
#include "llm/local/provider_factory.h"
#include "lora/adapter_on_load.h"
#include "peft/adapter_fit.h"
#include "peft/peft_adapter.h"
#include "store/project.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

namespace {

// A random LoRA adapter (r 4) on every projection of `model`, large enough to change what it generates.
void writeRandomAdapter(const std::filesystem::path& dir, const ts::ModelConfig& c, uint64_t seed)
{
    std::mt19937 rng(static_cast<uint32_t>(seed));
    std::normal_distribution<float> normal(0.0f, 0.6f);
    ts::LoraConfig lora;
    lora.r = 4;
    lora.alpha = 8;
    const int64_t d = c.headDim, q = c.numHeads * d, kv = c.numKvHeads * d;
    const std::vector<std::tuple<std::string, int64_t, int64_t>> projections
        = {{"self_attn.q_proj", q, c.hiddenSize},
           {"self_attn.k_proj", kv, c.hiddenSize},
           {"self_attn.v_proj", kv, c.hiddenSize},
           {"self_attn.o_proj", c.hiddenSize, q},
           {"mlp.gate_proj", c.intermediateSize, c.hiddenSize},
           {"mlp.up_proj", c.intermediateSize, c.hiddenSize},
           {"mlp.down_proj", c.hiddenSize, c.intermediateSize}};
    std::vector<ts::PeftLoraModule> modules;
    for (int64_t layer = 0; layer < c.numLayers; ++layer)
        for (const auto& [name, out, in] : projections) {
            ts::PeftLoraModule m;
            m.module = "model.layers." + std::to_string(layer) + "." + name;
            m.in = in;
            m.out = out;
            m.a.resize(static_cast<size_t>(lora.r * in));
            m.b.resize(static_cast<size_t>(out * lora.r));
            for (float& v : m.a)
                v = normal(rng);
            for (float& v : m.b)
                v = normal(rng);
            modules.push_back(std::move(m));
        }
    auto written = ts::writePeftAdapter(dir, lora, "tiny-test-model", modules);
    ASSERT_TRUE(written) << written.error().message;
}

ts::Endpoint localEndpoint(const std::string& name, const std::filesystem::path& model,
                           const std::filesystem::path& adapter = {})
{
    ts::Endpoint e;
    e.name = name;
    e.provider.kind = ts::llm::ProviderKind::Local;
    e.provider.model = model.string();
    e.provider.adapter = adapter.string();
    return e;
}

std::vector<std::string> answers(ts::llm::Provider& provider)
{
    ts::llm::ChatParams params;
    params.maxTokens = 12; // greedy
    std::vector<std::string> out;
    for (const char* input : {"alice", "bob", "carol", "dave"}) {
        auto r = provider.chat({{"user", input}}, params, {});
        EXPECT_TRUE(r) << r.error().message;
        out.push_back(r ? r.result().text + "|" + std::to_string(r.result().usage.outputTokens) : "");
    }
    return out;
}

struct AdapterFixture : ::testing::Test
{
    tstest::TempDir dir;
    ts::RandomModelInfo model = tstest::writeTinyChatModel(dir / "model");
    ts::EngineOptions engine;

    void SetUp() override
    {
        engine.threads = 1;
        writeRandomAdapter(dir / "adapter", model.config, 11);
    }
};

} // namespace

TEST_F(AdapterFixture, ALocalEndpointWithAnAdapterAnswersLikeTheMergedModel)
{
    auto tuned = ts::llm::makeEndpointProvider(localEndpoint("tuned", dir / "model", dir / "adapter"),
                                               ts::llm::environmentApiKeys(), engine);
    ASSERT_TRUE(tuned) << tuned.error().message;
    EXPECT_NE((*tuned)->describe().find("adapter"), std::string::npos) << (*tuned)->describe();

    // What `serve --adapter` and `generate --adapter` run: the engine with the adapter merged as it loads.
    ts::llm::LocalProviderOptions merged;
    merged.engine = engine;
    merged.engine.editWeights = ts::lora::mergeAdapterOnLoad(dir / "adapter");
    auto reference = ts::llm::openLocalProvider(dir / "model", merged);
    ASSERT_TRUE(reference) << reference.error().message;
    ts::llm::LocalProviderOptions plain;
    plain.engine = engine;
    auto base = ts::llm::openLocalProvider(dir / "model", plain);
    ASSERT_TRUE(base) << base.error().message;

    const auto fromEndpoint = answers(**tuned);
    EXPECT_EQ(fromEndpoint, answers(**reference));
    EXPECT_NE(fromEndpoint, answers(**base)) << "the adapter changes what the model says";
}

TEST_F(AdapterFixture, EachModelAndAdapterPairIsLoadedOnce)
{
    writeRandomAdapter(dir / "adapter2", model.config, 12);
    auto& cache = ts::llm::sharedLocalProviders();
    const auto keys = ts::llm::environmentApiKeys();
    const int64_t before = cache.loads();
    auto a = ts::llm::makeEndpointProvider(localEndpoint("a", dir / "model", dir / "adapter"), keys, engine);
    ASSERT_TRUE(a) << a.error().message;
    // The same pair under another name, the folder spelled differently: no second load.
    auto b = ts::llm::makeEndpointProvider(localEndpoint("b", dir / "model" / ".", dir / "x" / ".." / "adapter"), keys,
                                           engine);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(cache.loads(), before + 1);
    EXPECT_EQ(answers(**a), answers(**b));
    // The same base with another adapter, and the bare base: two more engines.
    auto c = ts::llm::makeEndpointProvider(localEndpoint("c", dir / "model", dir / "adapter2"), keys, engine);
    ASSERT_TRUE(c) << c.error().message;
    auto plain = ts::llm::makeEndpointProvider(localEndpoint("plain", dir / "model"), keys, engine);
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(cache.loads(), before + 3);
    EXPECT_NE(answers(**a), answers(**c));
    EXPECT_NE(answers(**a), answers(**plain));
}

TEST_F(AdapterFixture, ABadAdapterFolderIsRefusedAndTheEndpointStaysAsItWas)
{
    // An adapter made for another shape (hidden size 32), a folder that is not an adapter, and a missing one.
    auto other = tstest::writeTinyChatModel(dir / "small-model", 5, 32);
    writeRandomAdapter(dir / "small-adapter", other.config, 13);
    std::filesystem::create_directories(dir / "not-an-adapter");
    struct Case
    {
        std::filesystem::path adapter;
        std::string says;
    };
    const std::vector<Case> cases = {
        {dir / "small-adapter", "hidden_size in config.json"},
        {dir / "not-an-adapter", "adapter_config.json is missing"},
        {dir / "nowhere", "not a folder"},
    };
    const auto keys = ts::llm::environmentApiKeys();
    for (const auto& c : cases) {
        auto p = ts::llm::makeEndpointProvider(localEndpoint("tuned", dir / "model", c.adapter), keys, engine);
        ASSERT_FALSE(p) << c.adapter;
        EXPECT_NE(p.error().message.find("endpoint \"tuned\": adapter " + c.adapter.string()), std::string::npos)
            << p.error().message;
        EXPECT_NE(p.error().message.find(c.says), std::string::npos) << p.error().message;
    }

    // The command line: a good adapter is stored; a bad one is refused (exit 2) and changes nothing.
    {
        auto project = ts::Project::create(dir / "p.tunesmith");
        ASSERT_TRUE(project) << project.error().message;
    }
    const std::string file = quoted(dir / "p.tunesmith");
    const std::string add = "endpoint " + file + " add --name tuned --kind local --model " + quoted(dir / "model");
    auto good = runCli(add + " --adapter " + quoted(dir / "adapter"));
    ASSERT_EQ(good.exitCode, 0) << (good.lines.empty() ? "" : good.lines.back().dump());
    EXPECT_EQ(good.lines.back()["provider"]["adapter"], (dir / "adapter").string());
    for (const auto& c : cases) {
        auto bad = runCli(add + " --adapter " + quoted(c.adapter));
        EXPECT_EQ(bad.exitCode, 2);
        ASSERT_FALSE(bad.lines.empty());
        EXPECT_NE(bad.lines.back()["error"].get<std::string>().find(c.says), std::string::npos)
            << bad.lines.back().dump();
    }
    auto list = runCli("endpoint " + file + " list");
    ASSERT_EQ(list.exitCode, 0);
    ASSERT_EQ(list.lines.back().size(), 1u);
    EXPECT_EQ(list.lines.back()[0]["provider"]["adapter"], (dir / "adapter").string());
    // An HTTP endpoint cannot merge an adapter.
    auto http = runCli("endpoint " + file
                       + " add --name remote --kind openai-compatible --base-url "
                         "http://127.0.0.1:9/v1 --model m --adapter "
                       + quoted(dir / "adapter"));
    EXPECT_EQ(http.exitCode, 2);
    EXPECT_NE(http.lines.back()["error"].get<std::string>().find("provider.adapter"), std::string::npos);
}

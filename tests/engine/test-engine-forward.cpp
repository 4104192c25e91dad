// Engine forward pass against the double-precision reference in engine_test_support.h, for each
// architecture and weight layout; KV-cache decoding against full recomputation; batched
// generation with left padding against one prompt at a time.
#include "engine/engine.h"
#include "engine_test_support.h"

namespace {

struct Variant
{
    const char* name;
    ts::ModelArch arch;
    bool tied = false;
    bool ropeLlama3 = false;
    ts::DType dtype = ts::DType::F32;
    int64_t slidingWindow = 0;
};

const Variant kVariants[] = {
    {"llama", ts::ModelArch::Llama},
    {"llama_tied_rope3", ts::ModelArch::Llama, true, true},
    {"mistral_window", ts::ModelArch::Mistral, false, false, ts::DType::F32, 3},
    {"qwen2_tied", ts::ModelArch::Qwen2, true},
    {"llama_bf16_file", ts::ModelArch::Llama, false, false, ts::DType::BF16},
    {"qwen2_f16_file", ts::ModelArch::Qwen2, false, false, ts::DType::F16},
};

class EngineForward : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        for (const auto& v : kVariants) {
            auto o = tstest::tinyOptions(v.arch, 11);
            o.tied = v.tied;
            o.ropeLlama3 = v.ropeLlama3;
            o.dtype = v.dtype;
            auto info = ts::writeRandomModel(*s_dir / v.name, o);
            ASSERT_TRUE(info) << info.error().message;
            if (v.slidingWindow)
                tstest::patchConfig(*s_dir / v.name, {{"sliding_window", v.slidingWindow}});
        }
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }
    static std::filesystem::path dir(const char* name) { return *s_dir / name; }

    static std::unique_ptr<ts::Engine> load(const char* name, ts::EngineOptions options = {})
    {
        options.threads = 2;
        auto engine = ts::Engine::load(dir(name), options);
        EXPECT_TRUE(engine) << (engine ? "" : engine.error().message);
        return engine ? std::move(*engine) : nullptr;
    }

    static inline tstest::TempDir* s_dir = nullptr;
};

const std::vector<int32_t> kPrompt = {1, 17, 5, 42, 63, 8, 8, 30, 2};

} // namespace

TEST_F(EngineForward, MatchesDoubleReferenceForEveryArchitecture)
{
    for (const auto& v : kVariants) {
        SCOPED_TRACE(v.name);
        tstest::ReferenceModel ref(dir(v.name));
        if (v.slidingWindow)
            ASSERT_EQ(ref.config().slidingWindow, v.slidingWindow);
        const auto expected = ref.logits(kPrompt);
        for (bool fast : {true, false}) {
            for (bool fuse : {true, false}) {
                SCOPED_TRACE(std::string("fast=") + (fast ? "1" : "0") + " fuse=" + (fuse ? "1" : "0"));
                ts::EngineOptions options;
                options.fastKernels = fast;
                options.fuseProjections = fuse;
                auto engine = load(v.name, options);
                ASSERT_TRUE(engine);
                auto all = engine->logits(kPrompt, true);
                ASSERT_TRUE(all) << all.error().message;
                ASSERT_EQ(all->size(), expected.size());
                EXPECT_LT(tstest::relativeError(*all, expected), 2e-5);
                // Last position only = the last row of all positions.
                auto last = engine->logits(kPrompt, false);
                ASSERT_TRUE(last);
                const int64_t V = engine->config().vocabSize;
                std::vector<float> lastRow(all->end() - V, all->end());
                EXPECT_LT(tstest::maxAbsDiff(*last, lastRow), 1e-5);
            }
        }
    }
}

// The comparison above is meaningful: dropping llama3 rope scaling or the sliding window from the
// reference moves its logits far outside the tolerance.
TEST_F(EngineForward, ReferenceFeaturesMatter)
{
    std::vector<int32_t> prompt;
    for (int i = 0; i < 40; ++i)
        prompt.push_back((i * 37 + 5) % 64);
    for (const char* name : {"llama_tied_rope3", "mistral_window"}) {
        SCOPED_TRACE(name);
        auto engine = load(name);
        ASSERT_TRUE(engine);
        auto all = engine->logits(prompt, true);
        ASSERT_TRUE(all);
        tstest::ReferenceModel ref(dir(name));
        ref.mutableConfig().ropeScaling.reset();
        ref.mutableConfig().slidingWindow.reset();
        EXPECT_GT(tstest::relativeError(*all, ref.logits(prompt)), 1e-3);
    }
}

TEST_F(EngineForward, Bf16ComputeIsClose)
{
    tstest::ReferenceModel ref(dir("llama"));
    const auto expected = ref.logits(kPrompt);
    ts::EngineOptions options;
    options.dtype = ts::ComputeDtype::BF16;
    auto engine = load("llama", options);
    ASSERT_TRUE(engine);
    auto all = engine->logits(kPrompt, true);
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_LT(tstest::relativeError(*all, expected), 5e-2);
}

TEST_F(EngineForward, KvCacheDecodeEqualsFullRecompute)
{
    for (const char* name : {"llama", "mistral_window", "qwen2_tied", "llama_tied_rope3"}) {
        SCOPED_TRACE(name);
        auto engine = load(name);
        ASSERT_TRUE(engine);
        ts::GenerationOptions gen;
        gen.maxNewTokens = 12;
        gen.eosIds = std::vector<int32_t> {};
        gen.recordLogits = true;
        auto out = engine->generate({kPrompt}, gen);
        ASSERT_TRUE(out) << out.error().message;
        const auto& seq = out->sequences[0];
        ASSERT_EQ(seq.ids.size(), 12u);
        EXPECT_EQ(seq.finishReason, ts::FinishReason::Length);
        std::vector<int32_t> ids = kPrompt;
        for (size_t s = 0; s < seq.ids.size(); ++s) {
            auto full = engine->logits(ids, false);
            ASSERT_TRUE(full);
            EXPECT_LT(tstest::maxAbsDiff(seq.stepLogits[s], *full), 2e-5) << "step " << s;
            const auto argmax = std::max_element(full->begin(), full->end()) - full->begin();
            EXPECT_EQ(seq.ids[s], argmax) << "step " << s;
            ids.push_back(seq.ids[s]);
        }
    }
}

TEST_F(EngineForward, BatchedLeftPaddingMatchesOneByOne)
{
    const std::vector<std::vector<int32_t>> prompts = {
        {3, 9, 27, 17, 51, 25, 11, 33, 35, 41, 60},
        {5},
        {7, 7, 7, 12},
        {60, 50, 40, 30, 20, 10},
    };
    for (const char* name : {"llama", "qwen2_tied", "mistral_window"}) {
        SCOPED_TRACE(name);
        auto engine = load(name);
        ASSERT_TRUE(engine);
        ts::GenerationOptions gen;
        gen.maxNewTokens = 10;
        gen.eosIds = std::vector<int32_t> {};
        gen.recordLogits = true;
        auto batched = engine->generate(prompts, gen);
        ASSERT_TRUE(batched) << batched.error().message;
        ASSERT_EQ(batched->sequences.size(), prompts.size());
        EXPECT_EQ(batched->prefillTokens, 22);
        EXPECT_EQ(batched->completionTokens, 40);
        for (size_t i = 0; i < prompts.size(); ++i) {
            auto single = engine->generate({prompts[i]}, gen);
            ASSERT_TRUE(single);
            EXPECT_EQ(batched->sequences[i].ids, single->sequences[0].ids) << "prompt " << i;
            EXPECT_EQ(batched->sequences[i].promptTokens, static_cast<int64_t>(prompts[i].size()));
            for (size_t s = 0; s < single->sequences[0].stepLogits.size(); ++s)
                EXPECT_LT(tstest::maxAbsDiff(batched->sequences[i].stepLogits[s], single->sequences[0].stepLogits[s]),
                          1e-4)
                    << "prompt " << i << " step " << s;
        }
    }
}

TEST_F(EngineForward, SampledBatchMatchesOneByOneWithSameSeed)
{
    auto engine = load("llama");
    ASSERT_TRUE(engine);
    ts::GenerationOptions gen;
    gen.maxNewTokens = 8;
    gen.eosIds = std::vector<int32_t> {};
    gen.sampling.temperature = 1.0f;
    gen.sampling.topP = 0.9f;
    gen.sampling.seed = 1234;
    const std::vector<std::vector<int32_t>> prompts = {{1, 2, 3}, {4, 5, 6, 7, 8}};
    auto batched = engine->generate(prompts, gen);
    ASSERT_TRUE(batched);
    for (size_t i = 0; i < prompts.size(); ++i) {
        auto single = engine->generate({prompts[i]}, gen);
        ASSERT_TRUE(single);
        EXPECT_EQ(batched->sequences[i].ids, single->sequences[0].ids);
    }
    auto again = engine->generate(prompts, gen);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->sequences[1].ids, batched->sequences[1].ids);
}

TEST_F(EngineForward, RejectsBadInput)
{
    auto engine = load("llama");
    ASSERT_TRUE(engine);
    EXPECT_FALSE(engine->logits({}));
    auto bad = engine->logits({1, 67});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("67"), std::string::npos);
    ts::GenerationOptions gen;
    EXPECT_FALSE(engine->generate({}, gen));
    EXPECT_FALSE(engine->generate({{}}, gen));
    EXPECT_FALSE(engine->generate({{-1}}, gen));

    // Missing weights → a load error naming the tensor.
    tstest::TempDir broken;
    auto o = tstest::tinyOptions(ts::ModelArch::Llama);
    ASSERT_TRUE(ts::writeRandomModel(broken.path(), o));
    tstest::patchConfig(broken.path(), {{"num_hidden_layers", 3}});
    auto failed = ts::Engine::load(broken.path());
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("model.layers.2."), std::string::npos) << failed.error().message;
    tstest::patchConfig(broken.path(), {{"num_hidden_layers", 2}, {"hidden_size", 32}});
    failed = ts::Engine::load(broken.path());
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("shape"), std::string::npos) << failed.error().message;
}

// A batched prefill big enough to split attention into chunks (B · H · T · Tk > 2^24) gives the
// same next-token logits as each prompt alone (unchunked).
TEST_F(EngineForward, LongBatchedPrefillIsChunkedAndExact)
{
    auto engine = load("qwen2_tied");
    ASSERT_TRUE(engine);
    std::vector<std::vector<int32_t>> prompts;
    for (int b = 0; b < 4; ++b) {
        std::vector<int32_t> p;
        for (int i = 0; i < 1100 - 37 * b; ++i)
            p.push_back((i * 13 + b * 5) % 64);
        prompts.push_back(p);
    }
    ts::GenerationOptions gen;
    gen.maxNewTokens = 2;
    gen.eosIds = std::vector<int32_t> {};
    gen.recordLogits = true;
    auto batched = engine->generate(prompts, gen);
    ASSERT_TRUE(batched) << batched.error().message;
    for (size_t b = 0; b < prompts.size(); ++b) {
        auto alone = engine->logits(prompts[b]);
        ASSERT_TRUE(alone);
        EXPECT_LT(tstest::maxAbsDiff(batched->sequences[b].stepLogits[0], *alone), 1e-4) << b;
    }
}

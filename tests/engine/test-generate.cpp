// Generation control: EOS id lists, stop strings on decoded text, streaming deltas, cancellation,
// max new tokens; with a toy decode function (id → one letter) instead of a tokenizer.
#include <set>

#include "engine/engine.h"
#include "engine_test_support.h"

namespace {

// id → a letter 'a'..'z' (ids ≥ 26 wrap), so stop strings can be chosen from generated text.
std::string toyDecode(const std::vector<int32_t>& ids)
{
    std::string out;
    for (int32_t id : ids)
        out.push_back(static_cast<char>('a' + id % 26));
    return out;
}

class Generate : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        auto o = tstest::tinyOptions(ts::ModelArch::Llama, 5);
        auto info = ts::writeRandomModel(s_dir->path(), o);
        ASSERT_TRUE(info) << info.error().message;
        ts::EngineOptions options;
        options.threads = 1;
        auto engine = ts::Engine::load(s_dir->path(), options);
        ASSERT_TRUE(engine) << engine.error().message;
        s_engine = engine->release();
    }
    static void TearDownTestSuite()
    {
        delete s_engine;
        delete s_dir;
    }

    // The greedy continuation with no EOS at all.
    static std::vector<int32_t> reference(int n)
    {
        ts::GenerationOptions gen;
        gen.maxNewTokens = n;
        gen.eosIds = std::vector<int32_t> {};
        auto out = s_engine->generate({kPrompt}, gen);
        EXPECT_TRUE(out);
        return out->sequences[0].ids;
    }

    static inline tstest::TempDir* s_dir = nullptr;
    static inline ts::Engine* s_engine = nullptr;
    static inline const std::vector<int32_t> kPrompt = {1, 10, 20, 30};
};

} // namespace

TEST_F(Generate, MaxNewTokensAndZero)
{
    auto ids = reference(20);
    ASSERT_EQ(ids.size(), 20u);
    ts::GenerationOptions gen;
    gen.maxNewTokens = 0;
    auto out = s_engine->generate({kPrompt}, gen);
    ASSERT_TRUE(out);
    EXPECT_TRUE(out->sequences[0].ids.empty());
    EXPECT_EQ(out->sequences[0].promptTokens, 4);
    // Greedy is deterministic and a prefix of a longer run.
    auto shorter = reference(5);
    EXPECT_EQ(shorter, std::vector<int32_t>(ids.begin(), ids.begin() + 5));
}

TEST_F(Generate, EosListEndsSequence)
{
    auto ids = reference(20);
    // End on the token generated at step 6 (and on an id that never appears).
    const int32_t eos = ids[6];
    const auto first = std::find(ids.begin(), ids.end(), eos) - ids.begin();
    ts::GenerationOptions gen;
    gen.maxNewTokens = 20;
    gen.eosIds = std::vector<int32_t> {63 == eos ? 62 : 63, eos};
    gen.decode = toyDecode;
    auto out = s_engine->generate({kPrompt}, gen);
    ASSERT_TRUE(out);
    const auto& seq = out->sequences[0];
    EXPECT_EQ(seq.finishReason, ts::FinishReason::Eos);
    ASSERT_EQ(static_cast<int64_t>(seq.ids.size()), first + 1); // EOS id included in ids
    EXPECT_EQ(seq.ids.back(), eos);
    EXPECT_EQ(seq.text, toyDecode(std::vector<int32_t>(ids.begin(), ids.begin() + first))); // not in text

    // The model's default EOS ids come from generation_config.json / config.json.
    EXPECT_TRUE(s_engine->defaultEosIds().empty()); // no tokenizer, so none here
}

TEST_F(Generate, StopStringCutsText)
{
    auto ids = reference(20);
    const std::string full = toyDecode(ids);
    const std::string stop = full.substr(8, 2);
    const auto at = full.find(stop);
    ts::GenerationOptions gen;
    gen.maxNewTokens = 20;
    gen.eosIds = std::vector<int32_t> {};
    gen.decode = toyDecode;
    gen.stopStrings = {"zzzzzzzz", stop};
    std::string streamed;
    gen.onToken = [&](size_t, int32_t, const std::string& delta) { streamed += delta; };
    auto out = s_engine->generate({kPrompt}, gen);
    ASSERT_TRUE(out);
    const auto& seq = out->sequences[0];
    EXPECT_EQ(seq.finishReason, ts::FinishReason::Stop);
    EXPECT_EQ(seq.text, full.substr(0, at));
    EXPECT_EQ(seq.ids.size(), at + stop.size()); // the token that completed the stop string is kept
    EXPECT_EQ(streamed, seq.text); // no part of the stop string was streamed
}

TEST_F(Generate, StreamingDeltasConcatenateToText)
{
    ts::GenerationOptions gen;
    gen.maxNewTokens = 15;
    gen.eosIds = std::vector<int32_t> {};
    gen.decode = toyDecode;
    std::vector<int32_t> seen;
    std::string streamed;
    gen.onToken = [&](size_t sequence, int32_t id, const std::string& delta) {
        EXPECT_EQ(sequence, 0u);
        seen.push_back(id);
        streamed += delta;
    };
    auto out = s_engine->generate({kPrompt}, gen);
    ASSERT_TRUE(out);
    EXPECT_EQ(seen, out->sequences[0].ids);
    EXPECT_EQ(streamed, out->sequences[0].text);
    EXPECT_EQ(out->sequences[0].text, toyDecode(out->sequences[0].ids));
    EXPECT_EQ(out->completionTokens, 15);
    EXPECT_EQ(out->decodeTokens, 14);
    EXPECT_GT(out->prefillMs, 0.0);
}

TEST_F(Generate, CancellationStopsEverySequence)
{
    ts::GenerationOptions gen;
    gen.maxNewTokens = 50;
    gen.eosIds = std::vector<int32_t> {};
    int calls = 0;
    gen.onToken = [&](size_t sequence, int32_t, const std::string&) {
        if (sequence == 1 && ++calls == 3)
            gen.cancel.requestStop();
    };
    auto out = s_engine->generate({kPrompt, {5, 6}}, gen);
    ASSERT_TRUE(out) << out.error().message;
    for (const auto& seq : out->sequences) {
        EXPECT_EQ(seq.finishReason, ts::FinishReason::Cancelled);
        EXPECT_EQ(seq.ids.size(), 3u);
    }
    // Already cancelled: one token (from the prompt pass), then stop.
    auto again = s_engine->generate({kPrompt}, gen);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->sequences[0].ids.size(), 1u);
    EXPECT_EQ(again->sequences[0].finishReason, ts::FinishReason::Cancelled);
}

TEST_F(Generate, RowsFinishIndependently)
{
    auto ids = reference(10);
    ts::GenerationOptions gen;
    gen.maxNewTokens = 10;
    gen.eosIds = std::vector<int32_t> {ids[2]};
    auto out = s_engine->generate({kPrompt, {7, 8, 9}}, gen);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->sequences[0].finishReason, ts::FinishReason::Eos);
    EXPECT_LE(out->sequences[0].ids.size(), 3u);
    // The other row runs on, unaffected, to its own end.
    gen.eosIds = std::vector<int32_t> {};
    auto alone = s_engine->generate({{7, 8, 9}}, gen);
    ASSERT_TRUE(alone);
    const auto& other = out->sequences[1].ids;
    const auto& full = alone->sequences[0].ids;
    ASSERT_LE(other.size(), full.size());
    EXPECT_EQ(other, std::vector<int32_t>(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(other.size())));
}

TEST_F(Generate, FinishedRowsLeaveTheBatchWithoutChangingOthers)
{
    // Rows of different lengths; the EOS list is made of tokens some rows produce early, so rows
    // finish at different steps and the batch shrinks several times.
    const std::vector<std::vector<int32_t>> prompts = {kPrompt, {7, 8, 9}, {3}, {40, 41, 42, 43, 44, 45}, {12, 5}};
    auto ids = reference(12);
    ts::GenerationOptions gen;
    gen.maxNewTokens = 12;
    gen.eosIds = std::vector<int32_t> {ids[1], ids[4]};
    gen.recordLogits = true;
    std::vector<size_t> streamed(prompts.size(), 0);
    gen.onToken = [&](size_t sequence, int32_t, const std::string&) { ++streamed.at(sequence); };
    auto batch = s_engine->generate(prompts, gen);
    ASSERT_TRUE(batch) << batch.error().message;

    gen.onToken = nullptr;
    size_t eosRows = 0;
    std::set<size_t> lengths;
    for (size_t b = 0; b < prompts.size(); ++b) {
        auto alone = s_engine->generate({prompts[b]}, gen);
        ASSERT_TRUE(alone);
        const auto& got = batch->sequences[b];
        const auto& want = alone->sequences[0];
        EXPECT_EQ(got.ids, want.ids) << "row " << b;
        EXPECT_EQ(got.finishReason, want.finishReason) << "row " << b;
        EXPECT_EQ(streamed[b], got.ids.size()) << "row " << b;
        ASSERT_EQ(got.stepLogits.size(), want.stepLogits.size());
        for (size_t s = 0; s < got.stepLogits.size(); ++s)
            for (size_t v = 0; v < got.stepLogits[s].size(); ++v)
                ASSERT_NEAR(got.stepLogits[s][v], want.stepLogits[s][v], 1e-4) << "row " << b << " step " << s;
        eosRows += got.finishReason == ts::FinishReason::Eos;
        lengths.insert(got.ids.size());
    }
    EXPECT_GE(eosRows, 1u); // the test did shrink the batch
    EXPECT_GE(lengths.size(), 3u); // at several different steps
}

// Sampler properties: greedy = argmax, top-k = 1 = greedy, seeded reproducibility, the top-p cut,
// temperature, the repetition penalty, and empirical frequencies.
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "engine/sampler.h"

namespace {

std::vector<float> logitsFromProbs(const std::vector<double>& probs)
{
    std::vector<float> out;
    for (double p : probs)
        out.push_back(static_cast<float>(std::log(p)));
    return out;
}

std::vector<float> randomLogits(uint64_t seed, size_t n)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, 2.0f);
    std::vector<float> out(n);
    for (auto& v : out)
        v = dist(rng);
    return out;
}

} // namespace

TEST(Sampler, GreedyIsArgmax)
{
    ts::Sampler sampler;
    EXPECT_TRUE(sampler.greedy());
    for (uint64_t seed = 0; seed < 20; ++seed) {
        auto logits = randomLogits(seed, 1000);
        auto argmax = std::max_element(logits.begin(), logits.end()) - logits.begin();
        EXPECT_EQ(sampler.sample(logits, {}), argmax);
    }
    // Ties go to the lowest id.
    EXPECT_EQ(sampler.sample(std::vector<float> {1, 3, 3, 2}, {}), 1);
}

TEST(Sampler, TopKOneIsGreedy)
{
    for (uint64_t seed = 0; seed < 20; ++seed) {
        ts::SamplingParams p;
        p.temperature = 1.5f;
        p.topK = 1;
        p.seed = seed;
        ts::Sampler sampler(p);
        auto logits = randomLogits(seed + 100, 500);
        auto argmax = std::max_element(logits.begin(), logits.end()) - logits.begin();
        EXPECT_EQ(sampler.sample(logits, {}), argmax);
    }
}

TEST(Sampler, SeedReproducibility)
{
    ts::SamplingParams p;
    p.temperature = 1.0f;
    p.seed = 42;
    auto logits = randomLogits(3, 200);
    auto draw = [&](uint64_t seed) {
        auto q = p;
        q.seed = seed;
        ts::Sampler sampler(q);
        std::vector<int32_t> ids;
        for (int i = 0; i < 50; ++i)
            ids.push_back(sampler.sample(logits, {}));
        return ids;
    };
    EXPECT_EQ(draw(42), draw(42));
    EXPECT_NE(draw(42), draw(43));
}

TEST(Sampler, TopPCut)
{
    const auto logits = logitsFromProbs({0.5, 0.3, 0.15, 0.05});
    ts::SamplingParams p;
    p.temperature = 1.0f;
    p.topP = 0.7f; // 0.5 < 0.7 keeps id 1 too; 0.8 >= 0.7 stops
    ts::Sampler sampler(p);
    auto d = sampler.distribution(logits, {});
    EXPECT_NEAR(d[0], 0.5 / 0.8, 1e-6);
    EXPECT_NEAR(d[1], 0.3 / 0.8, 1e-6);
    EXPECT_EQ(d[2], 0.0f);
    EXPECT_EQ(d[3], 0.0f);
    p.topP = 0.4f; // the top token alone
    ts::Sampler narrow(p);
    d = narrow.distribution(logits, {});
    EXPECT_NEAR(d[0], 1.0, 1e-6);
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(narrow.sample(logits, {}), 0);
    p.topP = 0.96f; // needs all four
    ts::Sampler wide(p);
    d = wide.distribution(logits, {});
    EXPECT_NEAR(d[3], 0.05, 1e-6);
}

TEST(Sampler, TopPOnLargeVocabularyFallsBackToFullSort)
{
    // A flat distribution over 5000 ids: the nucleus for top_p 0.9 has 4500 ids (> the partial sort).
    std::vector<float> logits(5000, 0.0f);
    ts::SamplingParams p;
    p.temperature = 1.0f;
    p.topP = 0.9f;
    ts::Sampler sampler(p);
    auto d = sampler.distribution(logits, {});
    int kept = 0;
    for (float v : d)
        kept += v > 0;
    EXPECT_NEAR(kept, 4500, 1); // cumulative-sum rounding may keep one more
}

TEST(Sampler, TopKKeepsTiesAndTemperatureScales)
{
    ts::SamplingParams p;
    p.temperature = 1.0f;
    p.topK = 2;
    ts::Sampler sampler(p);
    auto d = sampler.distribution(std::vector<float> {3, 1, 3, 3, 0}, {});
    EXPECT_NEAR(d[0] + d[2] + d[3], 1.0, 1e-6); // three tied at the 2nd value survive
    EXPECT_EQ(d[1], 0.0f);

    p.topK = 0;
    p.temperature = 2.0f;
    ts::Sampler hot(p);
    d = hot.distribution(std::vector<float> {2, 0}, {});
    EXPECT_NEAR(d[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6); // softmax([1, 0])
}

TEST(Sampler, RepetitionPenalty)
{
    ts::SamplingParams p;
    p.repetitionPenalty = 2.0f;
    ts::Sampler sampler(p);
    // [2, 1.5, -1] with ids 0 and 2 seen → [1, 1.5, -2]: greedy picks 1.
    EXPECT_EQ(sampler.sample(std::vector<float> {2, 1.5f, -1}, std::vector<int32_t> {0, 2, 0}), 1);
    p.temperature = 1.0f;
    ts::Sampler sampled(p);
    auto d = sampled.distribution(std::vector<float> {2, 1.5f, -1}, std::vector<int32_t> {0, 2});
    const double z = std::exp(1.0) + std::exp(1.5) + std::exp(-2.0);
    EXPECT_NEAR(d[0], std::exp(1.0) / z, 1e-6);
    EXPECT_NEAR(d[2], std::exp(-2.0) / z, 1e-6);
}

TEST(Sampler, EmpiricalFrequencies)
{
    const std::vector<double> probs = {0.4, 0.3, 0.2, 0.1};
    ts::SamplingParams p;
    p.temperature = 1.0f;
    p.seed = 7;
    ts::Sampler sampler(p);
    std::map<int32_t, int> counts;
    const int n = 20000;
    for (int i = 0; i < n; ++i)
        ++counts[sampler.sample(logitsFromProbs(probs), {})];
    for (int id = 0; id < 4; ++id)
        EXPECT_NEAR(counts[id] / double(n), probs[id], 0.015) << id;
}

TEST(SamplingFromGenerationConfig, FollowsTransformersDefaults)
{
    ts::GenerationDefaults g;
    auto greedy = ts::samplingFromGenerationConfig(g);
    EXPECT_LE(greedy.temperature, 0.0f);
    EXPECT_EQ(greedy.repetitionPenalty, 1.0f);

    g.temperature = 0.6; // ignored without do_sample, as in transformers
    g.repetitionPenalty = 1.1;
    auto stillGreedy = ts::samplingFromGenerationConfig(g);
    EXPECT_TRUE(ts::Sampler(stillGreedy).greedy());
    EXPECT_FLOAT_EQ(stillGreedy.repetitionPenalty, 1.1f);

    g.doSample = true;
    auto sampled = ts::samplingFromGenerationConfig(g);
    EXPECT_FLOAT_EQ(sampled.temperature, 0.6f);
    EXPECT_EQ(sampled.topK, 50); // transformers' default top_k
    EXPECT_FLOAT_EQ(sampled.topP, 1.0f);
    g.topK = 0;
    g.topP = 0.9;
    g.temperature.reset();
    sampled = ts::samplingFromGenerationConfig(g);
    EXPECT_FLOAT_EQ(sampled.temperature, 1.0f);
    EXPECT_EQ(sampled.topK, 0);
    EXPECT_FLOAT_EQ(sampled.topP, 0.9f);
}

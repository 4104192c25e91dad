// Statistics for A/B comparisons (core/eval/statistics.h). Expected values come from outside this code:
// McNemar p-values computed exactly with Python's fractions (commands in the comments), percentiles
// from Python's statistics.quantiles(method="inclusive") (numpy's default linear interpolation), and the
// bootstrap checked against what theory says about the mean of a known distribution.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "eval/statistics.h"

using namespace ts::eval;

namespace {

// Uniform values in [0, 1) from a fixed generator (the test's data, independent of the bootstrap's RNG).
std::vector<double> uniformSample(size_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<double> values(n);
    for (double& v : values)
        v = static_cast<double>(rng() >> 11) / 9007199254740992.0; // 53 random bits / 2^53
    return values;
}

double width(const MeanEstimate& e)
{
    return e.ciHigh - e.ciLow;
}

} // namespace

// p = min(1, 2 * P(X <= min(b, c))), X ~ Binomial(b + c, 1/2), computed exactly with
//   python3 -c "from math import comb; from fractions import Fraction as F
//   p=lambda b,c: float(min(F(1), 2*F(sum(comb(b+c,i) for i in range(min(b,c)+1)), 2**(b+c))))"
TEST(EvalStatistics, McNemarExactMatchesExactArithmetic)
{
    struct Case
    {
        int64_t b, c;
        double p;
    };
    const Case cases[] = {
        {0, 0, 1.0}, // no discordant pairs
        {0, 1, 1.0}, // 2 * 1/2 = 1
        {0, 5, 0.0625}, // 2 / 2^5
        {1, 6, 0.125}, // 2 * (1 + 7) / 2^7
        {2, 8, 0.109375}, // 2 * (1 + 10 + 45) / 2^10
        {3, 12, 0.03515625},
        {5, 5, 1.0}, // capped at 1
        {3, 4, 1.0},
        {10, 25, 0.01667384780012071},
        {25, 10, 0.01667384780012071}, // symmetric in b and c
        {0, 30, 1.862645149230957e-09}, // 2 / 2^30
        {400, 500, 0.0009564441369189461},
        {1400, 1550, 0.006072910013900324}, // b + c in the thousands: needs log space
        {4000, 4300, 0.001029736761268161},
    };
    for (const Case& c : cases)
        EXPECT_NEAR(mcnemarExactP(c.b, c.c), c.p, 1e-9 * c.p) << "b=" << c.b << " c=" << c.c;
}

TEST(EvalStatistics, McNemarFromPassFlags)
{
    // 2 examples only A passes, 8 only B passes, 5 both, 3 neither: p as for (2, 8) above.
    std::vector<bool> a, b;
    auto add = [&](int count, bool passA, bool passB) {
        for (int i = 0; i < count; ++i) {
            a.push_back(passA);
            b.push_back(passB);
        }
    };
    add(2, true, false);
    add(5, true, true);
    add(8, false, true);
    add(3, false, false);
    auto result = mcnemarExact(a, b);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->onlyA, 2);
    EXPECT_EQ(result->onlyB, 8);
    EXPECT_NEAR(result->pValue, 0.109375, 1e-12);

    auto same = mcnemarExact(a, a);
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->pValue, 1.0);

    auto unequal = mcnemarExact({true, false}, {true});
    ASSERT_FALSE(unequal.ok());
    EXPECT_EQ(unequal.error().message,
              "variants have different numbers of results (A 2, B 1): McNemar's test "
              "needs both on the same examples");
    EXPECT_FALSE(mcnemarExact({}, {}).ok());
}

TEST(EvalStatistics, BootstrapMeanContainsTrueMeanAndMatchesTheory)
{
    // Uniform[0, 1): mean 1/2, sd 1/sqrt(12). The 95% CI of the mean is about +-1.96 sd/sqrt(n) wide.
    const double sd = 1 / std::sqrt(12.0);
    double widthAt100 = 0;
    double widthAt400 = 0;
    for (size_t n : {100u, 400u}) {
        const auto values = uniformSample(n, 7 + n);
        auto e = bootstrapMean(values);
        ASSERT_TRUE(e.ok());
        EXPECT_EQ(e->n, n);
        EXPECT_LT(e->ciLow, 0.5);
        EXPECT_GT(e->ciHigh, 0.5);
        EXPECT_LT(e->ciLow, e->mean);
        EXPECT_GT(e->ciHigh, e->mean);
        const double theory = 2 * 1.96 * sd / std::sqrt(double(n));
        EXPECT_NEAR(width(*e), theory, 0.15 * theory) << "n=" << n;
        (n == 100 ? widthAt100 : widthAt400) = width(*e);
    }
    // Four times the examples, half the width (1/sqrt(n)).
    EXPECT_NEAR(widthAt100 / widthAt400, 2.0, 0.3);
}

TEST(EvalStatistics, BootstrapCoverageIsNearNominal)
{
    // 200 independent samples of 50 uniform values: the 95% interval should contain 0.5 about 190
    // times (binomial sd ~3; percentile intervals run slightly narrow at small n).
    BootstrapOptions options;
    options.resamples = 2000;
    int covered = 0;
    for (uint64_t trial = 0; trial < 200; ++trial) {
        options.seed = 1000 + trial;
        auto e = bootstrapMean(uniformSample(50, trial), options);
        ASSERT_TRUE(e.ok());
        covered += e->ciLow <= 0.5 && 0.5 <= e->ciHigh;
    }
    EXPECT_GE(covered, 176);
    EXPECT_LE(covered, 199);
}

TEST(EvalStatistics, BootstrapIsDeterministicGivenTheSeed)
{
    const auto values = uniformSample(60, 3);
    BootstrapOptions options;
    options.seed = 42;
    auto first = bootstrapMean(values, options);
    auto second = bootstrapMean(values, options);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->ciLow, second->ciLow);
    EXPECT_EQ(first->ciHigh, second->ciHigh);
    options.seed = 43;
    auto other = bootstrapMean(values, options);
    ASSERT_TRUE(other.ok());
    EXPECT_NE(first->ciLow, other->ciLow);
    EXPECT_NEAR(first->ciLow, other->ciLow, 0.02); // another seed, nearly the same interval

    const auto b = uniformSample(60, 4);
    options.seed = 42;
    auto p1 = comparePaired(values, b, options);
    auto p2 = comparePaired(values, b, options);
    ASSERT_TRUE(p1.ok() && p2.ok());
    EXPECT_EQ(p1->ciLow, p2->ciLow);
    EXPECT_EQ(p1->ciHigh, p2->ciHigh);
    EXPECT_EQ(p1->pValue, p2->pValue);
}

TEST(EvalStatistics, BootstrapEdgeCases)
{
    const std::vector<double> one = {0.7};
    auto single = bootstrapMean(one);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(single->mean, 0.7);
    EXPECT_EQ(single->ciLow, 0.7);
    EXPECT_EQ(single->ciHigh, 0.7);

    const std::vector<double> equal(30, 1.0);
    auto flat = bootstrapMean(equal);
    ASSERT_TRUE(flat.ok());
    EXPECT_EQ(flat->ciLow, 1.0);
    EXPECT_EQ(flat->ciHigh, 1.0);

    const std::vector<double> none;
    auto empty = bootstrapMean(none);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().message, "no scores");
    const std::vector<double> nan = {1.0, std::nan("")};
    EXPECT_FALSE(bootstrapMean(nan).ok());
    BootstrapOptions bad;
    bad.resamples = 0;
    EXPECT_EQ(bootstrapMean(one, bad).error().message, "bootstrap resamples must be at least 1, got 0");
    bad.resamples = 100;
    bad.confidence = 1.0;
    EXPECT_FALSE(bootstrapMean(one, bad).ok());
}

TEST(EvalStatistics, PairedBootstrapDetectsARealShift)
{
    // B = A + 0.1 + small noise on every example: B is better, clearly.
    const auto a = uniformSample(80, 11);
    const auto noise = uniformSample(80, 12);
    std::vector<double> b(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        b[i] = a[i] + 0.1 + 0.05 * (noise[i] - 0.5);
    auto c = comparePaired(a, b);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->n, 80u);
    EXPECT_NEAR(c->difference, c->meanB - c->meanA, 1e-12);
    EXPECT_NEAR(c->difference, 0.1, 0.01);
    EXPECT_GT(c->ciLow, 0.0);
    EXPECT_LT(c->ciLow, c->difference);
    EXPECT_GT(c->ciHigh, c->difference);
    EXPECT_TRUE(c->significant);
    // Every difference is positive, so every bootstrap mean is: p = 2 * (0 + 1) / (10000 + 1).
    EXPECT_DOUBLE_EQ(c->pValue, 2.0 / 10001.0);
    EXPECT_EQ(verdictText(*c, "A", "B").rfind("B \u2212 A = +10.", 0), 0u) << verdictText(*c, "A", "B");
    EXPECT_TRUE(verdictText(*c, "A", "B").ends_with("): B scores higher")) << verdictText(*c, "A", "B");

    // The same data the other way round: A beats B.
    auto reversed = comparePaired(b, a);
    ASSERT_TRUE(reversed.ok());
    EXPECT_TRUE(reversed->significant);
    EXPECT_LT(reversed->ciHigh, 0.0);
    EXPECT_EQ(verdictText(*reversed, "A", "B").rfind("B \u2212 A = \u221210.", 0), 0u);
    EXPECT_TRUE(verdictText(*reversed, "A", "B").ends_with("): A scores higher"));
}

TEST(EvalStatistics, PairedBootstrapFindsNothingBetweenEquals)
{
    const auto a = uniformSample(50, 21);
    auto identical = comparePaired(a, a);
    ASSERT_TRUE(identical.ok());
    EXPECT_EQ(identical->difference, 0.0);
    EXPECT_EQ(identical->ciLow, 0.0);
    EXPECT_EQ(identical->ciHigh, 0.0);
    EXPECT_EQ(identical->pValue, 1.0);
    EXPECT_FALSE(identical->significant);
    EXPECT_EQ(verdictText(*identical, "Short prompt", "CoT prompt"),
              "CoT prompt \u2212 Short prompt = 0.0 points (95% CI 0.0 \u2026 0.0): no significant difference");

    // B is A with its scores shuffled across examples: same mean, noisy paired differences.
    std::vector<double> b(a.rbegin(), a.rend());
    auto shuffled = comparePaired(a, b);
    ASSERT_TRUE(shuffled.ok());
    EXPECT_NEAR(shuffled->difference, 0.0, 1e-12);
    EXPECT_LT(shuffled->ciLow, 0.0);
    EXPECT_GT(shuffled->ciHigh, 0.0);
    EXPECT_GT(shuffled->pValue, 0.5);
    EXPECT_FALSE(shuffled->significant);
}

TEST(EvalStatistics, PairedEdgeCases)
{
    const std::vector<double> a = {1, 0, 1};
    const std::vector<double> b = {1, 1};
    auto unequal = comparePaired(a, b);
    ASSERT_FALSE(unequal.ok());
    EXPECT_EQ(unequal.error().message,
              "variants have different numbers of scores (A 3, B 2): a paired comparison "
              "needs both on the same examples");
    const std::vector<double> none;
    auto empty = comparePaired(none, none);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().message, "no scores for A");

    // One example proves nothing, however large the difference.
    const std::vector<double> oneA = {0.0};
    const std::vector<double> oneB = {1.0};
    auto single = comparePaired(oneA, oneB);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(single->difference, 1.0);
    EXPECT_FALSE(single->significant);
    EXPECT_EQ(verdictText(*single, "A", "B"), "Too few examples to compare A and B (n = 1)");

    // Every example improves by exactly 1 (constant differences): a degenerate but certain interval.
    const std::vector<double> lowScores = {1, 2, 3, 4};
    const std::vector<double> highScores = {2, 3, 4, 5};
    auto constant = comparePaired(lowScores, highScores);
    ASSERT_TRUE(constant.ok());
    EXPECT_EQ(constant->ciLow, 1.0);
    EXPECT_EQ(constant->ciHigh, 1.0);
    EXPECT_TRUE(constant->significant);
    EXPECT_EQ(verdictText(*constant, "A", "B", 1.0, "words"),
              "B \u2212 A = +1.0 words (95% CI +1.0 \u2026 +1.0): B scores higher");
}

TEST(EvalStatistics, VerdictText)
{
    PairedComparison c;
    c.n = 50;
    c.difference = 0.12;
    c.ciLow = 0.04;
    c.ciHigh = 0.20;
    c.significant = true;
    EXPECT_EQ(verdictText(c, "A", "B"), "B \u2212 A = +12.0 points (95% CI +4.0 \u2026 +20.0): B scores higher");
    c.difference = -0.03;
    c.ciLow = -0.05;
    c.ciHigh = -0.01;
    // The sign says which way: B − A is negative when A scores higher.
    EXPECT_EQ(verdictText(c, "A", "B"),
              "B \u2212 A = \u22123.0 points (95% CI \u22125.0 \u2026 \u22121.0): A scores higher");
    c.significant = false;
    c.difference = 0.015;
    c.ciLow = -0.03;
    c.ciHigh = 0.06;
    EXPECT_EQ(verdictText(c, "A", "B"),
              "B \u2212 A = +1.5 points (95% CI \u22123.0 \u2026 +6.0): no significant difference");
    // Judge ratings (1-10) are points as they are; another confidence level is named.
    c.significant = true;
    c.difference = 0.8;
    c.ciLow = 0.3;
    c.ciHigh = 1.26;
    c.confidence = 0.9;
    EXPECT_EQ(verdictText(c, "v1", "v2", 1.0),
              "v2 \u2212 v1 = +0.8 points (90% CI +0.3 \u2026 +1.3): v2 scores higher");
    // A tiny negative bound does not print as "-0.0".
    c.significant = false;
    c.difference = 0.01;
    c.ciLow = -0.0001;
    c.ciHigh = 0.02;
    c.confidence = 0.95;
    EXPECT_EQ(verdictText(c, "A", "B"), "B \u2212 A = +1.0 points (95% CI 0.0 \u2026 +2.0): no significant difference");
}

// Expected values: python3 -c "import statistics as s; d=[120,80,300,95,110,2000,105,90];
//   print(s.quantiles(d, n=20, method='inclusive')[18], s.quantiles(d, n=2, method='inclusive')[0])"
//   -> 1405.0 107.5; and for [15,20,35,40,50]: 48.0 and 35.
TEST(EvalStatistics, PercentilesInterpolateLinearly)
{
    const std::vector<double> latencies = {120, 80, 300, 95, 110, 2000, 105, 90};
    auto summary = latencySummary(latencies);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->n, 8u);
    EXPECT_DOUBLE_EQ(summary->p50, 107.5);
    EXPECT_DOUBLE_EQ(summary->p95, 1405.0);

    const std::vector<double> five = {15, 20, 35, 40, 50};
    EXPECT_DOUBLE_EQ(percentile(five, 0.95).value(), 48.0);
    EXPECT_DOUBLE_EQ(percentile(five, 0.5).value(), 35.0);
    EXPECT_DOUBLE_EQ(percentile(five, 0.0).value(), 15.0);
    EXPECT_DOUBLE_EQ(percentile(five, 1.0).value(), 50.0);
    const std::vector<double> one = {42};
    EXPECT_DOUBLE_EQ(percentile(one, 0.95).value(), 42.0);

    EXPECT_FALSE(percentile(five, 95).ok()); // q is a fraction
    const std::vector<double> none;
    auto empty = latencySummary(none);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().message, "latency: no values");
}

TEST(EvalStatistics, CostPer1000Calls)
{
    // 500 input and 200 output tokens a call at $3 / $15 per million: (500*3 + 200*15) / 1e6 * 1000 = $4.50.
    EXPECT_DOUBLE_EQ(costPer1000Calls(500, 200, 3.0, 15.0), 4.5);
    EXPECT_DOUBLE_EQ(costPer1000Calls(0, 0, 3.0, 15.0), 0.0);
    EXPECT_DOUBLE_EQ(costPer1000Calls(1000, 0, 0.5, 100.0), 0.5);
}

// Statistics for A/B comparisons of prompt variants on the same examples:
//   - bootstrapMean: a variant's mean score with a percentile bootstrap confidence interval;
//   - comparePaired: the mean difference B - A over paired examples, with a paired bootstrap CI and a
//     two-sided bootstrap p-value, and verdictText() to say it in a sentence;
//   - mcnemarExact: McNemar's exact test on pass/fail outcomes;
//   - percentile / latencySummary (p50, p95) and costPer1000Calls.
// Everything is deterministic given BootstrapOptions::seed (own index sampling over std::mt19937_64,
// whose output the standard fixes), so the same project shows the same intervals on every machine.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"

namespace ts::eval {

struct BootstrapOptions
{
    int resamples = 10000;
    uint64_t seed = 20231101;
    double confidence = 0.95; // the interval covers this central share of the bootstrap distribution
};

struct MeanEstimate
{
    size_t n = 0;
    double mean = 0;
    double ciLow = 0; // with n = 1 (or all values equal) the interval is the single point
    double ciHigh = 0;
};

// Errors: no values, a non-finite value, resamples < 1, confidence outside (0, 1).
Expected<MeanEstimate> bootstrapMean(std::span<const double> values, const BootstrapOptions& options = {});

struct PairedComparison
{
    size_t n = 0;
    double meanA = 0;
    double meanB = 0;
    double difference = 0; // meanB - meanA
    double ciLow = 0; // paired bootstrap interval of the mean difference (examples resampled as pairs)
    double ciHigh = 0;
    double confidence = 0.95;
    // Two-sided: 2 * the smaller share of bootstrap differences on either side of 0 (with +1 smoothing),
    // at most 1. Identical variants give 1.
    double pValue = 1;
    // The interval excludes 0 and there are at least 2 examples (one example proves nothing).
    bool significant = false;
};

// a[i] and b[i] are the scores of variants A and B on example i. Errors: different lengths, no
// examples, non-finite scores, bad options.
Expected<PairedComparison> comparePaired(std::span<const double> a, std::span<const double> b,
                                         const BootstrapOptions& options = {});

// A sentence for the UI: the difference B − A with its sign and unit, its CI, and what it means. Numbers are in
// score units x pointsPerUnit (100 for 0..1 scores, so a difference of 0.12 is "+12.0 points"; 1 for judge ratings
// and lengths, whose `unit` is "words" or "characters"), one decimal, with a sign (− is U+2212):
//   "B − A = +12.0 points (95% CI +4.0 … +20.0): B scores higher"
//   "B − A = −3.0 points (95% CI −5.0 … −1.0): A scores higher"
//   "B − A = +1.5 points (95% CI −3.0 … +6.0): no significant difference"
//   "Too few examples to compare A and B (n = 1)"
std::string verdictText(const PairedComparison& comparison, std::string_view nameA, std::string_view nameB,
                        double pointsPerUnit = 100, std::string_view unit = "points");

struct McNemarResult
{
    int64_t onlyA = 0; // b: examples A passes and B fails
    int64_t onlyB = 0; // c: examples B passes and A fails
    double pValue = 1;
};

// Exact two-sided McNemar p-value from the discordant counts: min(1, 2 * P(X <= min(b, c))) with
// X ~ Binomial(b + c, 1/2), summed in log space (fine for b + c in the millions). b = c = 0 gives 1.
double mcnemarExactP(int64_t onlyA, int64_t onlyB);
// From per-example pass flags of A and B (same examples, same order). Errors: different lengths, none.
Expected<McNemarResult> mcnemarExact(const std::vector<bool>& passA, const std::vector<bool>& passB);

// The q-quantile (q in [0, 1]) with linear interpolation between order statistics, as numpy's default:
// position q * (n - 1) in the sorted values. Errors: no values, q outside [0, 1], a non-finite value.
Expected<double> percentile(std::span<const double> values, double q);

struct LatencySummary
{
    size_t n = 0;
    double p50 = 0;
    double p95 = 0;
};
Expected<LatencySummary> latencySummary(std::span<const double> latenciesMs);

// Cost of 1,000 calls with the given average tokens per call and prices per million tokens.
double costPer1000Calls(double inputTokensPerCall, double outputTokensPerCall, double inputPricePerMillion,
                        double outputPricePerMillion);

} // namespace ts::eval

// Bootstrap intervals, paired comparison, McNemar's exact test, percentiles; see statistics.h.
#include "eval/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

namespace ts::eval {

namespace {

Status checkValues(std::span<const double> values, const char* what)
{
    if (values.empty())
        return makeError(std::string("no ") + what);
    for (double v : values)
        if (!std::isfinite(v))
            return makeError(std::string(what) + " contain a value that is not a finite number");
    return {};
}

Status checkOptions(const BootstrapOptions& options)
{
    if (options.resamples < 1)
        return makeError("bootstrap resamples must be at least 1, got " + std::to_string(options.resamples));
    if (!(options.confidence > 0 && options.confidence < 1))
        return makeError("confidence must be between 0 and 1 (exclusive), got " + std::to_string(options.confidence));
    return {};
}

// Uniform index in [0, n) by rejection, so results do not depend on the standard library's distributions.
size_t drawIndex(std::mt19937_64& rng, size_t n)
{
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const uint64_t limit = max - max % n; // a multiple of n
    uint64_t x = rng();
    while (x >= limit)
        x = rng();
    return static_cast<size_t>(x % n);
}

double meanOf(std::span<const double> values)
{
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / static_cast<double>(values.size());
}

// Sorted means of options.resamples resamples (with replacement) of `values`.
std::vector<double> bootstrapMeans(std::span<const double> values, const BootstrapOptions& options)
{
    std::mt19937_64 rng(options.seed);
    const size_t n = values.size();
    std::vector<double> means(static_cast<size_t>(options.resamples));
    for (double& mean : means) {
        double sum = 0;
        for (size_t i = 0; i < n; ++i)
            sum += values[drawIndex(rng, n)];
        mean = sum / static_cast<double>(n);
    }
    std::sort(means.begin(), means.end());
    return means;
}

// Linear interpolation in already sorted values.
double sortedQuantile(const std::vector<double>& sorted, double q)
{
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<size_t>(std::floor(position));
    const size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

std::string oneDecimal(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.1f", value);
    std::string text = buffer;
    if (text == "-0.0")
        text = "0.0";
    return text;
}

// "+12.0", "−3.0" (a true minus sign, U+2212), "0.0".
std::string signedOneDecimal(double value)
{
    const std::string text = oneDecimal(value);
    if (text == "0.0")
        return text;
    return text[0] == '-' ? "\u2212" + text.substr(1) : "+" + text;
}

std::string percentText(double confidence)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%g%%", confidence * 100);
    return buffer;
}

// log C(n, k)
double logChoose(int64_t n, int64_t k)
{
    return std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) - std::lgamma(double(n - k) + 1);
}

} // namespace

Expected<MeanEstimate> bootstrapMean(std::span<const double> values, const BootstrapOptions& options)
{
    if (auto status = checkValues(values, "scores"); !status)
        return status.error();
    if (auto status = checkOptions(options); !status)
        return status.error();
    const std::vector<double> means = bootstrapMeans(values, options);
    const double tail = (1 - options.confidence) / 2;
    MeanEstimate estimate;
    estimate.n = values.size();
    estimate.mean = meanOf(values);
    estimate.ciLow = sortedQuantile(means, tail);
    estimate.ciHigh = sortedQuantile(means, 1 - tail);
    return estimate;
}

Expected<PairedComparison> comparePaired(std::span<const double> a, std::span<const double> b,
                                         const BootstrapOptions& options)
{
    if (a.size() != b.size())
        return makeError("variants have different numbers of scores (A " + std::to_string(a.size()) + ", B "
                         + std::to_string(b.size()) + "): a paired comparison needs both on the same examples");
    if (auto status = checkValues(a, "scores for A"); !status)
        return status.error();
    if (auto status = checkValues(b, "scores for B"); !status)
        return status.error();
    if (auto status = checkOptions(options); !status)
        return status.error();

    std::vector<double> differences(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        differences[i] = b[i] - a[i];
    const std::vector<double> means = bootstrapMeans(differences, options);

    PairedComparison result;
    result.n = a.size();
    result.meanA = meanOf(a);
    result.meanB = meanOf(b);
    result.difference = meanOf(differences);
    result.confidence = options.confidence;
    const double tail = (1 - options.confidence) / 2;
    result.ciLow = sortedQuantile(means, tail);
    result.ciHigh = sortedQuantile(means, 1 - tail);

    const auto atMostZero = std::upper_bound(means.begin(), means.end(), 0.0) - means.begin();
    const auto atLeastZero = means.end() - std::lower_bound(means.begin(), means.end(), 0.0);
    const double smaller = static_cast<double>(std::min(atMostZero, atLeastZero));
    result.pValue = std::min(1.0, 2 * (smaller + 1) / (static_cast<double>(means.size()) + 1));
    result.significant = result.n >= 2 && (result.ciLow > 0 || result.ciHigh < 0);
    return result;
}

std::string verdictText(const PairedComparison& c, std::string_view nameA, std::string_view nameB, double pointsPerUnit,
                        std::string_view unit)
{
    const std::string a(nameA);
    const std::string b(nameB);
    if (c.n < 2)
        return "Too few examples to compare " + a + " and " + b + " (n = " + std::to_string(c.n) + ")";
    const double difference = c.difference * pointsPerUnit;
    const std::string meaning = !c.significant ? "no significant difference"
        : difference > 0                       ? b + " scores higher"
                                               : a + " scores higher";
    return b + " \u2212 " + a + " = " + signedOneDecimal(difference) + " " + std::string(unit) + " ("
        + percentText(c.confidence) + " CI " + signedOneDecimal(c.ciLow * pointsPerUnit) + " \u2026 "
        + signedOneDecimal(c.ciHigh * pointsPerUnit) + "): " + meaning;
}

double mcnemarExactP(int64_t onlyA, int64_t onlyB)
{
    const int64_t n = onlyA + onlyB;
    if (n <= 0)
        return 1.0;
    const int64_t k = std::min(onlyA, onlyB);
    // log P(X <= k) = log sum_i C(n, i) / 2^n, by log-sum-exp around the largest term (i = k, as k <= n/2).
    const double logHalfPowN = -double(n) * std::log(2.0);
    const double largest = logChoose(n, k);
    double sum = 0;
    for (int64_t i = 0; i <= k; ++i)
        sum += std::exp(logChoose(n, i) - largest);
    const double logTail = largest + std::log(sum) + logHalfPowN;
    return std::min(1.0, 2 * std::exp(logTail));
}

Expected<McNemarResult> mcnemarExact(const std::vector<bool>& passA, const std::vector<bool>& passB)
{
    if (passA.size() != passB.size())
        return makeError("variants have different numbers of results (A " + std::to_string(passA.size()) + ", B "
                         + std::to_string(passB.size()) + "): McNemar's test needs both on the same examples");
    if (passA.empty())
        return makeError("no pass/fail results to compare");
    McNemarResult result;
    for (size_t i = 0; i < passA.size(); ++i) {
        result.onlyA += passA[i] && !passB[i];
        result.onlyB += !passA[i] && passB[i];
    }
    result.pValue = mcnemarExactP(result.onlyA, result.onlyB);
    return result;
}

Expected<double> percentile(std::span<const double> values, double q)
{
    if (auto status = checkValues(values, "values"); !status)
        return status.error();
    if (!(q >= 0 && q <= 1))
        return makeError("percentile: q must be between 0 and 1, got " + std::to_string(q));
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return sortedQuantile(sorted, q);
}

Expected<LatencySummary> latencySummary(std::span<const double> latenciesMs)
{
    auto p50 = percentile(latenciesMs, 0.50);
    if (!p50)
        return makeError("latency: " + p50.error().message);
    LatencySummary summary;
    summary.n = latenciesMs.size();
    summary.p50 = *p50;
    summary.p95 = *percentile(latenciesMs, 0.95);
    return summary;
}

double costPer1000Calls(double inputTokensPerCall, double outputTokensPerCall, double inputPricePerMillion,
                        double outputPricePerMillion)
{
    return 1000 * (inputTokensPerCall * inputPricePerMillion + outputTokensPerCall * outputPricePerMillion) / 1e6;
}

} // namespace ts::eval

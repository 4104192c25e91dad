// bitsandbytes' dynamic 8-bit map and blockwise 8-bit quantization (see dynamic_map.h).
#include "quant/dynamic_map.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

// One fp32 rounding per operation, never fused into an FMA (torch computes these separately).
float mul(float a, float b)
{
    volatile float p = a * b;
    return p;
}

// torch.linspace(start, end, steps, dtype=float32) on CPU: the step in fp32, the first half
// counted from start and the second half from end.
std::vector<float> linspace(float start, float end, int64_t steps)
{
    std::vector<float> out(static_cast<size_t>(steps));
    if (steps == 1) {
        out[0] = start;
        return out;
    }
    const float step = (end - start) / static_cast<float>(steps - 1);
    const int64_t halfway = steps / 2;
    for (int64_t k = 0; k < steps; ++k)
        out[static_cast<size_t>(k)] = k < halfway ? start + mul(step, static_cast<float>(k))
                                                  : end - mul(step, static_cast<float>(steps - k - 1));
    return out;
}

// data += scale · means (and −scale · means when signed), each product rounded to fp32.
void appendScaledMeans(std::vector<float>& data, int64_t items, int exponent, bool isSigned)
{
    const auto b = linspace(0.1f, 1.0f, items);
    const float scale = static_cast<float>(std::pow(10.0, exponent));
    std::vector<float> means;
    for (size_t k = 0; k + 1 < b.size(); ++k)
        means.push_back((b[k] + b[k + 1]) / 2.0f);
    for (float m : means)
        data.push_back(mul(scale, m));
    if (isSigned)
        for (float m : means)
            data.push_back(mul(-scale, m));
}

constexpr float kMinAbsmax = 1e-38f;

} // namespace

std::vector<float> createDynamicMap(bool isSigned, int maxExponentBits, int totalBits)
{
    if (totalBits < 2 || totalBits > 8 || maxExponentBits < 1 || maxExponentBits >= totalBits)
        return {};
    std::vector<float> data;
    const int nonSignBits = totalBits - 1;
    const int64_t additionalItems = (int64_t {1} << (nonSignBits - maxExponentBits)) - 1;
    int i = 0;
    for (i = 0; i < maxExponentBits; ++i) {
        const int64_t fractionItems = isSigned ? (int64_t {1} << (i + nonSignBits - maxExponentBits)) + 1
                                               : (int64_t {1} << (i + nonSignBits - maxExponentBits + 1)) + 1;
        appendScaledMeans(data, fractionItems, -(maxExponentBits - 1) + i, isSigned);
    }
    if (additionalItems > 0) // bnb reuses the last exponent of the loop here
        appendScaledMeans(data, additionalItems + 1, -(maxExponentBits - 1) + (i - 1), isSigned);
    data.push_back(0.0f);
    data.push_back(1.0f);
    if (data.size() != (size_t {1} << totalBits))
        return {};
    data.resize(256, 0.0f);
    std::sort(data.begin(), data.end());
    return data;
}

const std::array<float, 256>& dynamicMap()
{
    static const std::array<float, 256> map = [] {
        std::array<float, 256> m {};
        const auto v = createDynamicMap(true, 7, 8);
        std::copy(v.begin(), v.end(), m.begin());
        return m;
    }();
    return map;
}

Blockwise8Data quantizeBlockwise8(std::span<const float> values, std::span<const float> map, int64_t blocksize)
{
    std::vector<float> thresholds;
    for (size_t i = 0; i + 1 < map.size(); ++i)
        thresholds.push_back((map[i] + map[i + 1]) / 2.0f);
    Blockwise8Data q;
    q.blocksize = blocksize;
    const int64_t n = static_cast<int64_t>(values.size());
    q.codes.resize(values.size());
    for (int64_t start = 0; start < n; start += blocksize) {
        const int64_t len = std::min(blocksize, n - start);
        float absmax = 0.0f;
        for (int64_t i = 0; i < len; ++i)
            absmax = std::max(absmax, std::fabs(values[static_cast<size_t>(start + i)]));
        q.absmax.push_back(absmax);
        const float recip = 1.0f / std::max(absmax, kMinAbsmax);
        for (int64_t i = 0; i < len; ++i) {
            const float scaled = std::clamp(values[static_cast<size_t>(start + i)] * recip, -1.0f, 1.0f);
            // bucketize(right=False): the number of thresholds strictly below the value.
            const auto it = std::lower_bound(thresholds.begin(), thresholds.end(), scaled);
            q.codes[static_cast<size_t>(start + i)] = static_cast<uint8_t>(it - thresholds.begin());
        }
    }
    return q;
}

void dequantizeBlockwise8(std::span<const uint8_t> codes, std::span<const float> absmax, std::span<const float> map,
                          int64_t blocksize, std::span<float> out)
{
    for (size_t k = 0; k < out.size(); ++k)
        out[k] = map[codes[k]] * absmax[k / static_cast<size_t>(blocksize)];
}

} // namespace ts

// Double quantization of NF4 scales (see double_quant.h).
#include "quant/double_quant.h"

#include "quant/dynamic_map.h"

namespace ts {

DoubleQuantData doubleQuantize(std::span<const float> absmax)
{
    DoubleQuantData d;
    const auto& map = dynamicMap();
    d.nestedMap.assign(map.begin(), map.end());
    double sum = 0.0;
    for (float a : absmax)
        sum += a;
    d.offset = absmax.empty() ? 0.0f : static_cast<float>(sum / static_cast<double>(absmax.size()));
    std::vector<float> centered(absmax.size());
    for (size_t i = 0; i < absmax.size(); ++i)
        centered[i] = absmax[i] - d.offset;
    auto q = quantizeBlockwise8(centered, d.nestedMap, d.nestedBlocksize);
    d.codes = std::move(q.codes);
    d.nestedAbsmax = std::move(q.absmax);
    return d;
}

void doubleDequantize(std::span<const uint8_t> codes, std::span<const float> nestedAbsmax, std::span<const float> map,
                      float offset, int64_t nestedBlocksize, std::span<float> out)
{
    for (size_t i = 0; i < out.size(); ++i) {
        // Stored before the add so the compiler cannot fuse the two into one FMA rounding.
        volatile float scaled = map[codes[i]] * nestedAbsmax[i / static_cast<size_t>(nestedBlocksize)];
        out[i] = scaled + offset;
    }
}

std::vector<float> doubleDequantize(const DoubleQuantData& data)
{
    std::vector<float> out(data.codes.size());
    doubleDequantize(data.codes, data.nestedAbsmax, data.nestedMap, data.offset, data.nestedBlocksize, out);
    return out;
}

} // namespace ts

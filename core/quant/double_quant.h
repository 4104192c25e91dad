// Double quantization of NF4 block scales (bnb quantize_4bit with compress_statistics=True,
// qlora_spec.md §1.3). Torch-free.
//   offset        = mean(absmax) (fp32)
//   codes, nested = quantizeBlockwise8(absmax − offset, dynamicMap(), 256)
//   absmax_i      = map[codes_i] · nested[i / 256] + offset  (two fp32 roundings, no FMA)
// Storage: 1 byte per 64-value block plus 4 bytes per 256 blocks, instead of 4 bytes per block.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ts {

inline constexpr int64_t kNestedBlocksize = 256;

struct DoubleQuantData
{
    std::vector<uint8_t> codes; // one per first-level block
    std::vector<float> nestedAbsmax; // ceil(codes.size() / nestedBlocksize)
    std::vector<float> nestedMap; // 256 entries (the dynamic map)
    float offset = 0.0f;
    int64_t nestedBlocksize = kNestedBlocksize;
};

// The mean is accumulated in double and rounded to fp32 once.
DoubleQuantData doubleQuantize(std::span<const float> absmax);

// out[i] = map[codes[i]] · nestedAbsmax[i / nestedBlocksize] + offset, for i < out.size().
void doubleDequantize(std::span<const uint8_t> codes, std::span<const float> nestedAbsmax, std::span<const float> map,
                      float offset, int64_t nestedBlocksize, std::span<float> out);
std::vector<float> doubleDequantize(const DoubleQuantData& data);

} // namespace ts

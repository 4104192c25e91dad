// bitsandbytes' 8-bit "dynamic" data type and its blockwise quantizer, as used by double
// quantization of NF4 scales (qlora_spec.md §1.3). Torch-free.
//
// createDynamicMap(signed, maxExponentBits, totalBits) follows bnb's create_dynamic_map: for each
// exponent i in [0, maxExponentBits) it takes the midpoints of linspace(0.1, 1, fractionItems) in
// fp32 (torch's linspace rule: start + step·k for the first half, end − step·(steps − 1 − k) for
// the rest), scales them by 10^(i − maxExponentBits + 1) (fp32 product), adds their negatives when
// signed, appends 0 and 1, pads with zeros to 256 and sorts. The default (true, 7, 8) map has 256
// distinct entries: 127 negatives down to about −0.99297, 0, 127 positives below 1, and 1.
// torch's linspace differs between versions and CPU kernels in the last bit or two (1.13
// vectorises it), so maps made by bnb may differ from this one by a few ulps; that is harmless
// because checkpoints store the map they were quantized with (nested_quant_map) and readers use it.
//
// Blockwise 8-bit quantization (bnb quantize_blockwise, default backend): blocks of `blocksize`
// values (the last may be partial), absmax[b] = max |x|, scaled = clamp(x · (1 / absmax), −1, 1),
// code = index of the nearest map entry by midpoints (a tie takes the lower index);
// dequantized x = map[code] · absmax[k / blocksize] in fp32.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace ts {

// 2^totalBits entries padded to 256, sorted ascending (bnb asserts the count; here
// totalBits ≤ 8 and maxExponentBits < totalBits are required, else an empty vector).
std::vector<float> createDynamicMap(bool isSigned = true, int maxExponentBits = 7, int totalBits = 8);

// The default signed map (cached).
const std::array<float, 256>& dynamicMap();

struct Blockwise8Data
{
    int64_t blocksize = 256;
    std::vector<uint8_t> codes; // one per value
    std::vector<float> absmax; // one per block
};

// `map`: 256 sorted entries.
Blockwise8Data quantizeBlockwise8(std::span<const float> values, std::span<const float> map, int64_t blocksize = 256);
// out[k] = map[codes[k]] · absmax[k / blocksize] for k < out.size().
void dequantizeBlockwise8(std::span<const uint8_t> codes, std::span<const float> absmax, std::span<const float> map,
                          int64_t blocksize, std::span<float> out);

} // namespace ts

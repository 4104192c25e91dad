// NF4 (4-bit NormalFloat) block quantization, bit-compatible with bitsandbytes' quantize_4bit /
// dequantize_4bit for quant_type "nf4" (see docs: qlora_spec.md §1.1–1.2). Torch-free.
//   values: n floats, the row-major flattening of a tensor (an nn.Linear weight (out, in) runs
//           its blocks along `in`), read as fp32 (f16 / bf16 inputs are widened exactly).
//   blocks: ceil(n / blocksize) runs of `blocksize` values; the last one may be partial.
//   absmax[b] = max |x| over block b (fp32), scaled x · (1 / absmax[b]) clamped to [-1, 1].
//   code:   index of the nearest kNf4Code entry, found by comparing with the 15 midpoints
//           (code[i] + code[i+1]) / 2; a value exactly on a midpoint takes the lower index
//           (bnb's bucketize and CUDA `x > threshold` tree agree on this).
//   packed: (n + 1) / 2 bytes, byte j = code[2j] << 4 | code[2j+1] (first element in the HIGH
//           nibble). An odd n is padded with the value 0.0, whose code is 7 (0b0111), as bnb does.
//   dequantized x[k] = kNf4Code[code k] · absmax[k / blocksize], computed in fp32.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "model/safetensors.h"

namespace ts {

// bitsandbytes' get_4bit_type("nf4"): index → value (a lookup table, no sign/exponent bits).
inline constexpr std::array<float, 16> kNf4Code = {
    -1.0f,
    -0.6961928009986877f,
    -0.5250730514526367f,
    -0.39491748809814453f,
    -0.28444138169288635f,
    -0.18477343022823334f,
    -0.09105003625154495f,
    0.0f,
    0.07958029955625534f,
    0.16093020141124725f,
    0.24611230194568634f,
    0.33791524171829224f,
    0.44070982933044434f,
    0.5626170039176941f,
    0.7229568362236023f,
    1.0f,
};

// Block sizes bitsandbytes accepts for 4-bit quantization.
inline constexpr std::array<int64_t, 8> kBnb4bitBlocksizes = {32, 64, 128, 256, 512, 1024, 2048, 4096};
bool isValidBnb4bitBlocksize(int64_t blocksize);

// The 15 decision thresholds (kNf4Code[i] + kNf4Code[i+1]) / 2 in fp32, ascending.
const std::array<float, 15>& nf4Thresholds();

// Nearest NF4 code of a value already scaled into [-1, 1] (ties → lower index; NaN → 0).
uint8_t nf4Encode(float scaled);

inline int64_t blockCount(int64_t n, int64_t blocksize)
{
    return (n + blocksize - 1) / blocksize;
}

// One quantized tensor: packed codes and one fp32 scale per block.
struct Nf4Data
{
    int64_t numel = 0;
    int64_t blocksize = 64;
    std::vector<uint8_t> packed; // (numel + 1) / 2
    std::vector<float> absmax; // blockCount(numel, blocksize)
};

// Quantizes fp32 values. Errors: blocksize not one of kBnb4bitBlocksizes.
Expected<Nf4Data> nf4Quantize(std::span<const float> values, int64_t blocksize = 64);
// The same, checking `cancel` every 4096 blocks (a few milliseconds): cancelledError() once it is set.
Expected<Nf4Data> nf4Quantize(std::span<const float> values, int64_t blocksize, const CancelToken& cancel);
// Quantizes raw F32 / F16 / BF16 little-endian elements (`count` of them at `data`), as bnb
// quantizes fp16 / bf16 tensors after widening them to fp32. Errors: other dtypes, blocksize.
Expected<Nf4Data> nf4QuantizeRaw(const std::byte* data, int64_t count, DType dtype, int64_t blocksize = 64);

// The code of element k (0 ≤ k < 2 · packed.size()).
inline uint8_t nf4CodeAt(std::span<const uint8_t> packed, int64_t k)
{
    const uint8_t byte = packed[static_cast<size_t>(k / 2)];
    return k % 2 == 0 ? static_cast<uint8_t>(byte >> 4) : static_cast<uint8_t>(byte & 0x0f);
}

// out[k] = kNf4Code[code k] · absmax[k / blocksize] for k < out.size(). The caller guarantees
// packed.size() ≥ (out.size() + 1) / 2 and absmax.size() ≥ blockCount(out.size(), blocksize).
void nf4Dequantize(std::span<const uint8_t> packed, std::span<const float> absmax, int64_t blocksize,
                   std::span<float> out);
std::vector<float> nf4Dequantize(const Nf4Data& data);

} // namespace ts

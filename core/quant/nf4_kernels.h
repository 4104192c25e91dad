// NF4 dequantization kernels over raw buffers (torch-free), one per device:
//   out[i] = table[code(i)] · scales[i / blocksize],  code(2j) = packed[j] >> 4, code(2j+1) = packed[j] & 15
// `scales` are the per-block absmax values (double quantization already expanded, see
// Nf4Weight::blockScales). The CPU kernel is the fast path behind Nf4Weight::dequantizeInto for
// fp32; the CUDA one is its own library (quant/cuda/nf4_dequant_cuda.h).
#pragma once

#include <cstdint>

namespace ts {

void nf4DequantizeCpu(const uint8_t* packed, const float* scales, int64_t n, int64_t blocksize, const float* table16,
                      float* out);

} // namespace ts

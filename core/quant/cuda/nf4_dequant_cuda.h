// NF4 dequantization on a CUDA device over raw device buffers (torch-free), the GPU twin of
// nf4DequantizeCpu (quant/nf4_kernels.h):
//   out[i] = table[code(i)] · scales[i / blocksize],  code(2j) = packed[j] >> 4, code(2j+1) = packed[j] & 15
// Its own library (tunesmith_quant_cuda): nf4_dequant.cu when the build has CUDA (TUNESMITH_CUDA), else
// nf4_dequant_unavailable.cpp, whose functions say there are no kernels. Only that library links cudart.
#pragma once

#include <cstdint>

namespace ts {

enum class Nf4OutType { F32, F16, BF16 };

// Enqueues the dequantization on `stream` (a cudaStream_t) of the current device; all pointers are
// device memory. Returns false when this build has no CUDA kernels.
bool nf4DequantizeCuda(const uint8_t* packed, const float* scales, int64_t n, int64_t blocksize, const float* table16,
                       void* out, Nf4OutType type, void* stream);

// Whether nf4DequantizeCuda does anything in this build.
bool nf4HaveCudaKernels();

} // namespace ts

// nf4_dequant_cuda.h in a build without CUDA kernels (TUNESMITH_CUDA off, or a libtorch without CUDA):
// nothing is enqueued, and NF4 on a CUDA device dequantizes with torch ops instead.
#include "quant/cuda/nf4_dequant_cuda.h"

namespace ts {

bool nf4DequantizeCuda(const uint8_t*, const float*, int64_t, int64_t, const float*, void*, Nf4OutType, void*)
{
    return false;
}

bool nf4HaveCudaKernels()
{
    return false;
}

} // namespace ts

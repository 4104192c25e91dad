// CUDA NF4 dequantization (see quant/nf4_kernels.h): one thread per packed byte, i.e. two
// output elements; the 16-entry table lives in shared memory. Compiled only with TUNESMITH_CUDA.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "quant/cuda/nf4_dequant_cuda.h"

namespace ts {

namespace {

template <typename T> __device__ inline T fromFloat(float v);
template <> __device__ inline float fromFloat<float>(float v)
{
    return v;
}
template <> __device__ inline __half fromFloat<__half>(float v)
{
    return __float2half_rn(v);
}
template <> __device__ inline __nv_bfloat16 fromFloat<__nv_bfloat16>(float v)
{
    return __float2bfloat16_rn(v);
}

template <typename T>
__global__ void nf4Dequant(const uint8_t* __restrict__ packed, const float* __restrict__ scales, int64_t n,
                           int64_t blocksize, const float* __restrict__ table16, T* __restrict__ out)
{
    __shared__ float table[16];
    if (threadIdx.x < 16)
        table[threadIdx.x] = table16[threadIdx.x];
    __syncthreads();
    const int64_t byte = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    const int64_t i = byte * 2;
    if (i >= n)
        return;
    const uint8_t v = packed[byte];
    out[i] = fromFloat<T>(table[v >> 4] * scales[i / blocksize]);
    if (i + 1 < n)
        out[i + 1] = fromFloat<T>(table[v & 15] * scales[(i + 1) / blocksize]);
}

} // namespace

bool nf4DequantizeCuda(const uint8_t* packed, const float* scales, int64_t n, int64_t blocksize, const float* table16,
                       void* out, Nf4OutType type, void* stream)
{
    const int threads = 256;
    const int64_t bytes = (n + 1) / 2;
    const unsigned blocks = static_cast<unsigned>((bytes + threads - 1) / threads);
    auto s = static_cast<cudaStream_t>(stream);
    switch (type) {
    case Nf4OutType::F32:
        nf4Dequant<float><<<blocks, threads, 0, s>>>(packed, scales, n, blocksize, table16, static_cast<float*>(out));
        break;
    case Nf4OutType::F16:
        nf4Dequant<__half><<<blocks, threads, 0, s>>>(packed, scales, n, blocksize, table16, static_cast<__half*>(out));
        break;
    case Nf4OutType::BF16:
        nf4Dequant<__nv_bfloat16>
            <<<blocks, threads, 0, s>>>(packed, scales, n, blocksize, table16, static_cast<__nv_bfloat16*>(out));
        break;
    }
    return cudaGetLastError() == cudaSuccess;
}

bool nf4HaveCudaKernels()
{
    return true;
}

} // namespace ts

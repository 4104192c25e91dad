// Matrix product for several rows at once (prefill, batched decoding): y = x Wᵀ (+ b) with
// x (M, K) and W (N, K) row-major fp32, y (M, N).
//
// A cache-blocked GEMM in the BLIS layout: per thread, a block of NC weight rows × KC inputs is
// packed into column strips of NR outputs (it stays in L2), a block of x rows into MR-row strips,
// and an MR × NR register tile accumulates with broadcast-FMA (AVX-512: 8 × 32, AVX2: 6 × 16).
// Threads split the output columns N, so they never share a tile. The same code serves any M ≥ 2;
// M = 1 goes to gemv. This replaces the BLAS call because a distribution's OpenBLAS may not
// recognise the CPU and fall back to generic kernels (Debian's 0.3.21 does on this machine).
// Internal header (torch).
#pragma once

#include <string_view>

#include "engine/torch_compat.h"

namespace ts::engine {

// x: (M, K) fp32 (any strides; made contiguous); weight: (N, K) contiguous fp32; bias (N) or
// undefined. → (M, N)
torch::Tensor gemm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// Whether gemm() takes the tensors: CPU fp32 2-D, no autograd needed, and a SIMD kernel on this
// CPU (else use at::addmm).
bool gemmApplies(const torch::Tensor& x, const torch::Tensor& weight);

// The kernel on raw strided operands: y (M, N) row-major = x wᵀ (+ b), with x(m, k) at
// x[m·xRowStride + k·xKStride] and w(n, k) at w[n·wRowStride + k·wKStride], so transposed
// operands (the backward pass) need no copies. accumulate: y += x wᵀ (bias ignored).
void gemmStrided(int64_t M, int64_t N, int64_t K, const float* x, int64_t xRowStride, int64_t xKStride, const float* w,
                 int64_t wRowStride, int64_t wKStride, const float* bias, float* y, bool accumulate);

// at::linear semantics (x (..., K), w (N, K), b (N) or undefined → (..., N)), differentiable:
// on CPU fp32 the forward and both backward products run on this kernel; elsewhere at::linear.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});
bool linearApplies(const torch::Tensor& x, const torch::Tensor& weight);

// "avx512", "avx2" or "none" (this CPU has neither: gemmApplies is false).
const char* gemmKernelName();

// Tests and benchmarks: use the named kernel ("avx512", "avx2", "none") if this CPU runs it.
// Not thread-safe; call before any gemm().
bool gemmSelectKernel(std::string_view name);

} // namespace ts::engine

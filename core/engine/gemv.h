// Matrix-vector product for single-row decoding: y = W x (+ b) with W (out, in) row-major fp32.
// Decoding one token streams every weight once, so this is memory-bound: the kernel splits the
// output rows over the compute threads and reads four rows at a time with AVX-512 or AVX2 FMA
// (chosen at run time), reaching the memory bandwidth where a BLAS gemv may not.
// Internal header (torch).
#pragma once

#include "engine/torch_compat.h"

namespace ts::engine {

// x: (in) contiguous fp32; weight: (out, in) contiguous fp32; bias: (out) or undefined. → (out)
torch::Tensor gemv(const torch::Tensor& weight, const torch::Tensor& x, const torch::Tensor& bias);

// Whether gemv() takes the tensors (CPU, fp32, contiguous), else use at::mv.
bool gemvApplies(const torch::Tensor& weight, const torch::Tensor& x);

// "avx512", "avx2" or "scalar": the kernel this CPU runs.
const char* gemvKernelName();

} // namespace ts::engine

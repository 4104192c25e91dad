// Differences between libtorch 1.13 (Debian, CPU) and 2.x (CUDA builds), wrapped in one place.
// Internal: include only from engine .cpp files (it pulls in <torch/torch.h>).
#pragma once

#include <optional>

#include <torch/torch.h>
#include <torch/version.h>
#if defined(TUNESMITH_TORCH_HAS_CUDA)
#include <c10/cuda/CUDAStream.h>
#endif

namespace ts::engine::compat {

// No autograd bookkeeping for inference (c10::InferenceMode exists in both versions).
using InferenceGuard = c10::InferenceMode;

// Fused attention where libtorch has it: (B, H, T, D) q/k/v, additive or boolean mask.
// 1.13 only has the private at::_scaled_dot_product_attention (math path, returns a tuple);
// 2.x has the public at::scaled_dot_product_attention. The engine's default path is the manual
// attention in attention.cpp (fp32 softmax, GQA without copying K/V), which is exact on CPU.
inline at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                            const std::optional<at::Tensor>& mask, bool isCausal)
{
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v, mask ? c10::optional<at::Tensor>(*mask) : c10::nullopt, 0.0,
                                            isCausal);
#else
    return std::get<0>(at::_scaled_dot_product_attention(
        q, k, v, mask ? c10::optional<at::Tensor>(*mask) : c10::nullopt, 0.0, false, isCausal));
#endif
}

// The CUDA stream torch is using on `device` (as a cudaStream_t), for kernels launched next to
// torch ops; nullptr (the legacy default stream) when this libtorch has no CUDA.
inline void* currentCudaStream([[maybe_unused]] const torch::Device& device)
{
#if defined(TUNESMITH_TORCH_HAS_CUDA)
    return static_cast<void*>(c10::cuda::getCurrentCUDAStream(device.index()).stream());
#else
    return nullptr;
#endif
}

} // namespace ts::engine::compat

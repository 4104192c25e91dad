// An NF4-quantized frozen weight on a torch device, and the frozen linear built on it.
//   packed  uint8 ((numel + 1) / 2)   two 4-bit codes per byte, first element in the high nibble
//   absmax  fp32 (blocks)             one scale per `blocksize` values (blocks = ceil(numel / blocksize)),
//           or uint8 (blocks) codes with double quantization, resolved as
//           map[code] · nestedAbsmax[block / 256] + offset  (nestedAbsmax fp32 (ceil(blocks / 256)),
//           map fp32 (256))
//   shape   the dense shape, (out, in) for a linear
// dequantize(dtype) = (kNf4Code[code] · scale) in fp32, rounded to the weight's own dtype (bnb's
// quant_state.dtype, the dtype it was quantized from) and then to `dtype`, as bnb's matmul_4bit
// does. Values are bit-identical to the torch-free codec in quant/nf4.h.
//
// nf4Matmul(x, W) = x · dequant(W)ᵀ is a custom autograd Function: forward dequantizes into a
// (reusable) buffer and multiplies; backward dequantizes again and returns only grad_x = grad_y · W,
// so no (out, in) tensor is kept between forward and backward (bnb MatMul4Bit, Unsloth).
// Internal header (torch).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/expected.h"
#include "engine/transformer.h"
#include "quant/bnb_checkpoint.h"
#include "quant/nf4.h"

namespace ts::engine {

class Nf4Weight
{
public:
    Nf4Weight() = default;

    // Quantizes a dense tensor (f32 / f16 / bf16, any device) with the torch-free codec; the result
    // lives on `device` (default: the tensor's). Throws c10::Error / std::invalid_argument on bad input.
    static Nf4Weight quantize(const torch::Tensor& dense, int64_t blocksize = 64, bool doubleQuant = false,
                              std::optional<torch::Device> device = std::nullopt);
    // The same with errors as values, checking `cancel` while it quantizes (every 4096 blocks): cancelledError()
    // once it is set.
    static Expected<Nf4Weight> quantize(const torch::Tensor& dense, const CancelToken& cancel, int64_t blocksize = 64,
                                        bool doubleQuant = false, std::optional<torch::Device> device = std::nullopt);
    // From codec output (`dtype`: the dequantized dtype, kFloat / kHalf / kBFloat16).
    static Nf4Weight fromData(const Nf4Data& data, std::vector<int64_t> shape, bool doubleQuant,
                              torch::ScalarType dtype, torch::Device device);
    // From a validated checkpoint weight. On CPU the packed codes alias the checkpoint mapping
    // (keep it alive); elsewhere they are copied to the device.
    static Expected<Nf4Weight> fromCheckpoint(const BnbNf4Weight& weight, torch::Device device);

    // The dense weight in `dtype` (a new tensor).
    torch::Tensor dequantize(torch::ScalarType dtype) const;
    // The same into `out`, whose storage is reused when it already holds at least numel elements
    // of `dtype` on this device (out is then a view of that storage with the weight's shape).
    void dequantizeInto(torch::Tensor& out, torch::ScalarType dtype) const;
    // fp32 (blocks): the scale of every block, double quantization resolved.
    torch::Tensor blockScales() const;

    bool defined() const { return m_packed.defined(); }
    const std::vector<int64_t>& shape() const { return m_shape; }
    int64_t numel() const { return m_numel; }
    int64_t blocksize() const { return m_blocksize; }
    int64_t blocks() const { return blockCount(m_numel, m_blocksize); }
    bool doubleQuant() const { return m_nestedAbsmax.defined(); }
    torch::ScalarType dtype() const { return m_dtype; }
    torch::Device device() const { return m_packed.device(); }
    const torch::Tensor& packed() const { return m_packed; }
    const torch::Tensor& absmax() const { return m_absmax; } // fp32, or uint8 codes with double quant
    const torch::Tensor& nestedAbsmax() const { return m_nestedAbsmax; }
    const torch::Tensor& nestedMap() const { return m_nestedMap; }
    float offset() const { return m_offset; }
    // Bytes held on the device (codes and scales).
    int64_t storageBytes() const;
    // The same weight with its tensors on `device` (this one when it is already there).
    Nf4Weight to(torch::Device device) const;

private:
    // The hand-written CPU (fp32) or CUDA kernel; false when neither applies.
    bool dequantizeWithKernel(torch::Tensor& out, torch::ScalarType dtype) const;

    torch::Tensor m_packed;
    torch::Tensor m_absmax;
    torch::Tensor m_nestedAbsmax;
    torch::Tensor m_nestedMap;
    torch::Tensor m_table; // fp32 (16) kNf4Code on the device
    float m_offset = 0.0f;
    std::vector<int64_t> m_shape;
    int64_t m_numel = 0;
    int64_t m_blocksize = 64;
    torch::ScalarType m_dtype = torch::kFloat;
};

// One flat scratch tensor that NF4 layers of a model share for their dequantized weights
// (forward and backward of different layers never overlap). Not thread-safe.
class DequantBuffer
{
public:
    // A (shape) view of the buffer, grown when needed.
    torch::Tensor view(const std::vector<int64_t>& shape, torch::ScalarType dtype, torch::Device device);

private:
    torch::Tensor m_storage;
};

// y = x · dequant(W)ᵀ (+ bias), x (..., in) → (..., out) in x's dtype, computed by
// engine::DenseLinear on the dequantized weight (so it equals a dense model holding those values
// bit for bit). Differentiable in x only (W and the bias are frozen); the dequantized weight is
// not saved for backward. `buffer` may be null (a temporary is used).
torch::Tensor nf4Matmul(const torch::Tensor& x, const Nf4Weight& weight, const torch::Tensor& bias = {},
                        const std::shared_ptr<DequantBuffer>& buffer = nullptr);

// A frozen linear on an NF4 weight: y = x · dequant(W)ᵀ (+ bias), bias (out) or undefined.
class Nf4Linear final : public engine::Linear
{
public:
    Nf4Linear(Nf4Weight weight, torch::Tensor bias = {}, std::shared_ptr<DequantBuffer> buffer = nullptr);
    torch::Tensor forward(const torch::Tensor& x) const override;
    int64_t inFeatures() const override { return m_weight.shape()[1]; }
    int64_t outFeatures() const override { return m_weight.shape()[0]; }
    const Nf4Weight& weight() const { return m_weight; }
    const torch::Tensor& bias() const { return m_bias; }
    const std::shared_ptr<DequantBuffer>& buffer() const { return m_buffer; }

private:
    Nf4Weight m_weight;
    torch::Tensor m_bias;
    std::shared_ptr<DequantBuffer> m_buffer;
};

} // namespace ts::engine

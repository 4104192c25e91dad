// A LoRA layer on a frozen base (PEFT's lora.Linear / lora.Linear4bit, qlora_spec.md §3):
//   y = base(x) + scaling · B(A(dropout(x)))
//   base(x) = x · Wᵀ (+ bias), W (out, in) and the bias frozen: an Nf4Weight (dequantized on the
//             fly through nf4Matmul, nothing (out, in) saved for backward) or a dense tensor
//             (through engine::DenseLinear, so the result equals the layer it replaces)
//   A (r, in)  kaiming-uniform with a = √5 (U(−1/√in, 1/√in), nn.Linear's default), seeded
//   B (out, r) zero, so the layer equals its base at initialisation
//   scaling    LoraConfig::scaling(): alpha / r, or alpha / √r with rsLoRA
// A and B are leaf tensors with requires_grad, in the adapter dtype (fp32 by default, as PEFT
// upcasts adapters); x is cast to it for the LoRA path and the result cast back to x's dtype.
// Dropout applies to the LoRA path only, and only in training mode.
// Internal header (torch).
#pragma once

#include <memory>
#include <optional>

#include "engine/nf4_weight.h"
#include "engine/transformer.h"
#include "peft/lora_config.h"

namespace ts::lora {

class LoraLinear final : public engine::Linear
{
public:
    // NF4 base. Throws std::invalid_argument when r < 1, dropout ∉ [0, 1) or the base is not 2-D.
    LoraLinear(engine::Nf4Weight base, torch::Tensor bias, const LoraConfig& config, uint64_t seed,
               std::shared_ptr<engine::DequantBuffer> buffer = nullptr, torch::ScalarType adapterDtype = torch::kFloat);
    // Dense frozen base (out, in) (used as is: never written, no gradient).
    LoraLinear(torch::Tensor base, torch::Tensor bias, const LoraConfig& config, uint64_t seed,
               torch::ScalarType adapterDtype = torch::kFloat);

    torch::Tensor forward(const torch::Tensor& x) const override;
    // The frozen part only: x · Wᵀ (+ bias).
    torch::Tensor baseForward(const torch::Tensor& x) const;
    int64_t inFeatures() const override { return m_in; }
    int64_t outFeatures() const override { return m_out; }

    void setTraining(bool training) { m_training = training; }
    bool training() const { return m_training; }

    // (r, in) and (out, r) leaves with requires_grad, for the optimizer and adapter files.
    torch::Tensor& loraA() { return m_a; }
    const torch::Tensor& loraA() const { return m_a; }
    torch::Tensor& loraB() { return m_b; }
    const torch::Tensor& loraB() const { return m_b; }

    int64_t rank() const { return m_a.size(0); }
    double scaling() const { return m_scaling; }
    double dropout() const { return m_dropout; }
    bool quantized() const { return m_nf4.defined(); }
    const engine::Nf4Weight& nf4Base() const { return m_nf4; } // undefined when dense
    const torch::Tensor& denseBase() const { return m_dense; } // undefined when NF4
    const torch::Tensor& bias() const { return m_bias; }
    // The base weight in `dtype` (dequantized when NF4).
    torch::Tensor baseWeight(torch::ScalarType dtype) const;
    // W + scaling · B A in `dtype` (what merging the adapter gives).
    torch::Tensor mergedWeight(torch::ScalarType dtype) const;

private:
    void init(const LoraConfig& config, uint64_t seed, torch::ScalarType adapterDtype, torch::Device device);

    engine::Nf4Weight m_nf4;
    torch::Tensor m_dense;
    std::unique_ptr<engine::DenseLinear> m_denseLinear; // the dense base, computed as the engine does
    torch::Tensor m_bias;
    std::shared_ptr<engine::DequantBuffer> m_buffer;
    torch::Tensor m_a;
    torch::Tensor m_b;
    int64_t m_in = 0;
    int64_t m_out = 0;
    double m_scaling = 1.0;
    double m_dropout = 0.0;
    bool m_training = false;
};

} // namespace ts::lora

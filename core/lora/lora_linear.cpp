// LoRA linear layer (see lora_linear.h).
#include "lora/lora_linear.h"

#include <cmath>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>

#include "engine/gemm.h"

namespace ts::lora {

LoraLinear::LoraLinear(engine::Nf4Weight base, torch::Tensor bias, const LoraConfig& config, uint64_t seed,
                       std::shared_ptr<engine::DequantBuffer> buffer, torch::ScalarType adapterDtype)
    : m_nf4(std::move(base))
    , m_bias(std::move(bias))
    , m_buffer(std::move(buffer))
{
    if (!m_nf4.defined() || m_nf4.shape().size() != 2)
        throw std::invalid_argument("LoraLinear needs a 2-D (out, in) NF4 base weight");
    m_out = m_nf4.shape()[0];
    m_in = m_nf4.shape()[1];
    init(config, seed, adapterDtype, m_nf4.device());
}

LoraLinear::LoraLinear(torch::Tensor base, torch::Tensor bias, const LoraConfig& config, uint64_t seed,
                       torch::ScalarType adapterDtype)
    : m_dense(std::move(base))
    , m_bias(std::move(bias))
{
    if (!m_dense.defined() || m_dense.dim() != 2)
        throw std::invalid_argument("LoraLinear needs a 2-D (out, in) base weight");
    m_out = m_dense.size(0);
    m_in = m_dense.size(1);
    init(config, seed, adapterDtype, m_dense.device());
    m_denseLinear = std::make_unique<engine::DenseLinear>(m_dense, m_bias);
}

void LoraLinear::init(const LoraConfig& config, uint64_t seed, torch::ScalarType adapterDtype, torch::Device device)
{
    if (config.r < 1)
        throw std::invalid_argument("LoRA rank r must be at least 1, got " + std::to_string(config.r));
    if (!(config.dropout >= 0.0 && config.dropout < 1.0))
        throw std::invalid_argument("LoRA dropout must be in [0, 1), got " + std::to_string(config.dropout));
    if (m_bias.defined() && (m_bias.dim() != 1 || m_bias.size(0) != m_out))
        throw std::invalid_argument("LoraLinear bias must have shape (out)");
    m_scaling = config.scaling();
    m_dropout = config.dropout;
    // kaiming_uniform_(a = √5) on fan_in = in: gain = √(2 / (1 + a²)), bound = gain · √(3 / fan_in).
    const double gain = std::sqrt(2.0 / (1.0 + 5.0));
    const double bound = gain * std::sqrt(3.0 / static_cast<double>(m_in));
    // Drawn on the CPU from a seeded generator, so the values do not depend on the device.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    torch::NoGradGuard noGrad;
    auto a = torch::empty({config.r, m_in}, torch::kFloat).uniform_(-bound, bound, generator);
    m_a = a.to(device, adapterDtype).detach().set_requires_grad(true);
    m_b = torch::zeros({m_out, config.r}, torch::TensorOptions().dtype(adapterDtype).device(device))
              .set_requires_grad(true);
}

torch::Tensor LoraLinear::baseForward(const torch::Tensor& x) const
{
    if (m_nf4.defined())
        return engine::nf4Matmul(x, m_nf4, m_bias, m_buffer);
    if (x.scalar_type() == m_dense.scalar_type())
        return m_denseLinear->forward(x);
    auto y = at::matmul(x, m_dense.to(x.scalar_type()).t());
    return m_bias.defined() ? y + m_bias.to(y.scalar_type()) : y;
}

torch::Tensor LoraLinear::forward(const torch::Tensor& x) const
{
    auto y = baseForward(x);
    auto h = x.to(m_a.scalar_type());
    if (m_training && m_dropout > 0.0)
        h = torch::dropout(h, m_dropout, /*train=*/true);
    // engine::linear: x · Aᵀ and · Bᵀ (and their backward products) on the engine's kernel for
    // CPU fp32, at::linear otherwise; scaling folded into the add.
    auto lora = engine::linear(engine::linear(h, m_a), m_b);
    return at::add(y, lora.to(y.scalar_type()), m_scaling);
}

torch::Tensor LoraLinear::baseWeight(torch::ScalarType dtype) const
{
    torch::NoGradGuard noGrad;
    return m_nf4.defined() ? m_nf4.dequantize(dtype) : m_dense.to(dtype);
}

torch::Tensor LoraLinear::mergedWeight(torch::ScalarType dtype) const
{
    torch::NoGradGuard noGrad;
    auto delta = at::mm(m_b.to(torch::kFloat), m_a.to(torch::kFloat)).mul(m_scaling);
    return (baseWeight(torch::kFloat) + delta).to(dtype);
}

} // namespace ts::lora

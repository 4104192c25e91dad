#include "train/adamw.h"

#include <cmath>

namespace ts::train {

AdamW::AdamW(std::vector<NamedParameter> params, double beta1, double beta2, double eps, double weightDecay)
    : m_params(std::move(params))
    , m_beta1(beta1)
    , m_beta2(beta2)
    , m_eps(eps)
    , m_weightDecay(weightDecay)
{
    for (const auto& p : m_params) {
        m_m.push_back(torch::zeros(p.tensor.sizes(), p.tensor.options().dtype(torch::kFloat)));
        m_v.push_back(torch::zeros(p.tensor.sizes(), p.tensor.options().dtype(torch::kFloat)));
    }
}

void AdamW::zeroGrad()
{
    for (auto& p : m_params)
        if (p.tensor.grad().defined())
            p.tensor.mutable_grad() = torch::Tensor();
}

double AdamW::gradNorm() const
{
    torch::NoGradGuard noGrad;
    double sum = 0;
    for (const auto& p : m_params)
        if (p.tensor.grad().defined())
            sum += p.tensor.grad().to(torch::kDouble).pow(2).sum().item<double>();
    return std::sqrt(sum);
}

void AdamW::clipGradNorm(double maxNorm, double norm)
{
    if (maxNorm <= 0 || norm <= maxNorm)
        return;
    torch::NoGradGuard noGrad;
    const double scale = maxNorm / (norm + 1e-6);
    for (auto& p : m_params)
        if (p.tensor.grad().defined())
            p.tensor.mutable_grad().mul_(scale);
}

void AdamW::step(double lr)
{
    torch::NoGradGuard noGrad;
    ++m_t;
    const double bc1 = 1.0 - std::pow(m_beta1, static_cast<double>(m_t));
    const double bc2 = 1.0 - std::pow(m_beta2, static_cast<double>(m_t));
    for (size_t i = 0; i < m_params.size(); ++i) {
        auto& p = m_params[i].tensor;
        if (!p.grad().defined())
            continue;
        const auto g = p.grad().to(torch::kFloat);
        if (m_weightDecay > 0)
            p.mul_(1.0 - lr * m_weightDecay);
        m_m[i].mul_(m_beta1).add_(g, 1.0 - m_beta1);
        m_v[i].mul_(m_beta2).addcmul_(g, g, 1.0 - m_beta2);
        const auto denom = (m_v[i].sqrt() / std::sqrt(bc2)).add_(m_eps);
        const auto update = (m_m[i] / denom) * (lr / bc1);
        p.sub_(update.to(p.scalar_type()));
    }
}

void AdamW::restore(int64_t stepCount, const std::vector<torch::Tensor>& m, const std::vector<torch::Tensor>& v)
{
    TORCH_CHECK(m.size() == m_params.size() && v.size() == m_params.size(), "optimizer state: parameter count");
    for (size_t i = 0; i < m_params.size(); ++i) {
        TORCH_CHECK(m[i].sizes() == m_m[i].sizes() && v[i].sizes() == m_v[i].sizes(), "optimizer state: shape of ",
                    m_params[i].name);
        m_m[i].copy_(m[i]);
        m_v[i].copy_(v[i]);
    }
    m_t = stepCount;
}

} // namespace ts::train

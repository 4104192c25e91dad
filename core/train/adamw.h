// AdamW (Loshchilov & Hutter; torch.optim.AdamW's update) over a fixed list of named parameters,
// with its state exposed for checkpoints. fp32 moments whatever the parameter dtype.
//   t += 1
//   p ← p · (1 − lr·wd)                                   decoupled weight decay
//   m ← β1 m + (1 − β1) g ;  v ← β2 v + (1 − β2) g²
//   p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
// Internal header (torch).
#pragma once

#include <string>
#include <vector>

#include "engine/torch_compat.h"

namespace ts::train {

struct NamedParameter
{
    std::string name;
    torch::Tensor tensor; // a leaf with requires_grad
};

class AdamW
{
public:
    AdamW(std::vector<NamedParameter> params, double beta1, double beta2, double eps, double weightDecay);

    void zeroGrad();
    // Global L2 norm of all gradients (missing gradients count as zero).
    double gradNorm() const;
    // Scales gradients so their global norm is at most maxNorm (torch.nn.utils.clip_grad_norm_).
    void clipGradNorm(double maxNorm, double norm);
    void step(double lr);

    const std::vector<NamedParameter>& params() const { return m_params; }
    int64_t stepCount() const { return m_t; }
    // Moments by parameter index, and the step count, for checkpoints.
    const std::vector<torch::Tensor>& firstMoments() const { return m_m; }
    const std::vector<torch::Tensor>& secondMoments() const { return m_v; }
    void restore(int64_t stepCount, const std::vector<torch::Tensor>& m, const std::vector<torch::Tensor>& v);

private:
    std::vector<NamedParameter> m_params;
    std::vector<torch::Tensor> m_m, m_v;
    double m_beta1, m_beta2, m_eps, m_weightDecay;
    int64_t m_t = 0;
};

} // namespace ts::train

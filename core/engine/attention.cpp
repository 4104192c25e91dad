// Causal GQA attention (see attention.h): softmax(q kᵀ · scale + mask) v, softmax in fp32.
#include "engine/attention.h"

namespace ts::engine {

namespace {

// Score elements (B · H · T · Tk) above which the work is split into chunks of rows and queries,
// so a long or wide prefill does not materialise gigabytes of scores.
constexpr int64_t kScoreBudget = int64_t {1} << 24;

torch::Tensor attentionChunk(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                             const torch::Tensor& mask, double scale)
{
    const int64_t B = q.size(0), T = q.size(1), H = q.size(2), D = q.size(3);
    const int64_t KV = k.size(1), Tk = k.size(2), G = H / KV;
    // (B, T, KV, G, D) → (B, KV, G, T, D) → (B, KV, G T, D): the G heads sharing a KV head are
    // stacked as extra query rows, so one batched matmul per KV head covers them.
    auto qg = q.reshape({B, T, KV, G, D}).permute({0, 2, 3, 1, 4}).reshape({B, KV, G * T, D});
    auto scores = at::matmul(qg, k.transpose(-1, -2)); // (B, KV, G T, Tk)
    if (scores.scalar_type() != at::kFloat)
        scores = scores.to(at::kFloat);
    scores.mul_(scale);
    if (mask.defined())
        scores.view({B, KV, G, T, Tk}).add_(mask); // mask (B, 1, 1, T, Tk) broadcasts over heads
    auto probs = at::softmax(scores, -1); // fp32
    if (probs.scalar_type() != v.scalar_type())
        probs = probs.to(v.scalar_type());
    auto out = at::matmul(probs, v); // (B, KV, G T, D)
    // (B, KV, G, T, D) → (B, T, KV, G, D) → (B, T, H D)
    return out.view({B, KV, G, T, D}).permute({0, 3, 1, 2, 4}).reshape({B, T, H * D});
}

} // namespace

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                        const torch::Tensor& mask, double scale)
{
    const int64_t B = q.size(0), T = q.size(1), H = q.size(2), Tk = k.size(2);
    if (B * H * T * Tk <= kScoreBudget)
        return attentionChunk(q, k, v, mask, scale);
    const int64_t rows = std::max<int64_t>(1, kScoreBudget / (H * Tk)); // queries per chunk
    std::vector<torch::Tensor> perRow;
    for (int64_t b = 0; b < B; ++b) {
        std::vector<torch::Tensor> chunks;
        for (int64_t t0 = 0; t0 < T; t0 += rows) {
            const int64_t n = std::min(rows, T - t0);
            torch::Tensor m;
            if (mask.defined())
                m = mask.narrow(0, mask.size(0) == 1 ? 0 : b, 1).narrow(3, t0, n);
            chunks.push_back(
                attentionChunk(q.narrow(0, b, 1).narrow(1, t0, n), k.narrow(0, b, 1), v.narrow(0, b, 1), m, scale));
        }
        perRow.push_back(chunks.size() == 1 ? chunks[0] : at::cat(chunks, 1));
    }
    return perRow.size() == 1 ? perRow[0] : at::cat(perRow, 0);
}

} // namespace ts::engine

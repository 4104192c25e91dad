// Next-token sampling (see sampler.h). Mirrors transformers' RepetitionPenaltyLogitsProcessor,
// TemperatureLogitsWarper, TopKLogitsWarper (ties with the k-th value are kept) and
// TopPLogitsWarper (keep the smallest high-probability set whose mass reaches top_p, at least one).
#include "engine/sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ts {

SamplingParams samplingFromGenerationConfig(const GenerationDefaults& g)
{
    SamplingParams p;
    p.repetitionPenalty = static_cast<float>(g.repetitionPenalty.value_or(1.0));
    if (!g.doSample.value_or(false))
        return p; // greedy
    p.temperature = static_cast<float>(g.temperature.value_or(1.0));
    p.topK = static_cast<int>(g.topK.value_or(50));
    p.topP = static_cast<float>(g.topP.value_or(1.0));
    return p;
}

Sampler::Sampler(const SamplingParams& params)
    : m_params(params)
    , m_rng(params.seed)
{ }

double Sampler::uniform()
{
    return static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
}

void Sampler::applyPenalty(std::span<const float> logits, std::span<const int32_t> history)
{
    m_work.assign(logits.begin(), logits.end());
    const float penalty = m_params.repetitionPenalty;
    if (penalty == 1.0f || penalty <= 0.0f)
        return;
    const auto V = static_cast<int64_t>(logits.size());
    for (int32_t id : history) {
        if (id < 0 || id >= V)
            continue;
        // Computed from the original logit, so repeated ids are penalised once (as gather/scatter).
        const float x = logits[static_cast<size_t>(id)];
        m_work[static_cast<size_t>(id)] = x < 0 ? x * penalty : x / penalty;
    }
}

void Sampler::candidates(std::span<const float> logits, std::span<const int32_t> history)
{
    applyPenalty(logits, history);
    const auto V = static_cast<int32_t>(m_work.size());
    if (m_params.temperature > 0.0f && m_params.temperature != 1.0f)
        for (auto& x : m_work)
            x /= m_params.temperature;

    // top-k: keep every id whose value is >= the k-th largest.
    m_ids.resize(static_cast<size_t>(V));
    std::iota(m_ids.begin(), m_ids.end(), 0);
    const auto byValueDesc = [this](int32_t a, int32_t b) {
        const float x = m_work[static_cast<size_t>(a)], y = m_work[static_cast<size_t>(b)];
        return x != y ? x > y : a < b;
    };
    if (m_params.topK > 0 && m_params.topK < V) {
        std::nth_element(m_ids.begin(), m_ids.begin() + (m_params.topK - 1), m_ids.end(), byValueDesc);
        const float kth = m_work[static_cast<size_t>(m_ids[static_cast<size_t>(m_params.topK - 1)])];
        m_ids.clear();
        for (int32_t i = 0; i < V; ++i)
            if (m_work[static_cast<size_t>(i)] >= kth)
                m_ids.push_back(i);
    }

    // softmax over the candidates (double accumulation).
    float maxLogit = -INFINITY;
    for (int32_t id : m_ids)
        maxLogit = std::max(maxLogit, m_work[static_cast<size_t>(id)]);
    double total = 0.0;
    m_probs.resize(m_ids.size());
    for (size_t i = 0; i < m_ids.size(); ++i) {
        m_probs[i] = std::exp(static_cast<double>(m_work[static_cast<size_t>(m_ids[i])]) - maxLogit);
        total += m_probs[i];
    }

    if (m_params.topP < 1.0f && m_params.topP > 0.0f && m_ids.size() > 1) {
        // Sort descending; most of the time the nucleus is small, so try a partial sort first.
        std::vector<size_t> order(m_ids.size());
        std::iota(order.begin(), order.end(), size_t {0});
        const auto byProbDesc = [&](size_t a, size_t b) {
            return m_probs[a] != m_probs[b] ? m_probs[a] > m_probs[b] : m_ids[a] < m_ids[b];
        };
        const double target = static_cast<double>(m_params.topP) * total;
        size_t keep = 0;
        size_t sorted = std::min<size_t>(order.size(), 1024);
        for (;;) {
            std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(sorted), order.end(),
                              byProbDesc);
            double cum = 0.0;
            keep = 0;
            while (keep < sorted && cum < target) // keep ids while the mass before them is < top_p
                cum += m_probs[order[keep++]];
            if (cum >= target || sorted == order.size())
                break;
            sorted = order.size();
        }
        keep = std::max<size_t>(keep, 1);
        std::vector<int32_t> ids(keep);
        std::vector<double> probs(keep);
        for (size_t i = 0; i < keep; ++i) {
            ids[i] = m_ids[order[i]];
            probs[i] = m_probs[order[i]];
        }
        m_ids = std::move(ids);
        m_probs = std::move(probs);
        total = std::accumulate(m_probs.begin(), m_probs.end(), 0.0);
    }
    for (auto& p : m_probs)
        p /= total;
}

int32_t Sampler::sample(std::span<const float> logits, std::span<const int32_t> history)
{
    if (logits.empty())
        return -1;
    if (greedy()) {
        if (m_params.repetitionPenalty != 1.0f && m_params.repetitionPenalty > 0.0f) {
            applyPenalty(logits, history);
            return static_cast<int32_t>(std::max_element(m_work.begin(), m_work.end()) - m_work.begin());
        }
        return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    }
    candidates(logits, history);
    const double u = uniform();
    double cum = 0.0;
    for (size_t i = 0; i < m_ids.size(); ++i) {
        cum += m_probs[i];
        if (u < cum)
            return m_ids[i];
    }
    return m_ids.back(); // rounding: u just below 1
}

std::vector<float> Sampler::distribution(std::span<const float> logits, std::span<const int32_t> history)
{
    std::vector<float> out(logits.size(), 0.0f);
    if (logits.empty())
        return out;
    if (greedy()) {
        int32_t id = sample(logits, history);
        out[static_cast<size_t>(id)] = 1.0f;
        return out;
    }
    candidates(logits, history);
    for (size_t i = 0; i < m_ids.size(); ++i)
        out[static_cast<size_t>(m_ids[i])] = static_cast<float>(m_probs[i]);
    return out;
}

} // namespace ts

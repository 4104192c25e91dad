// Shared by the engine tests: tiny random models on disk, and an independent reference forward
// written with plain loops in double precision (no libtorch), following transformers'
// modeling_llama.py / modeling_qwen2.py / modeling_mistral.py.
#pragma once

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/model_config.h"
#include "model/safetensors.h"
#include "model/safetensors_writer.h"
#include "model_maker/random_model.h"
#include "test_support.h"

namespace tstest {

// A tiny model: hidden 16, 4 heads, 2 KV heads, 2 layers, vocab 67 (no tokenizer).
inline ts::RandomModelOptions tinyOptions(ts::ModelArch arch, uint64_t seed = 1)
{
    ts::RandomModelOptions o;
    o.arch = arch;
    o.hiddenSize = 16;
    o.numHeads = 4;
    o.numKvHeads = 2;
    o.numLayers = 2;
    o.intermediateSize = 24;
    o.vocabSize = 67; // not a multiple of 4: the gemv remainder rows run too
    o.seed = seed;
    o.initStd = 0.3; // peaked distributions: greedy choices are not near-ties
    o.maxPositionEmbeddings = 256;
    return o;
}

inline void patchConfig(const std::filesystem::path& dir, const nlohmann::json& changes)
{
    nlohmann::json config;
    {
        std::ifstream in(dir / "config.json");
        config = nlohmann::json::parse(in);
    }
    config.update(changes);
    std::ofstream(dir / "config.json") << config.dump(2);
}

class ReferenceModel
{
public:
    explicit ReferenceModel(const std::filesystem::path& dir)
    {
        auto config = ts::loadModelConfig(dir);
        EXPECT_TRUE(config) << (config ? "" : config.error().message);
        m_c = *config;
        auto st = ts::SafetensorsModel::open(dir);
        EXPECT_TRUE(st);
        for (const auto& name : (*st)->names()) {
            const auto* t = (*st)->find(name);
            std::vector<double> v(static_cast<size_t>(t->numel()));
            for (size_t i = 0; i < v.size(); ++i) {
                if (t->dtype == ts::DType::F32) {
                    float f;
                    std::memcpy(&f, t->data + 4 * i, 4);
                    v[i] = f;
                } else {
                    uint16_t h;
                    std::memcpy(&h, t->data + 2 * i, 2);
                    v[i] = t->dtype == ts::DType::F16 ? ts::halfToFloat(h) : ts::bfloat16ToFloat(h);
                }
            }
            m_w[name] = std::move(v);
        }
    }

    const ts::ModelConfig& config() const { return m_c; }
    ts::ModelConfig& mutableConfig() { return m_c; } // to check that a feature changes the result

    // Logits (T, V) row-major for every position.
    std::vector<double> logits(const std::vector<int32_t>& ids) const
    {
        const auto& c = m_c;
        const int64_t T = static_cast<int64_t>(ids.size()), C = c.hiddenSize, H = c.numHeads, KV = c.numKvHeads,
                      D = c.headDim, F = c.intermediateSize, V = c.vocabSize, G = H / KV;
        using Mat = std::vector<std::vector<double>>;
        Mat x(static_cast<size_t>(T), std::vector<double>(static_cast<size_t>(C)));
        const auto& embed = w("model.embed_tokens.weight");
        for (int64_t t = 0; t < T; ++t)
            for (int64_t i = 0; i < C; ++i)
                x[t][i] = embed[ids[t] * C + i];
        const auto inv = inverseFrequencies();

        for (int64_t l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            Mat h = norm(x, w(p + "input_layernorm.weight"));
            Mat q = linear(h, p + "self_attn.q_proj", H * D, C);
            Mat k = linear(h, p + "self_attn.k_proj", KV * D, C);
            Mat v = linear(h, p + "self_attn.v_proj", KV * D, C);
            rope(q, H, inv);
            rope(k, KV, inv);
            Mat att(static_cast<size_t>(T), std::vector<double>(static_cast<size_t>(H * D), 0.0));
            for (int64_t head = 0; head < H; ++head) {
                const int64_t kvh = head / G;
                for (int64_t i = 0; i < T; ++i) {
                    std::vector<double> s;
                    std::vector<int64_t> js;
                    for (int64_t j = 0; j <= i; ++j) {
                        if (c.slidingWindow && i - j >= *c.slidingWindow)
                            continue;
                        double dot = 0;
                        for (int64_t d = 0; d < D; ++d)
                            dot += q[i][head * D + d] * k[j][kvh * D + d];
                        s.push_back(dot / std::sqrt(static_cast<double>(D)));
                        js.push_back(j);
                    }
                    double mx = -1e300, sum = 0;
                    for (double e : s)
                        mx = std::max(mx, e);
                    for (double& e : s) {
                        e = std::exp(e - mx);
                        sum += e;
                    }
                    for (size_t n = 0; n < s.size(); ++n)
                        for (int64_t d = 0; d < D; ++d)
                            att[i][head * D + d] += s[n] / sum * v[js[n]][kvh * D + d];
                }
            }
            Mat o = linear(att, p + "self_attn.o_proj", C, H * D);
            add(x, o);
            h = norm(x, w(p + "post_attention_layernorm.weight"));
            Mat g = linear(h, p + "mlp.gate_proj", F, C);
            Mat u = linear(h, p + "mlp.up_proj", F, C);
            for (int64_t t = 0; t < T; ++t)
                for (int64_t f = 0; f < F; ++f)
                    g[t][f] = g[t][f] / (1.0 + std::exp(-g[t][f])) * u[t][f];
            Mat down = linear(g, p + "mlp.down_proj", C, F);
            add(x, down);
        }
        Mat h = norm(x, w("model.norm.weight"));
        Mat out = linear(h, c.tieWordEmbeddings ? "model.embed_tokens" : "lm_head", V, C);
        std::vector<double> flat;
        for (const auto& row : out)
            flat.insert(flat.end(), row.begin(), row.end());
        return flat;
    }

private:
    using Mat = std::vector<std::vector<double>>;

    const std::vector<double>& w(const std::string& name) const
    {
        static const std::vector<double> empty;
        auto it = m_w.find(name);
        return it == m_w.end() ? empty : it->second;
    }

    Mat linear(const Mat& x, const std::string& prefix, int64_t out, int64_t in) const
    {
        const auto& W = w(prefix + ".weight");
        const auto& b = w(prefix + ".bias");
        Mat y(x.size(), std::vector<double>(static_cast<size_t>(out)));
        for (size_t t = 0; t < x.size(); ++t)
            for (int64_t o = 0; o < out; ++o) {
                double s = b.empty() ? 0.0 : b[o];
                for (int64_t i = 0; i < in; ++i)
                    s += W[o * in + i] * x[t][i];
                y[t][o] = s;
            }
        return y;
    }

    Mat norm(const Mat& x, const std::vector<double>& weight) const
    {
        Mat y = x;
        for (auto& row : y) {
            double ms = 0;
            for (double v : row)
                ms += v * v;
            const double r = 1.0 / std::sqrt(ms / static_cast<double>(row.size()) + m_c.rmsNormEps);
            for (size_t i = 0; i < row.size(); ++i)
                row[i] = weight[i] * row[i] * r;
        }
        return y;
    }

    static void add(Mat& x, const Mat& y)
    {
        for (size_t t = 0; t < x.size(); ++t)
            for (size_t i = 0; i < x[t].size(); ++i)
                x[t][i] += y[t][i];
    }

    // inv_freq[i] = θ^(-2i/D), then transformers' llama3 rule.
    std::vector<double> inverseFrequencies() const
    {
        const int64_t D = m_c.headDim;
        std::vector<double> inv;
        for (int64_t i = 0; i < D / 2; ++i) {
            double f = std::pow(m_c.ropeTheta, -2.0 * static_cast<double>(i) / static_cast<double>(D));
            if (m_c.ropeScaling) {
                const auto& s = *m_c.ropeScaling;
                const double orig = static_cast<double>(s.originalMaxPositionEmbeddings);
                const double wavelen = 2 * std::numbers::pi / f;
                if (wavelen > orig / s.lowFreqFactor) {
                    f = f / s.factor;
                } else if (wavelen >= orig / s.highFreqFactor) {
                    const double smooth = (orig / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
                    f = (1 - smooth) * f / s.factor + smooth * f;
                }
            }
            inv.push_back(f);
        }
        return inv;
    }

    // Half-split rotation at position t (row index).
    void rope(Mat& x, int64_t heads, const std::vector<double>& inv) const
    {
        const int64_t D = m_c.headDim, half = D / 2;
        for (size_t t = 0; t < x.size(); ++t)
            for (int64_t h = 0; h < heads; ++h)
                for (int64_t i = 0; i < half; ++i) {
                    const double a = static_cast<double>(t) * inv[i];
                    const double x1 = x[t][h * D + i], x2 = x[t][h * D + i + half];
                    x[t][h * D + i] = x1 * std::cos(a) - x2 * std::sin(a);
                    x[t][h * D + i + half] = x2 * std::cos(a) + x1 * std::sin(a);
                }
    }

    ts::ModelConfig m_c;
    std::map<std::string, std::vector<double>> m_w;
};

// max |a - b| / max(1, max |b|)
inline double relativeError(const std::vector<float>& a, const std::vector<double>& b)
{
    double scale = 1.0, err = 0.0;
    for (double v : b)
        scale = std::max(scale, std::abs(v));
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        err = std::max(err, std::abs(static_cast<double>(a[i]) - b[i]));
    return err / scale;
}

inline double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    double err = 0.0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        err = std::max(err, std::abs(static_cast<double>(a[i]) - b[i]));
    return a.size() == b.size() ? err : 1e30;
}

} // namespace tstest

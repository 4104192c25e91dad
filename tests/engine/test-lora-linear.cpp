// NF4 weights on torch against the torch-free codec (bit for bit), the LoRA layer's gradients
// against central finite differences and plain autograd, the NF4 matmul's recomputation in
// backward, LoRA initialisation and scaling, applyLora on tiny random models, and loading
// bitsandbytes-format 4-bit checkpoints.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "engine/engine.h"
#include "engine/model_weights.h"
#include "engine/nf4_weight.h"
#include "engine/transformer.h"
#include "engine_test_support.h"
#include "lora/apply_lora.h"
#include "lora/lora_linear.h"
#include "quant/bnb_checkpoint.h"
#include "quant/double_quant.h"
#include "quant/dynamic_map.h"
#include "quant/nf4.h"

using namespace ts;
using ts::engine::DequantBuffer;
using ts::engine::Nf4Linear;
using ts::engine::Nf4Weight;
using ts::lora::LoraLinear;

namespace {

std::vector<float> floatsOf(const torch::Tensor& t)
{
    auto c = t.detach().to(torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Bitwise equality of two fp32 buffers (memcmp, so −0 ≠ +0 and NaN patterns count).
bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

LoraConfig loraConfig(int r, double alpha, double dropout = 0.0, bool rs = false)
{
    LoraConfig c;
    c.r = r;
    c.alpha = alpha;
    c.dropout = dropout;
    c.useRsLora = rs;
    return c;
}

// Central finite differences of `loss` with respect to every element of `t` (double), against `grad`.
template <typename Loss> void expectGradMatchesFiniteDifferences(torch::Tensor t, const torch::Tensor& grad, Loss loss)
{
    ASSERT_TRUE(grad.defined());
    torch::NoGradGuard noGrad;
    auto flat = t.view({-1});
    auto g = grad.contiguous().view({-1});
    const double eps = 1e-5;
    for (int64_t i = 0; i < flat.numel(); ++i) {
        const double v = flat[i].item<double>();
        flat[i].fill_(v + eps);
        const double plus = loss();
        flat[i].fill_(v - eps);
        const double minus = loss();
        flat[i].fill_(v);
        const double fd = (plus - minus) / (2 * eps);
        const double an = g[i].item<double>();
        EXPECT_NEAR(an, fd, 1e-7 * std::max(1.0, std::fabs(an))) << "element " << i;
    }
}

// All-position logits (T, V) of a transformer for `ids`, in inference mode.
torch::Tensor logitsOf(engine::Transformer& model, const std::vector<int32_t>& ids)
{
    engine::compat::InferenceGuard guard;
    const int64_t T = static_cast<int64_t>(ids.size());
    auto tokens = torch::empty({1, T}, torch::kLong);
    for (int64_t t = 0; t < T; ++t)
        tokens[0][t] = ids[static_cast<size_t>(t)];
    auto positions = torch::arange(T, torch::kLong).view({1, T});
    engine::KvCache cache;
    cache.allocate(model.config(), 1, T, torch::kFloat);
    return model.forward(tokens, positions, cache, {}, true).squeeze(0).clone();
}

std::unique_ptr<engine::Transformer> loadModel(const std::filesystem::path& dir, bool fuse)
{
    auto config = loadModelConfig(dir);
    EXPECT_TRUE(config) << (config ? "" : config.error().message);
    auto checkpoint = SafetensorsModel::open(dir);
    EXPECT_TRUE(checkpoint) << (checkpoint ? "" : checkpoint.error().message);
    if (!config || !checkpoint)
        return nullptr;
    auto weights = engine::loadTransformerWeights(*checkpoint, *config, torch::kFloat, fuse);
    EXPECT_TRUE(weights) << (weights ? "" : weights.error().message);
    if (!weights)
        return nullptr;
    return std::make_unique<engine::Transformer>(*config, std::move(*weights), torch::kFloat, true);
}

// A dense linear with the same (dequantized) weight as any projection layer of this library.
std::unique_ptr<engine::Linear> denseCopy(const engine::Linear& layer)
{
    if (const auto* d = dynamic_cast<const engine::DenseLinear*>(&layer))
        return std::make_unique<engine::DenseLinear>(d->weight(), d->bias());
    if (const auto* q = dynamic_cast<const Nf4Linear*>(&layer))
        return std::make_unique<engine::DenseLinear>(q->weight().dequantize(torch::kFloat), q->bias());
    if (const auto* l = dynamic_cast<const LoraLinear*>(&layer))
        return std::make_unique<engine::DenseLinear>(l->baseWeight(torch::kFloat).contiguous(), l->bias());
    const auto& parts = dynamic_cast<const engine::ConcatLinear&>(layer).parts();
    std::vector<std::unique_ptr<engine::Linear>> copies;
    for (const auto& p : parts)
        copies.push_back(denseCopy(*p));
    return std::make_unique<engine::ConcatLinear>(std::move(copies));
}

// The model's weights with every projection replaced by a dense layer holding its frozen weight.
engine::TransformerWeights denseWeights(engine::TransformerWeights& w)
{
    engine::TransformerWeights out;
    out.embed = w.embed;
    out.finalNorm = w.finalNorm;
    out.lmHead = denseCopy(*w.lmHead);
    out.keepAlive = w.keepAlive;
    for (auto& l : w.layers) {
        engine::DecoderLayer d;
        d.inputNorm = l.inputNorm;
        d.postNorm = l.postNorm;
        d.qkv = denseCopy(*l.qkv);
        d.o = denseCopy(*l.o);
        d.gateUp = denseCopy(*l.gateUp);
        d.down = denseCopy(*l.down);
        out.layers.push_back(std::move(d));
    }
    return out;
}

const std::vector<int32_t> kIds = {1, 17, 5, 42, 63, 8, 8, 30, 2};

} // namespace

// ---------------------------------------------------------------------------------------------
// Nf4Weight

TEST(Nf4Weight, TorchDequantizationEqualsTheCodecBitForBit)
{
    torch::manual_seed(1);
    for (auto [rows, cols] : {std::pair<int64_t, int64_t> {37, 71}, {8, 64}, {3, 5}, {300, 9}}) {
        for (int64_t bs : {32, 64, 256}) {
            for (bool dq : {false, true}) {
                SCOPED_TRACE(std::to_string(rows) + "x" + std::to_string(cols) + " bs " + std::to_string(bs)
                             + (dq ? " dq" : ""));
                auto dense = torch::randn({rows, cols}) * 0.05;
                dense[0][0] = 0.0;
                auto w = Nf4Weight::quantize(dense, bs, dq);
                const auto values = floatsOf(dense);
                auto q = nf4Quantize(values, bs);
                ASSERT_TRUE(q);
                auto packed = w.packed().contiguous();
                ASSERT_EQ(packed.numel(), static_cast<int64_t>(q->packed.size()));
                EXPECT_EQ(std::memcmp(packed.data_ptr<uint8_t>(), q->packed.data(), q->packed.size()), 0);
                const auto scales = dq ? doubleDequantize(doubleQuantize(q->absmax)) : q->absmax;
                EXPECT_TRUE(sameBits(floatsOf(w.blockScales()), scales));
                std::vector<float> expected(values.size());
                nf4Dequantize(q->packed, scales, bs, expected);
                const auto got = w.dequantize(torch::kFloat);
                EXPECT_EQ(got.sizes().vec(), (std::vector<int64_t> {rows, cols}));
                EXPECT_TRUE(sameBits(floatsOf(got), expected));
                // Double: the same fp32 values, widened.
                auto asDouble = w.dequantize(torch::kDouble);
                EXPECT_TRUE(torch::equal(asDouble, got.to(torch::kDouble)));
            }
        }
    }
}

TEST(Nf4Weight, Bfloat16WeightsRoundThroughTheirDtypeLikeBnb)
{
    torch::manual_seed(2);
    auto dense = (torch::randn({16, 40}) * 0.1).to(torch::kBFloat16);
    auto w = Nf4Weight::quantize(dense, 64, true);
    EXPECT_EQ(w.dtype(), torch::kBFloat16);
    auto raw = dense.contiguous();
    auto q = nf4QuantizeRaw(reinterpret_cast<const std::byte*>(raw.data_ptr()), raw.numel(), DType::BF16, 64);
    ASSERT_TRUE(q);
    std::vector<float> fp32(static_cast<size_t>(raw.numel()));
    nf4Dequantize(q->packed, doubleDequantize(doubleQuantize(q->absmax)), 64, fp32);
    auto bf = w.dequantize(torch::kBFloat16).contiguous();
    const auto* bits = reinterpret_cast<const uint16_t*>(bf.data_ptr());
    std::vector<float> rounded;
    for (size_t i = 0; i < fp32.size(); ++i) {
        EXPECT_EQ(bits[i], floatToBfloat16(fp32[i])) << i;
        rounded.push_back(bfloat16ToFloat(floatToBfloat16(fp32[i])));
    }
    // An fp32 request still goes through bf16 (bnb dequantizes to quant_state.dtype, then casts).
    EXPECT_TRUE(sameBits(floatsOf(w.dequantize(torch::kFloat)), rounded));
}

TEST(Nf4Weight, DequantizeIntoReusesTheBuffer)
{
    torch::manual_seed(3);
    auto dense = torch::randn({12, 33});
    for (bool dq : {false, true}) {
        auto w = Nf4Weight::quantize(dense, 64, dq);
        const auto expected = floatsOf(w.dequantize(torch::kFloat));
        auto out = torch::full({12, 33}, std::numeric_limits<float>::quiet_NaN());
        const void* storage = out.data_ptr();
        w.dequantizeInto(out, torch::kFloat);
        EXPECT_EQ(out.data_ptr(), storage);
        EXPECT_TRUE(sameBits(floatsOf(out), expected));
        auto half = torch::zeros({12, 33}, torch::kBFloat16);
        const void* halfStorage = half.data_ptr();
        w.dequantizeInto(half, torch::kBFloat16);
        EXPECT_EQ(half.data_ptr(), halfStorage);
        EXPECT_TRUE(torch::equal(half, w.dequantize(torch::kFloat).to(torch::kBFloat16)));
    }
    DequantBuffer buffer;
    auto a = buffer.view({4, 5}, torch::kFloat, torch::kCPU);
    auto b = buffer.view({2, 3}, torch::kFloat, torch::kCPU);
    EXPECT_EQ(a.data_ptr(), b.data_ptr());
    EXPECT_EQ(b.sizes().vec(), (std::vector<int64_t> {2, 3}));
}

TEST(Nf4Weight, LinearEqualsDenseLayerOnTheDequantizedWeight)
{
    torch::manual_seed(4);
    auto w = Nf4Weight::quantize(torch::randn({24, 40}) * 0.1, 64, true);
    auto bias = torch::randn({24});
    Nf4Linear layer(w, bias, std::make_shared<DequantBuffer>());
    engine::DenseLinear dense(w.dequantize(torch::kFloat), bias);
    EXPECT_EQ(layer.inFeatures(), 40);
    EXPECT_EQ(layer.outFeatures(), 24);
    for (auto shape : {std::vector<int64_t> {40}, {1, 40}, {2, 5, 40}}) {
        auto x = torch::randn(shape);
        {
            engine::compat::InferenceGuard guard;
            EXPECT_TRUE(torch::equal(layer.forward(x), dense.forward(x)));
        }
        EXPECT_TRUE(torch::equal(layer.forward(x), dense.forward(x)));
        auto xg = x.clone().requires_grad_(true);
        auto y = layer.forward(xg);
        EXPECT_TRUE(torch::allclose(y, dense.forward(x), 1e-6, 1e-6));
    }
}

// bnb's create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8) run step by step with
// libtorch ops (fp32 linspace, means, scalar products, sort) against the torch-free map.
TEST(Nf4Weight, DynamicMapEqualsBnbAlgorithmRunWithLibtorch)
{
    std::vector<float> data;
    for (int i = 0; i < 7; ++i) {
        const int64_t items = (int64_t {1} << i) + 1;
        auto boundaries = torch::linspace(0.1, 1.0, items, torch::kFloat);
        auto means = (boundaries.narrow(0, 0, items - 1) + boundaries.narrow(0, 1, items - 1)) / 2.0;
        const double scale = std::pow(10.0, -6 + i);
        for (const auto& part : {means * scale, means * -scale}) {
            const auto v = floatsOf(part);
            data.insert(data.end(), v.begin(), v.end());
        }
    }
    data.push_back(0.0f);
    data.push_back(1.0f);
    ASSERT_EQ(data.size(), 256u);
    std::sort(data.begin(), data.end());
    const auto& map = dynamicMap();
    int exact = 0;
    for (size_t i = 0; i < 256; ++i) {
        // linspace's last bits depend on the torch version and CPU kernel (1.13 vectorises it, 2.x
        // does not; FMA contraction may apply), so allow a few ulps. Checkpoints store their map.
        EXPECT_LE(std::fabs(map[i] - data[i]), 4 * std::numeric_limits<float>::epsilon() * std::fabs(data[i])) << i;
        exact += map[i] == data[i];
    }
    EXPECT_GE(exact, 200) << "entries equal bit for bit: " << exact;
    std::cout << "dynamic map: " << exact << " of 256 entries bit-identical to libtorch " << TORCH_VERSION << "\n";
}

// ---------------------------------------------------------------------------------------------
// LoRA layer

TEST(LoraLinear, GradientsMatchFiniteDifferencesWithADenseBase)
{
    torch::manual_seed(5);
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    auto W = torch::randn({5, 7}, opts), b = torch::randn({5}, opts);
    LoraLinear layer(W, b, loraConfig(3, 6.0), 42, torch::kDouble);
    {
        torch::NoGradGuard noGrad;
        layer.loraB().copy_(torch::randn({5, 3}, opts)); // B = 0 would make A's gradient vanish
    }
    auto x = torch::randn({2, 4, 7}, opts).requires_grad_(true);
    auto g = torch::randn({2, 4, 5}, opts);
    auto loss = [&] { return (layer.forward(x) * g).sum().item<double>(); };
    (layer.forward(x) * g).sum().backward();
    EXPECT_FALSE(W.grad().defined()); // the base is frozen
    expectGradMatchesFiniteDifferences(layer.loraA(), layer.loraA().grad(), loss);
    expectGradMatchesFiniteDifferences(layer.loraB(), layer.loraB().grad(), loss);
    expectGradMatchesFiniteDifferences(x, x.grad(), loss);
}

TEST(LoraLinear, Nf4BaseGradientsEqualPlainAutogradThroughTheDequantizedWeight)
{
    torch::manual_seed(6);
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    auto nf4 = Nf4Weight::quantize(torch::randn({6, 74}) * 0.1, 64, true);
    auto bias = torch::randn({6});
    auto buffer = std::make_shared<DequantBuffer>();
    const auto config = loraConfig(4, 8.0);
    LoraLinear layer(nf4, bias, config, 9, buffer, torch::kDouble);
    {
        torch::NoGradGuard noGrad;
        layer.loraB().copy_(torch::randn({6, 4}, opts));
    }
    auto x = torch::randn({3, 74}, opts).requires_grad_(true);
    auto g = torch::randn({3, 6}, opts);
    auto y = layer.forward(x);
    // Clobber the buffer the forward pass dequantized into: backward must dequantize again.
    buffer->view({6, 74}, torch::kDouble, torch::kCPU).fill_(std::numeric_limits<double>::quiet_NaN());
    (y * g).sum().backward();

    // Plain autograd through the dequantized weight, with copies of A and B.
    auto Wd = nf4.dequantize(torch::kDouble);
    auto A = layer.loraA().detach().clone().requires_grad_(true);
    auto B = layer.loraB().detach().clone().requires_grad_(true);
    auto x2 = x.detach().clone().requires_grad_(true);
    auto ref = at::matmul(x2, Wd.t()) + bias.to(torch::kDouble)
        + at::matmul(at::matmul(x2, A.t()), B.t()) * config.scaling();
    (ref * g).sum().backward();
    EXPECT_TRUE(torch::allclose(y, ref, 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(x.grad(), x2.grad(), 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(layer.loraA().grad(), A.grad(), 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(layer.loraB().grad(), B.grad(), 1e-12, 1e-12));
    EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());

    // And the NF4 path against finite differences in x.
    x.mutable_grad() = torch::Tensor();
    (layer.forward(x) * g).sum().backward();
    expectGradMatchesFiniteDifferences(x, x.grad(), [&] { return (layer.forward(x) * g).sum().item<double>(); });
}

TEST(LoraLinear, EqualsItsBaseAtInitialisation)
{
    torch::manual_seed(7);
    auto W = torch::randn({10, 20}) * 0.1;
    auto bias = torch::randn({10});
    const auto config = loraConfig(4, 16.0, 0.3);
    LoraLinear dense(W, bias, config, 1);
    LoraLinear quantized(Nf4Weight::quantize(W, 64, true), bias, config, 1, std::make_shared<DequantBuffer>());
    engine::DenseLinear original(W, bias);
    auto x = torch::randn({3, 20});
    for (bool training : {false, true}) {
        dense.setTraining(training);
        quantized.setTraining(training);
        EXPECT_TRUE(torch::equal(dense.forward(x), dense.baseForward(x)));
        EXPECT_TRUE(torch::equal(dense.forward(x), original.forward(x)));
        EXPECT_TRUE(torch::equal(quantized.forward(x), quantized.baseForward(x)));
    }
    EXPECT_TRUE(torch::equal(dense.loraB(), torch::zeros({10, 4})));
}

TEST(LoraLinear, InitialisationIsKaimingUniformAndSeeded)
{
    auto W = torch::zeros({30, 100});
    LoraLinear a(W, {}, loraConfig(8, 8.0), 123), b(W, {}, loraConfig(8, 8.0), 123), c(W, {}, loraConfig(8, 8.0), 124);
    const auto& A = a.loraA();
    EXPECT_EQ(A.sizes().vec(), (std::vector<int64_t> {8, 100}));
    EXPECT_EQ(a.loraB().sizes().vec(), (std::vector<int64_t> {30, 8}));
    EXPECT_TRUE(A.requires_grad() && A.is_leaf());
    EXPECT_TRUE(a.loraB().requires_grad() && a.loraB().is_leaf());
    EXPECT_EQ(A.scalar_type(), torch::kFloat);
    // nn.Linear's kaiming_uniform_(a=√5): U(−1/√in, 1/√in).
    const double bound = 1.0 / std::sqrt(100.0);
    EXPECT_LE(A.abs().max().item<double>(), bound);
    EXPECT_GT(A.abs().max().item<double>(), 0.95 * bound);
    EXPECT_LT(std::fabs(A.mean().item<double>()), 0.01);
    EXPECT_NEAR(A.std().item<double>(), bound / std::sqrt(3.0), 0.005);
    EXPECT_TRUE(torch::equal(A, b.loraA()));
    EXPECT_FALSE(torch::equal(A, c.loraA()));
    EXPECT_THROW(LoraLinear(W, {}, loraConfig(0, 8.0), 1), std::invalid_argument);
    EXPECT_THROW(LoraLinear(W, {}, loraConfig(4, 8.0, 1.0), 1), std::invalid_argument);
}

TEST(LoraLinear, ScalingIsAlphaOverRankOrOverItsRootWithRsLora)
{
    torch::manual_seed(8);
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    auto W = torch::randn({6, 9}, opts);
    LoraLinear plain(W, {}, loraConfig(4, 16.0), 3, torch::kDouble);
    LoraLinear rs(W, {}, loraConfig(4, 16.0, 0.0, true), 3, torch::kDouble);
    EXPECT_DOUBLE_EQ(plain.scaling(), 4.0);
    EXPECT_DOUBLE_EQ(rs.scaling(), 8.0);
    auto B = torch::randn({6, 4}, opts);
    {
        torch::NoGradGuard noGrad;
        plain.loraB().copy_(B);
        rs.loraB().copy_(B);
    }
    auto x = torch::randn({5, 9}, opts);
    torch::NoGradGuard noGrad;
    auto product = at::matmul(at::matmul(x, plain.loraA().t()), B.t());
    EXPECT_TRUE(torch::allclose(plain.forward(x) - plain.baseForward(x), product * 4.0, 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(rs.forward(x) - rs.baseForward(x), product * 8.0, 1e-12, 1e-12));
    // The merged weight gives the same output.
    EXPECT_TRUE(torch::allclose(at::matmul(x, plain.mergedWeight(torch::kDouble).t()), plain.forward(x), 1e-6, 1e-6));
}

TEST(LoraLinear, DropoutOnlyOnTheLoraPathAndOnlyWhenTraining)
{
    torch::manual_seed(9);
    auto W = torch::randn({8, 16});
    LoraLinear layer(W, {}, loraConfig(4, 4.0, 0.5), 5);
    {
        torch::NoGradGuard noGrad;
        layer.loraB().copy_(torch::randn({8, 4}));
    }
    auto x = torch::randn({6, 16});
    torch::NoGradGuard noGrad;
    EXPECT_TRUE(torch::equal(layer.forward(x), layer.forward(x))); // eval: no dropout
    layer.setTraining(true);
    torch::manual_seed(77);
    auto y = layer.forward(x);
    torch::manual_seed(77);
    auto dropped = torch::dropout(x, 0.5, true);
    EXPECT_FALSE(torch::equal(dropped, x));
    auto expected = layer.baseForward(x)
        + at::matmul(at::matmul(dropped, layer.loraA().t()), layer.loraB().t()) * layer.scaling();
    EXPECT_TRUE(torch::allclose(y, expected, 1e-6, 1e-6));
    EXPECT_FALSE(torch::equal(layer.forward(x), layer.forward(x)));
}

// ---------------------------------------------------------------------------------------------
// applyLora on tiny random models

class ApplyLora : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = new tstest::TempDir();
        auto llama = ts::writeRandomModel(*s_dir / "llama", tstest::tinyOptions(ModelArch::Llama, 21));
        ASSERT_TRUE(llama) << llama.error().message;
        auto qwen = ts::writeRandomModel(*s_dir / "qwen2", tstest::tinyOptions(ModelArch::Qwen2, 22));
        ASSERT_TRUE(qwen) << qwen.error().message;
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }
    static inline tstest::TempDir* s_dir = nullptr;
};

TEST_F(ApplyLora, DenseBaseKeepsTheLogitsExactlyAtInitialisation)
{
    for (const char* name : {"llama", "qwen2"}) {
        SCOPED_TRACE(name);
        auto model = loadModel(*s_dir / name, false);
        ASSERT_TRUE(model);
        const auto before = logitsOf(*model, kIds);
        auto modules = lora::applyLora(model->weights(), model->config(), loraConfig(4, 8.0, 0.1), false);
        ASSERT_TRUE(modules) << modules.error().message;
        const auto& c = model->config();
        ASSERT_EQ(modules->size(), static_cast<size_t>(7 * c.numLayers));
        const char* order[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                               "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};
        for (size_t i = 0; i < modules->size(); ++i)
            EXPECT_EQ((*modules)[i].name, "model.layers." + std::to_string(i / 7) + "." + order[i % 7]);
        const auto& q = *(*modules)[0].layer;
        EXPECT_EQ(q.loraA().sizes().vec(), (std::vector<int64_t> {4, c.hiddenSize}));
        EXPECT_EQ(q.loraB().sizes().vec(), (std::vector<int64_t> {c.numHeads * c.headDim, 4}));
        EXPECT_EQ((*modules)[1].layer->loraB().size(0), c.numKvHeads * c.headDim);
        EXPECT_EQ((*modules)[6].layer->loraA().size(1), c.intermediateSize);
        EXPECT_FALSE(q.quantized());
        EXPECT_EQ(q.bias().defined(), c.attentionBias);
        EXPECT_TRUE(torch::equal(logitsOf(*model, kIds), before));
        lora::setLoraTraining(*modules, true); // dropout on the LoRA path; B = 0 still adds nothing
        EXPECT_TRUE(torch::equal(logitsOf(*model, kIds), before));
        // Applying twice is refused.
        auto again = lora::applyLora(model->weights(), model->config(), loraConfig(4, 8.0), false);
        ASSERT_FALSE(again);
        EXPECT_NE(again.error().message.find("already has a LoRA adapter"), std::string::npos);
    }
}

TEST_F(ApplyLora, QuantizedBaseEqualsTheDequantizedDenseModel)
{
    auto model = loadModel(*s_dir / "qwen2", false);
    ASSERT_TRUE(model);
    const auto original = logitsOf(*model, kIds);
    LoraConfig config = loraConfig(4, 8.0);
    config.targetModules = {"q_proj", "v_proj", "down_proj"};
    lora::ApplyLoraOptions options;
    options.blocksize = 32;
    auto modules = lora::applyLora(model->weights(), model->config(), config, true, options);
    ASSERT_TRUE(modules) << modules.error().message;
    ASSERT_EQ(modules->size(), static_cast<size_t>(3 * model->config().numLayers));
    for (const auto& m : *modules) {
        EXPECT_TRUE(m.layer->quantized()) << m.name;
        EXPECT_EQ(m.layer->nf4Base().blocksize(), 32);
        EXPECT_TRUE(m.layer->nf4Base().doubleQuant());
    }
    // Untargeted projections are frozen NF4 layers; lm_head stays dense.
    const auto& layer0 = model->weights().layers[0];
    const auto& qkv = dynamic_cast<const engine::ConcatLinear&>(*layer0.qkv).parts();
    EXPECT_NE(dynamic_cast<const LoraLinear*>(qkv[0].get()), nullptr);
    EXPECT_NE(dynamic_cast<const Nf4Linear*>(qkv[1].get()), nullptr);
    EXPECT_NE(dynamic_cast<const Nf4Linear*>(layer0.o.get()), nullptr);
    EXPECT_NE(dynamic_cast<const engine::DenseLinear*>(model->weights().lmHead.get()), nullptr);

    const auto quantized = logitsOf(*model, kIds);
    engine::Transformer dense(model->config(), denseWeights(model->weights()), torch::kFloat, true);
    EXPECT_TRUE(torch::equal(logitsOf(dense, kIds), quantized));
    // Close to the unquantized model, but not equal to it.
    const double scale = original.abs().max().item<double>();
    const double diff = (quantized - original).abs().max().item<double>();
    EXPECT_GT(diff, 0.0);
    EXPECT_LT(diff / scale, 0.5);
}

TEST_F(ApplyLora, RefusesFusedWeightsAndUnknownTargets)
{
    auto fused = loadModel(*s_dir / "llama", true);
    ASSERT_TRUE(fused);
    auto r = lora::applyLora(fused->weights(), fused->config(), loraConfig(4, 8.0), false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("fuseProjections=false"), std::string::npos);
    auto model = loadModel(*s_dir / "llama", false);
    ASSERT_TRUE(model);
    LoraConfig bad = loraConfig(4, 8.0);
    bad.targetModules = {"q_proj", "lm_head"};
    r = lora::applyLora(model->weights(), model->config(), bad, false);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("lm_head"), std::string::npos);
    EXPECT_FALSE(lora::applyLora(model->weights(), model->config(), loraConfig(0, 8.0), false));
    // Nothing was changed by the refusals.
    EXPECT_NE(dynamic_cast<const engine::DenseLinear*>(model->weights().layers[0].o.get()), nullptr);
}

// ---------------------------------------------------------------------------------------------
// bitsandbytes 4-bit checkpoints

namespace {

// Writes `dir` as a bnb 4-bit copy of the dense model in `src` and `deq` as a plain f32 model
// holding the dequantized values of the same weights.
void writeBnbAndDequantized(const std::filesystem::path& src, const std::filesystem::path& bnb,
                            const std::filesystem::path& deq, const BnbWriteOptions& options)
{
    auto dense = SafetensorsModel::open(src);
    ASSERT_TRUE(dense);
    auto tensors = bnbQuantizeCheckpoint(
        **dense, [](const std::string& n) { return isBnbQuantizedLinearName(n); }, options);
    ASSERT_TRUE(tensors) << tensors.error().message;
    for (const auto& d : {bnb, deq}) {
        std::filesystem::create_directories(d);
        for (const char* f : {"config.json", "generation_config.json"})
            std::filesystem::copy_file(src / f, d / f, std::filesystem::copy_options::overwrite_existing);
    }
    ASSERT_TRUE(writeSafetensors(bnb / "model.safetensors", *tensors));
    tstest::patchConfig(bnb,
                        {{"quantization_config",
                          {{"quant_method", "bitsandbytes"},
                           {"load_in_4bit", true},
                           {"load_in_8bit", false},
                           {"bnb_4bit_quant_type", "nf4"},
                           {"bnb_4bit_use_double_quant", options.doubleQuant},
                           {"bnb_4bit_compute_dtype", "float32"},
                           {"bnb_4bit_quant_storage", "uint8"},
                           {"llm_int8_skip_modules", nullptr}}}});
    auto quantized = SafetensorsModel::open(bnb);
    ASSERT_TRUE(quantized);
    std::vector<TensorData> plain;
    for (const auto& name : (*dense)->names()) {
        const TensorView* view = (*dense)->find(name);
        if (!isBnbQuantizedLinearName(name)) {
            TensorData t;
            t.name = name;
            t.dtype = view->dtype;
            t.shape = view->shape;
            t.data.assign(view->data, view->data + view->bytes);
            plain.push_back(std::move(t));
            continue;
        }
        auto w = readBnbNf4Weight(**quantized, name);
        ASSERT_TRUE(w) << w.error().message;
        auto values = w->dequantize();
        if (w->state.dtype == "bfloat16") // bnb casts to quant_state.dtype
            for (auto& v : values)
                v = bfloat16ToFloat(floatToBfloat16(v));
        plain.push_back(makeTensor(name, w->state.shape, values, DType::F32));
    }
    ASSERT_TRUE(writeSafetensors(deq / "model.safetensors", plain));
}

std::vector<float> engineLogits(const std::filesystem::path& dir, bool fuse)
{
    EngineOptions options;
    options.threads = 2;
    options.fuseProjections = fuse;
    auto engine = Engine::load(dir, options);
    EXPECT_TRUE(engine) << (engine ? "" : engine.error().message);
    if (!engine)
        return {};
    auto logits = (*engine)->logits(kIds, true);
    EXPECT_TRUE(logits) << (logits ? "" : logits.error().message);
    return logits ? *logits : std::vector<float> {};
}

} // namespace

TEST_F(ApplyLora, BnbCheckpointLoadsAndMatchesTheDequantizedDenseModel)
{
    struct Case
    {
        const char* name;
        ModelArch arch;
        DType dtype;
        bool doubleQuant;
        int64_t blocksize;
    };
    for (const Case& k : {Case {"llama_f32", ModelArch::Llama, DType::F32, true, 64},
                          Case {"qwen2_bf16", ModelArch::Qwen2, DType::BF16, false, 128}}) {
        SCOPED_TRACE(k.name);
        auto o = tstest::tinyOptions(k.arch, 31);
        o.dtype = k.dtype;
        const auto base = *s_dir / k.name;
        ASSERT_TRUE(ts::writeRandomModel(base / "dense", o));
        BnbWriteOptions options;
        options.doubleQuant = k.doubleQuant;
        options.blocksize = k.blocksize;
        writeBnbAndDequantized(base / "dense", base / "bnb", base / "deq", options);

        auto config = loadModelConfig(base / "bnb");
        ASSERT_TRUE(config);
        ASSERT_TRUE(config->quantization);
        EXPECT_TRUE(config->quantization->loadIn4bit);

        const auto expected = engineLogits(base / "deq", false);
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(engineLogits(base / "bnb", false), expected);
        EXPECT_EQ(engineLogits(base / "bnb", true), expected); // NF4 parts are never fused
        // The dequantized model itself against the double-precision reference.
        tstest::ReferenceModel ref(base / "deq");
        EXPECT_LT(tstest::relativeError(expected, ref.logits(kIds)), 2e-5);

        // Loaded NF4 layers are frozen Nf4Linear parts; LoRA goes on top of them unchanged.
        auto model = loadModel(base / "bnb", false);
        ASSERT_TRUE(model);
        const auto& parts = dynamic_cast<const engine::ConcatLinear&>(*model->weights().layers[0].qkv).parts();
        const auto* q = dynamic_cast<const Nf4Linear*>(parts[0].get());
        ASSERT_NE(q, nullptr);
        EXPECT_EQ(q->weight().doubleQuant(), k.doubleQuant);
        EXPECT_EQ(q->weight().blocksize(), k.blocksize);
        const auto loaded = logitsOf(*model, kIds);
        auto modules = lora::applyLora(model->weights(), model->config(), loraConfig(4, 8.0), false);
        ASSERT_TRUE(modules) << modules.error().message;
        EXPECT_TRUE((*modules)[0].layer->quantized());
        EXPECT_TRUE(torch::equal(logitsOf(*model, kIds), loaded));

        // The f32 model quantized in memory by applyLora gives the very same model.
        if (k.dtype == DType::F32) {
            auto inMemory = loadModel(base / "dense", false);
            ASSERT_TRUE(inMemory);
            lora::ApplyLoraOptions ao;
            ao.blocksize = k.blocksize;
            ao.doubleQuant = k.doubleQuant;
            ASSERT_TRUE(lora::applyLora(inMemory->weights(), inMemory->config(), loraConfig(4, 8.0), true, ao));
            EXPECT_TRUE(torch::equal(logitsOf(*inMemory, kIds), loaded));
        }
    }
}

TEST_F(ApplyLora, BnbCheckpointErrorsNameTheProblem)
{
    const auto base = *s_dir / "errors";
    auto o = tstest::tinyOptions(ModelArch::Llama, 41);
    ASSERT_TRUE(ts::writeRandomModel(base / "dense", o));
    writeBnbAndDequantized(base / "dense", base / "bnb", base / "deq", {});

    // An absmax of the wrong size.
    auto good = SafetensorsModel::open(base / "bnb");
    ASSERT_TRUE(good);
    std::vector<TensorData> tensors;
    const std::string broken = "model.layers.1.mlp.up_proj.weight.absmax";
    for (const auto& name : (*good)->names()) {
        const TensorView* v = (*good)->find(name);
        TensorData t {name, v->dtype, v->shape, std::vector<std::byte>(v->data, v->data + v->bytes)};
        if (name == broken) {
            t.shape = {t.shape[0] - 1};
            t.data.pop_back();
        }
        tensors.push_back(std::move(t));
    }
    std::filesystem::create_directories(base / "broken");
    for (const char* f : {"config.json", "generation_config.json"})
        std::filesystem::copy_file(base / "bnb" / f, base / "broken" / f);
    ASSERT_TRUE(writeSafetensors(base / "broken" / "model.safetensors", tensors));
    auto e = Engine::load(base / "broken");
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message.find(broken), std::string::npos) << e.error().message;

    // Other quantization methods are refused clearly.
    tstest::patchConfig(base / "broken", {{"quantization_config", {{"quant_method", "gptq"}, {"bits", 4}}}});
    e = Engine::load(base / "broken");
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message.find("gptq"), std::string::npos) << e.error().message;
    tstest::patchConfig(base / "broken",
                        {{"quantization_config", {{"load_in_4bit", true}, {"bnb_4bit_quant_type", "fp4"}}}});
    e = Engine::load(base / "broken");
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().message.find("fp4"), std::string::npos) << e.error().message;
}

// The CUDA NF4 path (TUNESMITH_CUDA builds on a machine with a GPU) against the CPU reference:
// dequantization bit for bit in fp32 and after rounding to bf16 / f16, and a QLoRA layer's
// forward and input gradient. Skipped where there is no CUDA device or no kernels.
#include <gtest/gtest.h>

#include "engine/nf4_weight.h"
#include "lora/lora_linear.h"
#include "quant/cuda/nf4_dequant_cuda.h"
#include "quant/nf4_kernels.h"

namespace {

bool cudaReady()
{
    return torch::cuda::is_available() && ts::nf4HaveCudaKernels();
}

} // namespace

TEST(Nf4Cuda, DequantizationEqualsTheCpuPath)
{
    if (!cudaReady())
        GTEST_SKIP() << "no CUDA device or this build has no CUDA kernels";
    torch::manual_seed(3);
    for (bool doubleQuant : {false, true}) {
        auto dense = torch::randn({384, 200});
        auto cpu = ts::engine::Nf4Weight::quantize(dense, 64, doubleQuant);
        auto gpu = ts::engine::Nf4Weight::quantize(dense.to(torch::kCUDA), 64, doubleQuant, torch::kCUDA);
        for (auto dtype : {torch::kFloat, torch::kBFloat16, torch::kHalf}) {
            auto want = cpu.dequantize(torch::kFloat).to(dtype);
            auto got = gpu.dequantize(dtype).to(torch::kCPU);
            EXPECT_TRUE(torch::equal(got, want)) << "dtype " << dtype << " double quant " << doubleQuant;
        }
    }
}

TEST(Nf4Cuda, QLoraLayerMatchesCpu)
{
    if (!cudaReady())
        GTEST_SKIP() << "no CUDA device or this build has no CUDA kernels";
    torch::manual_seed(4);
    ts::LoraConfig config;
    config.r = 8;
    config.dropout = 0.0;
    auto dense = torch::randn({96, 64});
    ts::lora::LoraLinear cpu(ts::engine::Nf4Weight::quantize(dense, 64, true), {}, config, 1);
    ts::lora::LoraLinear gpu(ts::engine::Nf4Weight::quantize(dense.to(torch::kCUDA), 64, true, torch::kCUDA), {},
                             config, 1);
    {
        torch::NoGradGuard g;
        auto b = torch::randn({96, 8}) * 0.1;
        cpu.loraB().copy_(b);
        gpu.loraB().copy_(b.to(torch::kCUDA));
        gpu.loraA().copy_(cpu.loraA().to(torch::kCUDA));
    }
    auto x = torch::randn({5, 64}, torch::requires_grad());
    auto xg = x.detach().to(torch::kCUDA).requires_grad_(true);
    auto y = cpu.forward(x);
    auto yg = gpu.forward(xg);
    EXPECT_LT((yg.to(torch::kCPU) - y).abs().max().item<float>(), 1e-4);
    y.sum().backward();
    yg.sum().backward();
    EXPECT_LT((xg.grad().to(torch::kCPU) - x.grad()).abs().max().item<float>(), 1e-4);
}

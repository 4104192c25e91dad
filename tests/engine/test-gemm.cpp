// The cache-blocked GEMM (engine/gemm.h) against a double-precision product, over shapes that
// hit every edge: row counts that are not multiples of the register tile, column counts that
// are not multiples of the strip width, input sizes across the KC slice boundary, bias or not,
// non-contiguous x, and the multi-threaded split.
#include <array>

#include <gtest/gtest.h>

#include "engine/gemm.h"
#include "engine/gemv.h"
#include "engine/torch_compat.h"

namespace {

using ts::engine::gemm;
using ts::engine::gemmApplies;

void expectMatchesDouble(int64_t M, int64_t N, int64_t K, bool withBias, bool transposedX = false)
{
    torch::manual_seed(M * 1000003 + N * 1009 + K);
    auto x = transposedX ? torch::randn({K, M}).t() : torch::randn({M, K});
    auto w = torch::randn({N, K});
    auto b = withBias ? torch::randn({N}) : torch::Tensor();
    ASSERT_TRUE(gemmApplies(x, w));
    auto y = gemm(x, w, b);
    auto ref = at::mm(x.to(torch::kDouble), w.to(torch::kDouble).t());
    if (withBias)
        ref += b.to(torch::kDouble);
    ASSERT_EQ(y.sizes(), (std::vector<int64_t> {M, N}));
    // fp32 accumulation over K terms of size ~1: error grows like sqrt(K) · 2^-24 · |terms|.
    const double tol = 1e-5 * std::sqrt(static_cast<double>(std::max<int64_t>(K, 1))) * 4;
    const double err = (y.to(torch::kDouble) - ref).abs().max().item<double>();
    EXPECT_LT(err, tol) << "M=" << M << " N=" << N << " K=" << K << " bias=" << withBias;
}

TEST(Gemm, KernelIsAvailableOnX86WithAvx2)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        EXPECT_NE(std::string(ts::engine::gemmKernelName()), "none");
}

TEST(Gemm, EdgeShapesMatchDoublePrecision)
{
    if (std::string(ts::engine::gemmKernelName()) == "none")
        GTEST_SKIP() << "no SIMD GEMM on this CPU";
    for (int64_t M : {2, 3, 5, 6, 7, 8, 9, 13, 17})
        for (int64_t N : {1, 7, 16, 31, 33, 70})
            for (int64_t K : {1, 15, 255, 257, 600})
                expectMatchesDouble(M, N, K, (M + N + K) % 2 == 0);
}

TEST(Gemm, Avx2KernelMatchesDoublePrecision)
{
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
        GTEST_SKIP() << "no AVX2 on this CPU";
    const std::string before = ts::engine::gemmKernelName();
    ASSERT_TRUE(ts::engine::gemmSelectKernel("avx2"));
    for (int64_t M : {2, 5, 6, 7, 13})
        for (int64_t N : {1, 9, 16, 17, 40})
            for (int64_t K : {3, 256, 300})
                expectMatchesDouble(M, N, K, (M + N) % 2 == 1);
    expectMatchesDouble(140, 300, 530, true);
    ASSERT_TRUE(ts::engine::gemmSelectKernel(before));
}

TEST(Gemm, LargerThanOneBlockInEveryDimension)
{
    if (std::string(ts::engine::gemmKernelName()) == "none")
        GTEST_SKIP() << "no SIMD GEMM on this CPU";
    at::set_num_threads(2); // the column split across threads
    expectMatchesDouble(300, 700, 530, true); // M > MC, N > NC, K > KC
    expectMatchesDouble(32, 1000, 768, false);
    expectMatchesDouble(37, 45, 300, true, /*transposedX*/ true);
}

TEST(Gemm, NotUsedWhenAutogradNeedsTheGraph)
{
    auto w = torch::randn({8, 4});
    auto x = torch::randn({3, 4}, torch::requires_grad());
    EXPECT_FALSE(gemmApplies(x, w));
    EXPECT_FALSE(ts::engine::gemvApplies(w, x[0]));
    {
        torch::NoGradGuard noGrad;
        EXPECT_EQ(gemmApplies(x, w), std::string(ts::engine::gemmKernelName()) != "none");
    }
    EXPECT_FALSE(gemmApplies(torch::randn({3, 4}, torch::kDouble), w.to(torch::kDouble)));
}

} // namespace

TEST(GemmLinear, ForwardAndGradientsMatchAutogradThroughAtLinear)
{
    if (std::string(ts::engine::gemmKernelName()) == "none")
        GTEST_SKIP() << "no SIMD GEMM on this CPU";
    at::set_num_threads(2);
    for (auto [M, K, N] : std::vector<std::array<int64_t, 3>> {{5, 7, 3}, {37, 300, 70}, {300, 130, 530}}) {
        torch::manual_seed(M + K + N);
        auto x = torch::randn({M, K}, torch::requires_grad());
        auto w = torch::randn({N, K}, torch::requires_grad());
        auto b = torch::randn({N}, torch::requires_grad());
        auto up = torch::randn({M, N});
        auto y = ts::engine::linear(x, w, b);
        (y * up).sum().backward();
        auto xr = x.detach().to(torch::kDouble).requires_grad_(true);
        auto wr = w.detach().to(torch::kDouble).requires_grad_(true);
        auto br = b.detach().to(torch::kDouble).requires_grad_(true);
        auto yr = at::linear(xr, wr, br);
        (yr * up.to(torch::kDouble)).sum().backward();
        const double tol = 1e-4 * std::sqrt(static_cast<double>(std::max({M, K, N})));
        EXPECT_LT((y.to(torch::kDouble) - yr).abs().max().item<double>(), tol) << M << "x" << K << "x" << N;
        EXPECT_LT((x.grad().to(torch::kDouble) - xr.grad()).abs().max().item<double>(), tol);
        EXPECT_LT((w.grad().to(torch::kDouble) - wr.grad()).abs().max().item<double>(), tol);
        EXPECT_LT((b.grad().to(torch::kDouble) - br.grad()).abs().max().item<double>(), tol);
    }
}

TEST(GemmLinear, BatchedInputAndFrozenWeight)
{
    auto x = torch::randn({2, 3, 16}, torch::requires_grad());
    auto w = torch::randn({24, 16}); // frozen: no weight gradient computed
    auto y = ts::engine::linear(x, w);
    ASSERT_EQ(y.sizes(), (std::vector<int64_t> {2, 3, 24}));
    y.sum().backward();
    EXPECT_FALSE(w.grad().defined());
    auto want = torch::ones({2, 3, 24}).matmul(w);
    EXPECT_LT((x.grad() - want).abs().max().item<float>(), 1e-4);
}

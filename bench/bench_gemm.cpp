// GEMM benchmark: y = x Wᵀ for the shapes of a ~110M-parameter Llama (hidden 768, intermediate
// 2048, vocab 32000) at M = 32 rows (batched decoding) and M = 512 (prefill). Reference: libtorch's
// at::mm, i.e. the system BLAS (OpenBLAS on Debian). Prints GFLOP/s and the ratio ours / BLAS.
//   tunesmith-bench-gemm [threads]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "engine/gemm.h"
#include "engine/torch_compat.h"

namespace {

template <typename F> double bestSeconds(F&& f, int reps)
{
    double best = 1e30;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    at::set_num_threads(threads);
    torch::NoGradGuard noGrad;
    std::printf("kernel %s, %d threads; reference at::mm (system BLAS)\n", ts::engine::gemmKernelName(), threads);
    std::printf("%6s %6s %6s %12s %12s %8s\n", "M", "N", "K", "ours GF/s", "BLAS GF/s", "ratio");
    const int64_t shapes[][2] = {{1280, 768}, {768, 768}, {4096, 768}, {768, 2048}, {32000, 768}};
    for (int64_t M : {32, 512}) {
        for (const auto& s : shapes) {
            const int64_t N = s[0], K = s[1];
            auto x = torch::randn({M, K});
            auto w = torch::randn({N, K});
            const double flops = 2.0 * M * N * K;
            const int reps = M * N * K > 2e9 ? 3 : 10;
            const double ours = bestSeconds([&] { ts::engine::gemm(x, w, {}); }, reps);
            const double blas = bestSeconds([&] { at::mm(x, w.t()); }, reps);
            std::printf("%6lld %6lld %6lld %12.1f %12.1f %7.2fx\n", static_cast<long long>(M),
                        static_cast<long long>(N), static_cast<long long>(K), flops / ours / 1e9, flops / blas / 1e9,
                        blas / ours);
        }
    }
    return 0;
}

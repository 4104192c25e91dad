// Cache-blocked fp32 GEMM, y = x Wᵀ + b (see gemm.h).
//
// Blocking (per thread, over its share of output columns):
//   for each block of NC output columns        (packed B block KC × NC, ~256 KB: L2)
//     for each KC slice of the inputs          (C tile accumulates across slices)
//       pack B: weight rows → strips Bp[k][NR] (k-major, so a strip is one contiguous stream)
//       for each block of MC x rows            (packed A block MC × KC: L2)
//         pack A: x rows → strips Ap[k][mr]
//         for each B strip (L1), for each A strip: the mr × NR register tile over KC
// The register tile is a template on its row count, so edge strips (M % MR) run a smaller tile
// instead of multiplying zeros; edge columns are stored with masks.
#include "engine/gemm.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <immintrin.h>

#include "engine/parallel.h"

namespace ts::engine {

namespace {

constexpr int64_t kKc = 256; // inputs per packed slice
constexpr int64_t kMc = 128; // x rows per packed A block

// Operand element (row, k) of a strided matrix: data[row · rowStride + k · kStride].
struct Operand
{
    const float* data;
    int64_t rowStride;
    int64_t kStride;
};

// Packs weight rows [n0, n0 + strips·nr) × inputs [k0, k0 + kc) into `strips` strips of
// (kc, nr); rows past N are zero. Reads along whichever index is contiguous.
void packB(const Operand& w, int64_t N, int64_t n0, int64_t strips, int64_t nr, int64_t k0, int64_t kc, float* out)
{
    for (int64_t s = 0; s < strips; ++s) {
        float* strip = out + s * kc * nr;
        const int64_t first = n0 + s * nr;
        const int64_t valid = std::max<int64_t>(0, std::min(nr, N - first));
        if (w.kStride == 1 || w.rowStride != 1) {
            for (int64_t c = 0; c < nr; ++c) {
                if (c >= valid) {
                    for (int64_t k = 0; k < kc; ++k)
                        strip[k * nr + c] = 0.0f;
                    continue;
                }
                const float* src = w.data + (first + c) * w.rowStride + k0 * w.kStride;
                for (int64_t k = 0; k < kc; ++k)
                    strip[k * nr + c] = src[k * w.kStride];
            }
        } else { // rows contiguous (a transposed operand): copy nr values per k
            for (int64_t k = 0; k < kc; ++k) {
                const float* src = w.data + first + (k0 + k) * w.kStride;
                float* dst = strip + k * nr;
                for (int64_t c = 0; c < valid; ++c)
                    dst[c] = src[c];
                for (int64_t c = valid; c < nr; ++c)
                    dst[c] = 0.0f;
            }
        }
    }
}

// Packs x rows [m0, m0 + mc) × inputs [k0, k0 + kc) into strips of mr rows (the last may be
// shorter), each laid out (kc, rows).
void packA(const Operand& x, int64_t m0, int64_t mc, int64_t mr, int64_t k0, int64_t kc, float* out)
{
    for (int64_t i = 0; i < mc; i += mr) {
        const int64_t rows = std::min(mr, mc - i);
        float* strip = out + i * kc;
        if (x.kStride == 1 || x.rowStride != 1) {
            for (int64_t r = 0; r < rows; ++r) {
                const float* src = x.data + (m0 + i + r) * x.rowStride + k0 * x.kStride;
                for (int64_t k = 0; k < kc; ++k)
                    strip[k * rows + r] = src[k * x.kStride];
            }
        } else {
            for (int64_t k = 0; k < kc; ++k) {
                const float* src = x.data + (m0 + i) + (k0 + k) * x.kStride;
                for (int64_t r = 0; r < rows; ++r)
                    strip[k * rows + r] = src[r];
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// AVX-512: 8 rows × 32 columns (16 accumulators, 2 B loads + 8 broadcasts per k).

template <int R>
__attribute__((target("avx512f"))) void tileAvx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                                                   int64_t cols, bool accumulate, const float* bias)
{
    __m512 acc0[R], acc1[R];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
        acc0[r] = _mm512_setzero_ps();
        acc1[r] = _mm512_setzero_ps();
    }
    for (int64_t k = 0; k < kc; ++k) {
        const __m512 b0 = _mm512_loadu_ps(b + k * 32);
        const __m512 b1 = _mm512_loadu_ps(b + k * 32 + 16);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const __m512 av = _mm512_set1_ps(a[k * R + r]);
            acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);
            acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);
        }
    }
    const __mmask16 m0 = cols >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << cols) - 1);
    const __mmask16 m1 = cols >= 32 ? __mmask16(0xFFFF)
        : cols <= 16                ? __mmask16(0)
                                    : __mmask16((1u << (cols - 16)) - 1);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (!accumulate && bias) {
        bias0 = _mm512_maskz_loadu_ps(m0, bias);
        bias1 = _mm512_maskz_loadu_ps(m1, bias + 16);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
        float* row = c + r * ldc;
        if (accumulate) {
            acc0[r] = _mm512_add_ps(acc0[r], _mm512_maskz_loadu_ps(m0, row));
            acc1[r] = _mm512_add_ps(acc1[r], _mm512_maskz_loadu_ps(m1, row + 16));
        } else {
            acc0[r] = _mm512_add_ps(acc0[r], bias0);
            acc1[r] = _mm512_add_ps(acc1[r], bias1);
        }
        _mm512_mask_storeu_ps(row, m0, acc0[r]);
        _mm512_mask_storeu_ps(row + 16, m1, acc1[r]);
    }
}

// ---------------------------------------------------------------------------------------------
// AVX2: 6 rows × 16 columns (12 accumulators, 2 B loads + 6 broadcasts per k).

__attribute__((target("avx2"))) inline __m256i columnMask(int64_t cols)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(cols)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

template <int R>
__attribute__((target("avx2,fma"))) void tileAvx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                                                  int64_t cols, bool accumulate, const float* bias)
{
    __m256 acc0[R], acc1[R];
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
        acc0[r] = _mm256_setzero_ps();
        acc1[r] = _mm256_setzero_ps();
    }
    for (int64_t k = 0; k < kc; ++k) {
        const __m256 b0 = _mm256_loadu_ps(b + k * 16);
        const __m256 b1 = _mm256_loadu_ps(b + k * 16 + 8);
#pragma GCC unroll 6
        for (int r = 0; r < R; ++r) {
            const __m256 av = _mm256_broadcast_ss(a + k * R + r);
            acc0[r] = _mm256_fmadd_ps(av, b0, acc0[r]);
            acc1[r] = _mm256_fmadd_ps(av, b1, acc1[r]);
        }
    }
    const __m256i m0 = columnMask(cols), m1 = columnMask(cols - 8);
    __m256 bias0 = _mm256_setzero_ps(), bias1 = _mm256_setzero_ps();
    if (!accumulate && bias) {
        bias0 = _mm256_maskload_ps(bias, m0);
        bias1 = _mm256_maskload_ps(bias + 8, m1);
    }
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
        float* row = c + r * ldc;
        if (accumulate) {
            acc0[r] = _mm256_add_ps(acc0[r], _mm256_maskload_ps(row, m0));
            acc1[r] = _mm256_add_ps(acc1[r], _mm256_maskload_ps(row + 8, m1));
        } else {
            acc0[r] = _mm256_add_ps(acc0[r], bias0);
            acc1[r] = _mm256_add_ps(acc1[r], bias1);
        }
        _mm256_maskstore_ps(row, m0, acc0[r]);
        _mm256_maskstore_ps(row + 8, m1, acc1[r]);
    }
    // GCC adds no vzeroupper to target("avx...") functions (see gemv.cpp).
    _mm256_zeroupper();
}

// ---------------------------------------------------------------------------------------------

using Tile = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int64_t cols, bool accumulate,
                      const float* bias);

struct Kernel
{
    const char* name;
    int64_t mr;
    int64_t nr;
    Tile tiles[9]; // by row count 1..mr
};

Kernel pick(std::string_view only = {})
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && (only.empty() || only == "avx512"))
        return {"avx512",
                8,
                32,
                {nullptr, tileAvx512<1>, tileAvx512<2>, tileAvx512<3>, tileAvx512<4>, tileAvx512<5>, tileAvx512<6>,
                 tileAvx512<7>, tileAvx512<8>}};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && (only.empty() || only == "avx2"))
        return {
            "avx2",
            6,
            16,
            {nullptr, tileAvx2<1>, tileAvx2<2>, tileAvx2<3>, tileAvx2<4>, tileAvx2<5>, tileAvx2<6>, nullptr, nullptr}};
    return {"none", 0, 0, {}};
}

Kernel& kernel()
{
    static Kernel k = pick();
    return k;
}

// The product for output columns in strips [s0, s1) (strip = nr columns) on one thread.
void gemmColumns(const Kernel& kr, const Operand& x, const Operand& w, const float* bias, float* y, int64_t M,
                 int64_t N, int64_t K, int64_t s0, int64_t s1, bool accumulate)
{
    const int64_t nr = kr.nr, mr = kr.mr;
    const int64_t stripsPerBlock = std::max<int64_t>(1, 256 / nr); // NC = 256 columns
    thread_local std::vector<float> bPack, aPack;
    bPack.resize(static_cast<size_t>(kKc * stripsPerBlock * nr));
    aPack.resize(static_cast<size_t>(kKc * kMc));

    for (int64_t sb = s0; sb < s1; sb += stripsPerBlock) {
        const int64_t strips = std::min(stripsPerBlock, s1 - sb);
        for (int64_t k0 = 0; k0 < K; k0 += kKc) {
            const int64_t kc = std::min(kKc, K - k0);
            packB(w, N, sb * nr, strips, nr, k0, kc, bPack.data());
            for (int64_t m0 = 0; m0 < M; m0 += kMc) {
                const int64_t mc = std::min(kMc, M - m0);
                packA(x, m0, mc, mr, k0, kc, aPack.data());
                for (int64_t s = 0; s < strips; ++s) {
                    const int64_t n0 = (sb + s) * nr;
                    const int64_t cols = std::min(nr, N - n0);
                    const float* bStrip = bPack.data() + s * kc * nr;
                    const float* bBias = bias ? bias + n0 : nullptr;
                    for (int64_t i = 0; i < mc; i += mr) {
                        const int64_t rows = std::min(mr, mc - i);
                        kr.tiles[rows](kc, aPack.data() + i * kc, bStrip, y + (m0 + i) * N + n0, N, cols,
                                       accumulate || k0 > 0, bBias);
                    }
                }
            }
        }
    }
}

} // namespace

const char* gemmKernelName()
{
    return kernel().name;
}

bool gemmSelectKernel(std::string_view name)
{
    Kernel k = pick(name);
    if (k.mr == 0 && name != "none")
        return false;
    kernel() = k;
    return true;
}

bool gemmApplies(const torch::Tensor& x, const torch::Tensor& weight)
{
    if (kernel().mr == 0)
        return false;
    if (torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad()))
        return false;
    return x.device().is_cpu() && weight.device().is_cpu() && x.scalar_type() == torch::kFloat
        && weight.scalar_type() == torch::kFloat && x.dim() == 2 && weight.dim() == 2 && x.size(1) == weight.size(1);
}

void gemmStrided(int64_t M, int64_t N, int64_t K, const float* x, int64_t xRowStride, int64_t xKStride, const float* w,
                 int64_t wRowStride, int64_t wKStride, const float* bias, float* y, bool accumulate)
{
    const Kernel& kr = kernel();
    if (M == 0 || N == 0)
        return;
    if (K == 0) {
        if (!accumulate)
            for (int64_t m = 0; m < M; ++m)
                for (int64_t n = 0; n < N; ++n)
                    y[m * N + n] = bias ? bias[n] : 0.0f;
        return;
    }
    const Operand xo {x, xRowStride, xKStride}, wo {w, wRowStride, wKStride};
    const int64_t strips = (N + kr.nr - 1) / kr.nr;
    // Small products stay on one thread (thread start-up costs more than they do).
    const int64_t work = M * N * K;
    const int64_t grain = work < (int64_t {1} << 20) ? strips : std::max<int64_t>(1, 128 / kr.nr);
    parallelFor(strips, grain,
                [&](int64_t s0, int64_t s1) { gemmColumns(kr, xo, wo, bias, y, M, N, K, s0, s1, accumulate); });
}

torch::Tensor gemm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
    const int64_t M = x.size(0), K = x.size(1), N = weight.size(0);
    auto bc = bias.defined() ? bias.contiguous() : bias;
    auto y = torch::empty({M, N}, weight.options());
    gemmStrided(M, N, K, x.data_ptr<float>(), x.stride(0), x.stride(1), weight.data_ptr<float>(), weight.stride(0),
                weight.stride(1), bc.defined() ? bc.data_ptr<float>() : nullptr, y.data_ptr<float>(), false);
    return y;
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// y = x wᵀ on the packed kernel, with its backward on the same kernel:
//   dx = dy w   (M, K)      dw = dyᵀ x   (N, K)
// (A bias is added outside, by autograd's add: custom functions take no undefined inputs in 1.13.)
struct PackedLinear : public torch::autograd::Function<PackedLinear>
{
    static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, torch::Tensor w)
    {
        ctx->save_for_backward({x, w});
        return gemm(x, w, {});
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& w = saved[1];
        const auto dy = grads[0].contiguous();
        const int64_t M = x.size(0), K = x.size(1), N = w.size(0);
        torch::Tensor dx, dw;
        if (ctx->needs_input_grad(0)) {
            dx = torch::empty({M, K}, x.options());
            // dx(m, k) = Σ_n dy(m, n) w(n, k): "rows" k of wᵀ are w's columns.
            gemmStrided(M, K, N, dy.data_ptr<float>(), N, 1, w.data_ptr<float>(), w.stride(1), w.stride(0), nullptr,
                        dx.data_ptr<float>(), false);
        }
        if (ctx->needs_input_grad(1)) {
            dw = torch::empty({N, K}, w.options());
            // dw(n, k) = Σ_m dy(m, n) x(m, k)
            gemmStrided(N, K, M, dy.data_ptr<float>(), 1, N, x.data_ptr<float>(), x.stride(1), x.stride(0), nullptr,
                        dw.data_ptr<float>(), false);
        }
        return {dx, dw};
    }
};

} // namespace

bool linearApplies(const torch::Tensor& x, const torch::Tensor& weight)
{
    return kernel().mr != 0 && x.device().is_cpu() && weight.device().is_cpu() && x.scalar_type() == torch::kFloat
        && weight.scalar_type() == torch::kFloat && weight.dim() == 2 && x.size(-1) == weight.size(1);
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
    if (!linearApplies(x, weight))
        return bias.defined() ? at::linear(x, weight, bias) : at::linear(x, weight);
    auto shape = x.sizes().vec();
    shape.back() = weight.size(0);
    auto x2 = x.reshape({-1, x.size(-1)});
    torch::Tensor y;
    const bool needsGraph
        = torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()));
    if (needsGraph) {
        y = PackedLinear::apply(x2, weight);
        if (bias.defined())
            y = y + bias;
    } else
        y = gemm(x2, weight, bias);
    return y.view(shape);
}

} // namespace ts::engine

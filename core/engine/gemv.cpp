// Row-parallel fp32 matrix-vector product (see gemv.h).
#include "engine/gemv.h"

#include <immintrin.h>

#include "engine/parallel.h"

namespace ts::engine {

namespace {

using RowsKernel
    = void (*)(const float* w, const float* x, const float* b, float* y, int64_t in, int64_t begin, int64_t end);

void rowsScalar(const float* w, const float* x, const float* b, float* y, int64_t in, int64_t begin, int64_t end)
{
    for (int64_t o = begin; o < end; ++o) {
        const float* row = w + o * in;
        float s = 0.0f;
        for (int64_t i = 0; i < in; ++i)
            s += row[i] * x[i];
        y[o] = b ? s + b[o] : s;
    }
}

__attribute__((target("avx2,fma"))) inline float sum256(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) void rowsAvx2(const float* w, const float* x, const float* b, float* y, int64_t in,
                                                  int64_t begin, int64_t end)
{
    const int64_t vec = in & ~int64_t {7};
    int64_t o = begin;
    for (; o + 4 <= end; o += 4) {
        const float* r0 = w + o * in;
        const float* r1 = r0 + in;
        const float* r2 = r1 + in;
        const float* r3 = r2 + in;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        for (int64_t i = 0; i < vec; i += 8) {
            const __m256 xv = _mm256_loadu_ps(x + i);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + i), xv, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + i), xv, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + i), xv, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + i), xv, a3);
        }
        float s[4] = {sum256(a0), sum256(a1), sum256(a2), sum256(a3)};
        for (int64_t i = vec; i < in; ++i) {
            s[0] += r0[i] * x[i];
            s[1] += r1[i] * x[i];
            s[2] += r2[i] * x[i];
            s[3] += r3[i] * x[i];
        }
        for (int k = 0; k < 4; ++k)
            y[o + k] = b ? s[k] + b[o + k] : s[k];
    }
    // GCC does not add vzeroupper to target("avx...") functions; without it the dirty upper
    // register state makes later SSE code (libm, other kernels) many times slower.
    _mm256_zeroupper();
    rowsScalar(w, x, b, y, in, o, end);
}

__attribute__((target("avx512f"))) void rowsAvx512(const float* w, const float* x, const float* b, float* y, int64_t in,
                                                   int64_t begin, int64_t end)
{
    const int64_t vec = in & ~int64_t {15};
    int64_t o = begin;
    for (; o + 4 <= end; o += 4) {
        const float* r0 = w + o * in;
        const float* r1 = r0 + in;
        const float* r2 = r1 + in;
        const float* r3 = r2 + in;
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int64_t i = 0; i < vec; i += 16) {
            const __m512 xv = _mm512_loadu_ps(x + i);
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(r0 + i), xv, a0);
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(r1 + i), xv, a1);
            a2 = _mm512_fmadd_ps(_mm512_loadu_ps(r2 + i), xv, a2);
            a3 = _mm512_fmadd_ps(_mm512_loadu_ps(r3 + i), xv, a3);
        }
        float s[4]
            = {_mm512_reduce_add_ps(a0), _mm512_reduce_add_ps(a1), _mm512_reduce_add_ps(a2), _mm512_reduce_add_ps(a3)};
        for (int64_t i = vec; i < in; ++i) {
            s[0] += r0[i] * x[i];
            s[1] += r1[i] * x[i];
            s[2] += r2[i] * x[i];
            s[3] += r3[i] * x[i];
        }
        for (int k = 0; k < 4; ++k)
            y[o + k] = b ? s[k] + b[o + k] : s[k];
    }
    // GCC does not add vzeroupper to target("avx...") functions; without it the dirty upper
    // register state makes later SSE code (libm, other kernels) many times slower.
    _mm256_zeroupper();
    rowsScalar(w, x, b, y, in, o, end);
}

struct Dispatch
{
    RowsKernel kernel;
    const char* name;
};

Dispatch pick()
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return {rowsAvx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return {rowsAvx2, "avx2"};
    return {rowsScalar, "scalar"};
}

const Dispatch& dispatch()
{
    static const Dispatch d = pick();
    return d;
}

} // namespace

const char* gemvKernelName()
{
    return dispatch().name;
}

bool gemvApplies(const torch::Tensor& weight, const torch::Tensor& x)
{
    if (torch::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad()))
        return false;
    return weight.device().is_cpu() && weight.scalar_type() == torch::kFloat && x.scalar_type() == torch::kFloat
        && weight.dim() == 2 && weight.is_contiguous() && x.dim() == 1 && x.size(0) == weight.size(1);
}

torch::Tensor gemv(const torch::Tensor& weight, const torch::Tensor& x, const torch::Tensor& bias)
{
    const int64_t out = weight.size(0), in = weight.size(1);
    auto xc = x.contiguous();
    auto bc = bias.defined() ? bias.contiguous() : bias;
    auto y = torch::empty({out}, weight.options());
    const float* w = weight.data_ptr<float>();
    const float* xp = xc.data_ptr<float>();
    const float* bp = bc.defined() ? bc.data_ptr<float>() : nullptr;
    float* yp = y.data_ptr<float>();
    const RowsKernel kernel = dispatch().kernel;
    // Threads get whole blocks of rows; matrices under ~64 KB stay on one thread.
    const int64_t grain = std::max<int64_t>(16, 16384 / std::max<int64_t>(in, 1));
    parallelFor(out, grain, [&](int64_t begin, int64_t end) { kernel(w, xp, bp, yp, in, begin, end); });
    return y;
}

} // namespace ts::engine

// parallelFor over libgomp (see parallel.h).
#include "engine/parallel.h"

#include <algorithm>

#include <dlfcn.h>

#include <ATen/Parallel.h>

namespace ts::engine {

namespace {

using GompParallel = void (*)(void (*)(void*), void*, unsigned, unsigned);
using OmpInt = int (*)();

struct Gomp
{
    GompParallel parallel = nullptr;
    OmpInt threadNum = nullptr;
    OmpInt numThreads = nullptr;
    OmpInt inParallel = nullptr;
};

const Gomp& gomp()
{
    static const Gomp g = [] {
        Gomp out;
        out.parallel = reinterpret_cast<GompParallel>(dlsym(RTLD_DEFAULT, "GOMP_parallel"));
        out.threadNum = reinterpret_cast<OmpInt>(dlsym(RTLD_DEFAULT, "omp_get_thread_num"));
        out.numThreads = reinterpret_cast<OmpInt>(dlsym(RTLD_DEFAULT, "omp_get_num_threads"));
        out.inParallel = reinterpret_cast<OmpInt>(dlsym(RTLD_DEFAULT, "omp_in_parallel"));
        if (!out.parallel || !out.threadNum || !out.numThreads || !out.inParallel)
            out = Gomp {};
        return out;
    }();
    return g;
}

struct Job
{
    int64_t n;
    int64_t chunks;
    const std::function<void(int64_t, int64_t)>* fn;
    const Gomp* g;
};

void runChunk(void* data)
{
    const auto* job = static_cast<const Job*>(data);
    const int64_t team = job->g->numThreads();
    for (int64_t c = job->g->threadNum(); c < job->chunks; c += team) {
        const int64_t begin = job->n * c / job->chunks;
        const int64_t end = job->n * (c + 1) / job->chunks;
        if (begin < end)
            (*job->fn)(begin, end);
    }
}

} // namespace

bool parallelForIsParallel()
{
#ifdef _OPENMP
    return true;
#else
    return gomp().parallel != nullptr;
#endif
}

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn)
{
    if (n <= 0)
        return;
#ifdef _OPENMP
    at::parallel_for(0, n, grain, fn);
#else
    const int threads = at::get_num_threads();
    const int64_t chunks = std::min<int64_t>(threads, std::max<int64_t>(1, n / std::max<int64_t>(grain, 1)));
    const Gomp& g = gomp();
    if (chunks <= 1 || !g.parallel || g.inParallel()) {
        fn(0, n);
        return;
    }
    Job job {n, chunks, &fn, &g};
    g.parallel(runChunk, &job, static_cast<unsigned>(chunks), 0);
#endif
}

} // namespace ts::engine

// parallelFor: splits [0, n) over the compute threads (the OpenMP team libtorch and OpenBLAS use).
// at::parallel_for is a header template whose OpenMP pragma only takes effect in files compiled
// with -fopenmp; this engine is not, so without that flag the work goes through libgomp's
// GOMP_parallel (loaded with libtorch, looked up at run time), else runs on one thread.
// Internal header.
#pragma once

#include <cstdint>
#include <functional>

namespace ts::engine {

// fn(begin, end) over disjoint chunks of at least `grain` items (fewer chunks than threads when
// n is small). fn must not throw.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// Whether parallelFor can use more than one thread in this build / process.
bool parallelForIsParallel();

} // namespace ts::engine

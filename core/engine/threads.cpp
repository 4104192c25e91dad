// Compute threads for libtorch.
#include "engine/threads.h"

#include <thread>

#include <ATen/Parallel.h>

namespace ts::engine {

int setComputeThreads(int n)
{
    if (n <= 0)
        n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
    return at::get_num_threads();
}

int computeThreads()
{
    return at::get_num_threads();
}

} // namespace ts::engine

// Compute threads for libtorch: set explicitly (libtorch starts with one thread here).
#pragma once

namespace ts::engine {

// Sets libtorch's intra-op threads; n <= 0 means one per hardware core. Returns the count in use.
int setComputeThreads(int n);
int computeThreads();

} // namespace ts::engine

// LocalProviderCache: the local engines that endpoints share, one per (model folder, adapter folder, engine
// settings). Two endpoints on the same base model with different adapters get two engines; the same pair is
// loaded once and shared for as long as something uses it (the cache holds its engines weakly, so an engine
// no endpoint uses any more is freed instead of pinning gigabytes). An adapter is merged into the weights as
// they load (lora::mergeAdapterOnLoad, as `tunesmith-cli serve --adapter` does), after a cheap check that it
// fits the model (peft/adapter_fit.h) so that a wrong folder fails with a message naming the file and field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "common/expected.h"
#include "engine/engine.h"
#include "llm/local/local_provider.h"

namespace ts::llm {

class LocalProviderCache
{
public:
    // The engine of `modelDir` with `adapterDir` merged ("" = the base model). `engine`: threads, dtype and
    // kernels; its editWeights is replaced by the adapter merge. Loads under the cache's lock, so concurrent
    // requests for one pair load it once.
    Expected<std::shared_ptr<LocalProvider>> get(const std::filesystem::path& modelDir,
                                                 const std::filesystem::path& adapterDir, const EngineOptions& engine);
    // How many engines this cache has loaded (a cache hit loads none).
    int64_t loads() const;

private:
    using Key = std::tuple<std::string, std::string, int, int, bool, bool>;
    mutable std::mutex m_mutex;
    std::map<Key, std::weak_ptr<LocalProvider>> m_engines;
    int64_t m_loads = 0;
};

// The process's cache, used by makeEndpointProvider.
LocalProviderCache& sharedLocalProviders();

} // namespace ts::llm

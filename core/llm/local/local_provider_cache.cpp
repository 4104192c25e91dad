#include "llm/local/local_provider_cache.h"

#include <system_error>

#include "lora/adapter_on_load.h"
#include "peft/adapter_fit.h"

namespace ts::llm {

namespace {

std::string canonicalText(const std::filesystem::path& path)
{
    if (path.empty())
        return {};
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(path, ec);
    return (ec ? path : canonical).lexically_normal().string();
}

} // namespace

Expected<std::shared_ptr<LocalProvider>> LocalProviderCache::get(const std::filesystem::path& modelDir,
                                                                 const std::filesystem::path& adapterDir,
                                                                 const EngineOptions& engine)
{
    const Key key {canonicalText(modelDir),        canonicalText(adapterDir), engine.threads,
                   static_cast<int>(engine.dtype), engine.fuseProjections,    engine.fastKernels};
    std::lock_guard<std::mutex> lock(m_mutex);
    if (auto it = m_engines.find(key); it != m_engines.end())
        if (auto shared = it->second.lock())
            return shared;
    LocalProviderOptions options;
    options.engine = engine;
    options.engine.editWeights = {};
    if (!adapterDir.empty()) {
        if (auto fits = checkAdapterFitsModel(adapterDir, modelDir); !fits)
            return fits.error();
        options.engine.editWeights = lora::mergeAdapterOnLoad(adapterDir);
    }
    auto loaded = openLocalProvider(modelDir, options);
    if (!loaded)
        return loaded.error();
    ++m_loads;
    std::shared_ptr<LocalProvider> shared = std::move(*loaded);
    m_engines[key] = shared;
    // Entries of freed engines go when the next load happens.
    for (auto it = m_engines.begin(); it != m_engines.end();)
        it = it->second.expired() ? m_engines.erase(it) : std::next(it);
    return shared;
}

int64_t LocalProviderCache::loads() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_loads;
}

LocalProviderCache& sharedLocalProviders()
{
    static LocalProviderCache cache;
    return cache;
}

} // namespace ts::llm

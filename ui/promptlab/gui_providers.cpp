// makeGuiProviderFactory: one lambda over the keys found on the GUI thread; no keychain call from the worker.
#include "promptlab/gui_providers.h"

#include "llm/local/provider_factory.h"
#include "llm/provider_config.h"

namespace ts::ui {

ts::ProviderFactory makeGuiProviderFactory(std::map<std::string, std::string> keys, int localThreads)
{
    llm::ApiKeySource keySource = [keys = std::move(keys)](const ts::Endpoint& e) -> Expected<std::string> {
        if (auto key = keys.find(e.name); key != keys.end())
            return key->second;
        return llm::apiKeyFromConfigEnv(e.provider);
    };
    EngineOptions engine;
    engine.threads = localThreads;
    return [keySource = std::move(keySource), engine](const ts::Endpoint& e) {
        return llm::makeEndpointProvider(e, keySource, engine);
    };
}

} // namespace ts::ui

// makeGuiProviderFactory: one lambda over the keys found on the GUI thread; no keychain call from the worker.
#include "promptlab/gui_providers.h"

#include "llm/local/local_provider.h"
#include "llm/provider_config.h"

namespace ts::ui {

ts::ProviderFactory makeGuiProviderFactory(std::map<std::string, std::string> keys, int localThreads)
{
    return [keys = std::move(keys), localThreads](const ts::Endpoint& e) -> Expected<std::shared_ptr<llm::Provider>> {
        const std::string where = "endpoint \"" + e.name + "\": ";
        if (e.provider.kind == llm::ProviderKind::Local) {
            llm::LocalProviderOptions options;
            options.engine.threads = localThreads;
            options.defaultMaxTokens = e.provider.defaultMaxTokens;
            auto local = llm::openLocalProvider(e.provider.model, options);
            if (!local)
                return makeError(where + local.error().message);
            return std::shared_ptr<llm::Provider>(std::move(*local));
        }
        auto key = keys.find(e.name);
        auto http
            = key != keys.end() ? llm::makeHttpProvider(e.provider, key->second) : llm::makeHttpProvider(e.provider);
        if (!http)
            return makeError(where + http.error().message);
        return std::shared_ptr<llm::Provider>(std::move(*http));
    };
}

} // namespace ts::ui

// makeEndpointProvider: HTTP endpoints through makeHttpProvider, local ones through openLocalProvider.
#include "llm/local/provider_factory.h"

#include "llm/local/local_provider.h"
#include "llm/provider_config.h"

namespace ts::llm {

ApiKeySource environmentApiKeys()
{
    return [](const Endpoint& e) { return apiKeyFromConfigEnv(e.provider); };
}

Expected<std::shared_ptr<Provider>> makeEndpointProvider(const Endpoint& e, const ApiKeySource& keys,
                                                         const EngineOptions& localEngine)
{
    const std::string where = "endpoint \"" + e.name + "\": ";
    if (e.provider.kind == ProviderKind::Local) {
        LocalProviderOptions options;
        options.engine = localEngine;
        options.defaultMaxTokens = e.provider.defaultMaxTokens;
        auto local = openLocalProvider(e.provider.model, options);
        if (!local)
            return makeError(where + local.error().message);
        return std::shared_ptr<Provider>(std::move(*local));
    }
    if (Status valid = validateProviderConfig(e.provider); !valid)
        return makeError(where + valid.error().message);
    auto key = keys(e);
    if (!key)
        return makeError(where + key.error().message);
    auto http = makeHttpProvider(e.provider, std::move(key).value());
    if (!http)
        return makeError(where + http.error().message);
    return std::shared_ptr<Provider>(std::move(*http));
}

} // namespace ts::llm

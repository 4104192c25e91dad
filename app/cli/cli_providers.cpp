// cliProviders: makeEndpointProvider with the environment's keys.
#include "cli/cli_providers.h"

#include "llm/local/provider_factory.h"

namespace tscli {

ts::ProviderFactory cliProviders(int threads)
{
    ts::EngineOptions engine;
    engine.threads = threads;
    return [keys = ts::llm::environmentApiKeys(), engine](const ts::Endpoint& e) {
        return ts::llm::makeEndpointProvider(e, keys, engine);
    };
}

} // namespace tscli

// makeEndpointProvider: HTTP endpoints through makeHttpProvider, local ones on the shared engine of their
// (model, adapter) pair (LocalProviderCache).
#include "llm/local/provider_factory.h"

#include "llm/local/local_provider.h"
#include "llm/local/local_provider_cache.h"
#include "llm/provider_config.h"

namespace ts::llm {

namespace {

// A local endpoint on a shared engine: the endpoint's own default max tokens, and its adapter in describe().
class LocalEndpointProvider final : public Provider
{
public:
    LocalEndpointProvider(std::shared_ptr<LocalProvider> engine, int defaultMaxTokens, std::string adapter)
        : m_engine(std::move(engine))
        , m_defaultMaxTokens(defaultMaxTokens)
        , m_adapter(std::move(adapter))
    { }
    std::string describe() const override
    {
        return m_engine->describe() + (m_adapter.empty() ? "" : " + adapter " + m_adapter);
    }
    ChatOutcome chat(const std::vector<ChatMessage>& messages, const ChatParams& params, const CancelToken& cancel,
                     const DeltaCallback& onDelta) override
    {
        ChatParams p = params;
        if (!p.maxTokens)
            p.maxTokens = m_defaultMaxTokens;
        return m_engine->chat(messages, p, cancel, onDelta);
    }

private:
    std::shared_ptr<LocalProvider> m_engine;
    int m_defaultMaxTokens;
    std::string m_adapter;
};

} // namespace

ApiKeySource environmentApiKeys()
{
    return [](const Endpoint& e) { return apiKeyFromConfigEnv(e.provider); };
}

Expected<std::shared_ptr<Provider>> makeEndpointProvider(const Endpoint& e, const ApiKeySource& keys,
                                                         const EngineOptions& localEngine)
{
    const std::string where = "endpoint \"" + e.name + "\": ";
    if (e.provider.kind == ProviderKind::Local) {
        auto engine = sharedLocalProviders().get(e.provider.model, e.provider.adapter, localEngine);
        if (!engine)
            return makeError(where + engine.error().message);
        return std::shared_ptr<Provider>(std::make_shared<LocalEndpointProvider>(
            std::move(*engine), e.provider.defaultMaxTokens, e.provider.adapter));
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

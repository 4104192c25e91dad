// makeEndpointProvider: the one place that builds the Provider of a project endpoint, of every
// kind: OpenAI-compatible and Anthropic over HTTP (llm::makeHttpProvider) with the key an
// ApiKeySource yields, or the local engine (openLocalProvider) on the endpoint's model folder.
// It lives beside LocalProvider because only here can every kind be built. Where keys come from
// is the caller's: the CLI reads environment variables (environmentApiKeys), the GUI passes the
// keys it found in the OS keychain.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/expected.h"
#include "engine/engine.h"
#include "llm/endpoint_repository.h"
#include "llm/provider.h"

namespace ts::llm {

// The API key for an HTTP endpoint (an empty key sends none), or an error saying why there is none.
using ApiKeySource = std::function<Expected<std::string>(const Endpoint& endpoint)>;

// Keys from the environment variable each endpoint's config names (apiKeyFromConfigEnv).
ApiKeySource environmentApiKeys();

// The endpoint's provider. A local endpoint runs on an engine loaded with `localEngine` (threads,
// dtype, ...) with its adapter merged, shared with every endpoint on the same (model, adapter) pair
// (sharedLocalProviders()), and answers requests without max_tokens with the endpoint's
// default_max_tokens. A bad adapter folder is an error naming the file and field.
// Errors start with `endpoint "<name>": `; an HTTP endpoint's config is validated before its key
// is asked for.
Expected<std::shared_ptr<Provider>> makeEndpointProvider(const Endpoint& endpoint, const ApiKeySource& keys,
                                                         const EngineOptions& localEngine = {});

} // namespace ts::llm

// EndpointRepository: the `models` table — the model endpoints a project's prompt variants call:
// a name, how to reach it (llm::ProviderConfig: an OpenAI-compatible host, Anthropic, or a local
// model folder) and its price per 1M input / output tokens (editable; unknown when unset). API
// keys are never stored: only the name of the environment variable (or the keychain entry, in
// the GUI) that holds one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "llm/prices.h"
#include "llm/provider_config.h"
#include "store/database.h"

namespace ts {

struct Endpoint
{
    int64_t id = 0;
    std::string name; // unique in the project: "gpt-4o-mini", "local-demo"
    llm::ProviderConfig provider;
    std::optional<llm::ModelPrice> price;
};

class EndpointRepository
{
public:
    explicit EndpointRepository(Database& db)
        : m_db(db)
    { }

    // Inserts or replaces the endpoint with this name (sets id). The config is validated first.
    Status save(Endpoint& endpoint);
    Expected<std::optional<Endpoint>> get(const std::string& name);
    Expected<std::vector<Endpoint>> all(); // by name
    Status remove(const std::string& name);

private:
    Database& m_db;
};

} // namespace ts

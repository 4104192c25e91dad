// The GUI's ProviderFactory for A/B tests: llm::makeEndpointProvider with the HTTP keys read from the keychain
// (or the environment) before the run starts; local endpoints run on the engine.
#pragma once

#include <map>
#include <string>

#include "promptlab/ab_test_job.h"

namespace ts::ui {

// `keys`: endpoint name → API key, as ApiKeyStore found them; an endpoint without one uses its config's
// environment variable (or no key for a self-hosted server). Called on the job's thread.
ts::ProviderFactory makeGuiProviderFactory(std::map<std::string, std::string> keys, int localThreads = 0);

} // namespace ts::ui

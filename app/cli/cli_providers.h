// cliProviders: how the CLI's jobs reach endpoints — every kind, the local engine with `threads` threads (0: the
// engine's default), HTTP keys from the environment.
#pragma once

#include "promptlab/ab_test_job.h"

namespace tscli {

ts::ProviderFactory cliProviders(int threads);

} // namespace tscli

// The estimate of an evolve run as configured, from the project file: the seed rows the config selects (their
// token counts taken as characters / 4, since the teacher's tokenizer is remote), the teacher endpoint's price
// (its own, else the built-in price of its model) and the run's shape (synth/evolution_estimate.h). Shown before a
// run starts (the page, `tunesmith-cli evolve --estimate`).
#pragma once

#include "common/expected.h"
#include "store/database.h"
#include "synth/evolution_estimate.h"
#include "synth/evolve_config.h"

namespace ts::synth {

struct EvolveRunEstimate
{
    EvolutionEstimate estimate;
    int64_t seedRows = 0;
    bool priceKnown = false;
};

Expected<EvolveRunEstimate> estimateEvolveRun(Database& db, const EvolveConfig& config);

} // namespace ts::synth

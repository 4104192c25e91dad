// Training checkpoints: everything a run needs to continue as if never stopped.
//   <dir>/state.safetensors   param.<name>, adam_m.<name>, adam_v.<name> (fp32), rng (U8: the
//                             torch default generator's state)
//   <dir>/trainer_state.json  {"step", "adam_step", "tokens_seen", "data_position", "loss"}
// Written into a temporary sibling folder and renamed into place, so a crash leaves either the
// previous checkpoint or the new one, never half of one.
// Internal header (torch).
#pragma once

#include <filesystem>
#include <string>

#include "common/expected.h"
#include "train/adamw.h"

namespace ts::train {

struct TrainerState
{
    int64_t step = 0; // optimizer steps done
    int64_t tokensSeen = 0;
    std::string dataPosition; // SftBatchPosition::toJson()
    double loss = 0; // of the last step
};

Status saveCheckpoint(const std::filesystem::path& dir, const AdamW& optimizer, const TrainerState& state);

// Restores parameters (in place), optimizer moments, the RNG and returns the trainer state.
// Errors name the file and tensor (a checkpoint of another model or LoRA shape is refused).
Expected<TrainerState> loadCheckpoint(const std::filesystem::path& dir, AdamW& optimizer);

} // namespace ts::train

// ResumePoint: where a stopped training run would resume — the newest of its checkpoints still on disk — and,
// when none is, why not, in words for the user. A run whose checkpoint files are gone (a project copied without
// its asset folder, files deleted) is not silently restarted from step 0: TrainJob refuses it unless told to
// start again (TrainJobParams::restartWithoutCheckpoint), and the GUI and the CLI ask or say so first.
// Torch-free: the GUI calls it before it starts a resume.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/expected.h"
#include "store/database.h"

namespace ts {

struct ResumePoint
{
    std::optional<std::filesystem::path> checkpointDir; // the newest checkpoint on disk; none: start from step 0
    int64_t recordedCheckpoints = 0; // checkpoints the project file lists for the run, on disk or not
    std::filesystem::path expectedFolder; // where the newest listed checkpoint should be (empty when none listed)
};

// Reads the run's checkpoint artifacts through `db` (any connection) and looks for their folders beside
// `projectFile`.
Expected<ResumePoint> findResumePoint(Database& db, const std::filesystem::path& projectFile, int64_t runId);

// "Run 'x' has no checkpoint to resume from (its files are not in <folder>)." or, for a run that stopped before
// its first checkpoint, "(it stopped before saving its first one)."; "" when it has one. An unnamed run is
// "Run <id>".
std::string noCheckpointReason(const ResumePoint& point, const std::string& runName, int64_t runId);

} // namespace ts

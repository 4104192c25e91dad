// copyFolder: a folder tree (a project's asset folder: adapters, checkpoints, exports) copied file by file, with
// progress in bytes (the message counts files) and cancel between chunks. A failed or cancelled copy removes the
// folder it was making, so no half copy is left behind.
#pragma once

#include <filesystem>
#include <string>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"

namespace ts {

// Copies `source` (and everything under it) to `target`, which must not exist. A missing `source` copies
// nothing. Files that vanish while the copy runs (a job tidying its own folder) are skipped, and so are folders
// named "*.partial" (a checkpoint being written, renamed when complete: train/checkpoint.h). Progress is
// reported at most every 100 ms as bytes done of the total, the message "<what>: file N of M, X of Y MB".
Status copyFolder(const std::filesystem::path& source, const std::filesystem::path& target, const CancelToken& cancel,
                  ProgressSink& progress, const std::string& what);

} // namespace ts

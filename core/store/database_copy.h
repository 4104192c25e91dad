// copyDatabase: a consistent copy of an open project file into a new file (VACUUM INTO), cancellable, with
// progress as bytes written of the source's size. Run it on a reader connection: it reads one snapshot and
// never holds the write lock, so writers carry on while it copies.
#pragma once

#include <filesystem>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "store/database.h"

namespace ts {

// Fails if the target exists. On failure or cancel the partial target is removed.
Status copyDatabase(Database& source, const std::filesystem::path& target, const CancelToken& cancel,
                    ProgressSink& progress, const std::string& message);

// Removes a copy made by copyDatabase (the file and any journal, WAL or shared-memory file beside it).
void removeDatabaseCopy(const std::filesystem::path& target);

} // namespace ts

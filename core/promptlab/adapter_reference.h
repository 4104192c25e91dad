// An evaluation contestant's adapter, as the user names it: a PEFT folder path, or "run:ID" — the final adapter a
// training run of this project wrote (its "adapter" artifact, stored relative to the project file's folder, so the
// reference still holds after Save As moves the project and its assets).
#pragma once

#include <filesystem>
#include <string>

#include "common/expected.h"
#include "store/database.h"

namespace ts::promptlab {

// The folder `reference` names: "run:7" → <project folder>/<run 7's adapter artifact>; any other text is a path
// (relative ones against the project folder). "" stays "" (the base model). Errors name the run and why.
Expected<std::string> resolveAdapterReference(Database& db, const std::filesystem::path& projectFile,
                                              const std::string& reference);

} // namespace ts::promptlab

// Schema versions and migrations of the project file (PRAGMA user_version).
#pragma once

#include "common/expected.h"
#include "store/database.h"

namespace ts {

constexpr int kSchemaVersion = 8;

// Apply migrations from the file's version up to `toVersion` (the current one unless a test builds an
// older file), in one transaction.
Status migrate(Database& db, int fromVersion, int toVersion = kSchemaVersion);

} // namespace ts

// Schema versions and migrations of the project file (PRAGMA user_version).
#pragma once

#include "common/expected.h"
#include "store/database.h"

namespace ts {

constexpr int kSchemaVersion = 4;

// Apply migrations from the file's version up to kSchemaVersion, in one transaction.
Status migrate(Database& db, int fromVersion);

} // namespace ts

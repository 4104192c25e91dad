// checkIntegrity: SQLite's own check of a project file, as a list of problems. The quick check (b-tree
// structure, page accounting; time proportional to the file) runs on every open; the full check (also every
// index against its table; much slower on a large file) is an explicit action. Both can be cancelled.
#pragma once

#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "store/database.h"

namespace ts {

enum class IntegrityDepth { Quick, Full };

struct IntegrityReport
{
    std::string file; // the checked file's path
    std::vector<std::string> problems; // SQLite's messages, at most kMaxIntegrityProblems; empty = sound
    bool ok() const { return problems.empty(); }
    // "<file> passed the full integrity check." or "<file> is damaged: <first problems>".
    std::string summary() const;
};

constexpr int kMaxIntegrityProblems = 100;

Expected<IntegrityReport> checkIntegrity(Database& db, IntegrityDepth depth, const CancelToken& cancel,
                                         ProgressSink& progress);

} // namespace ts

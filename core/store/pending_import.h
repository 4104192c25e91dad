// PendingImport: the examples of an import that commits in chunks, kept out of sight until the last chunk is
// in. Each chunk is a short transaction under Project::writeLock() (the lock is free between chunks, so other
// writers and the GUI's edits go on); its rows are listed in `import_pending`, which every example query skips.
// finish() makes them all visible in one short transaction; discard() deletes them. Rows of a process that
// died mid-import are deleted by removeAbandonedImports() when the project is next opened.
#pragma once

#include <cstdint>
#include <vector>

#include "common/expected.h"
#include "store/database.h"
#include "store/example.h"

namespace ts {

class Project;

class PendingImport
{
public:
    // Registers the import (this process's pid and host) in its own short transaction.
    static Expected<PendingImport> begin(Project& project);

    int64_t id() const { return m_id; }
    // One transaction under the write lock: inserts the rows (setting their ids) and marks them pending. A
    // failed chunk leaves nothing behind (its ids are cleared), so it can be tried again.
    Status addChunk(std::vector<Example>::iterator first, std::vector<Example>::iterator last);
    // One short transaction: the rows become part of the project.
    Status finish();
    // Deletes the rows added so far (in chunks of their own) and the import's record.
    Status discard();

private:
    PendingImport(Project& project, int64_t id)
        : m_project(&project)
        , m_id(id)
    { }
    Project* m_project;
    int64_t m_id;
};

// Deletes the pending rows of imports whose process is gone (same host, no such pid); imports of a live
// process, or of another host, are left alone. Returns how many rows it deleted.
Expected<int64_t> removeAbandonedImports(Database& db);

} // namespace ts

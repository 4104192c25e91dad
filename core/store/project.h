// Project: one *.tunesmith SQLite file. Opening runs SQLite's quick check and checks the schema version
// (newer: refused; older: backed up, then migrated); the full integrity check is an explicit call. One writer
// connection, guarded by a mutex (the single writer); readers open their own read-only connections.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "store/database.h"
#include "store/integrity_check.h"

namespace ts {

class Project
{
public:
    // Fails if the file already exists.
    static Expected<std::unique_ptr<Project>> create(const std::filesystem::path& path);
    static Expected<std::unique_ptr<Project>> open(const std::filesystem::path& path);
    // Open with progress (quick check, backup copy, migration) that `cancel` can stop; a cancelled open
    // leaves the file as it was and removes the backup it had begun. Runs on any thread.
    static Expected<std::unique_ptr<Project>> open(const std::filesystem::path& path, const CancelToken& cancel,
                                                   ProgressSink& progress);

    // SQLite's full integrity check (every page and every index) of a project file, open or not, on a read-only
    // connection of its own; may run on any thread while others write. A damaged file is a report with
    // problems, not an error.
    static Expected<IntegrityReport> checkIntegrity(const std::filesystem::path& path, const CancelToken& cancel,
                                                    ProgressSink& progress);

    const std::filesystem::path& path() const { return m_path; }
    // Where large binaries (weights, checkpoints, exports) live: "<file>.assets/" beside the file.
    std::filesystem::path assetDir() const;
    // Set by open() when it migrated an older file: where the pre-migration copy went.
    const std::filesystem::path& migrationBackup() const { return m_migrationBackup; }

    // The writer connection. Hold writeLock() around any use from a non-owner thread.
    Database& writer() { return m_writer; }
    std::unique_lock<std::mutex> writeLock() { return std::unique_lock<std::mutex>(m_writeMutex); }
    // A new read-only connection (one per thread).
    Expected<Database> openReader() const;
    // The read-only connection of the thread that shows the project (the GUI thread), opened on first use: its
    // short reads never wait for writeLock(), which an import or a job may hold. Only that thread may use it;
    // other threads open their own with openReader().
    Expected<Database*> viewReader();
    // A `meta` value read through any connection (e.g. viewReader()).
    static Expected<std::string> readMeta(Database& db, const std::string& key, const std::string& fallback = {});

    // Consistent copy of the project to a new file; the copy is a valid project. It copies on a reader
    // connection of its own (a snapshot; writers are not held up), so it may run on any thread. The asset folder
    // (adapters, checkpoints) is copied too, to "<target>.assets/", with the copy's artifact paths pointing
    // there; progress is bytes of the file, then bytes of the asset folder. Refused when the target or its
    // asset folder exists. A cancelled or failed copy leaves neither behind.
    Status saveAs(const std::filesystem::path& target);
    Status saveAs(const std::filesystem::path& target, const CancelToken& cancel, ProgressSink& progress);

    // Key/value settings of the project (table `meta`).
    Expected<std::string> meta(const std::string& key, const std::string& fallback = {});
    Status setMeta(const std::string& key, const std::string& value);

private:
    Project() = default;
    std::filesystem::path m_path;
    std::filesystem::path m_migrationBackup;
    Database m_writer;
    std::mutex m_writeMutex;
    Database m_viewReader;
};

} // namespace ts

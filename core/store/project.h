// Project: one *.tunesmith SQLite file. Opening checks integrity and the schema version
// (newer: refused; older: backed up, then migrated). One writer connection, guarded by a
// mutex (the single writer); readers open their own read-only connections.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "common/expected.h"
#include "store/database.h"

namespace ts {

class Project
{
public:
    // Fails if the file already exists.
    static Expected<std::unique_ptr<Project>> create(const std::filesystem::path& path);
    static Expected<std::unique_ptr<Project>> open(const std::filesystem::path& path);

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

    // Consistent copy of the project to a new file; the copy is a valid project.
    Status saveAs(const std::filesystem::path& target);

    // Key/value settings of the project (table `meta`).
    Expected<std::string> meta(const std::string& key, const std::string& fallback = {});
    Status setMeta(const std::string& key, const std::string& value);

private:
    Project() = default;
    std::filesystem::path m_path;
    std::filesystem::path m_migrationBackup;
    Database m_writer;
    std::mutex m_writeMutex;
};

} // namespace ts

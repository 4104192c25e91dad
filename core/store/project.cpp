// Project: open/create/migrate/copy a *.tunesmith file.
#include "store/project.h"

#include <chrono>
#include <system_error>

#include "store/database_copy.h"
#include "store/folder_copy.h"
#include "store/pending_import.h"
#include "store/schema.h"
#include "store/sqlite_progress.h"

namespace ts {

namespace {

// PRAGMA application_id marks the file as Tunesmith's ("TSMH").
constexpr int64_t kApplicationId = 0x54534D48;

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Status configure(Database& db)
{
    // WAL: readers never block the writer; synchronous=NORMAL is durable against a killed
    // process (only an OS crash can lose the last commits).
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"}) {
        auto done = db.exec(pragma);
        if (!done)
            return done;
    }
    return {};
}

std::filesystem::path backupPathFor(const std::filesystem::path& path, int version)
{
    const auto dir = path.parent_path();
    const auto stem = path.stem().string();
    const auto ext = path.extension().string();
    std::filesystem::path candidate = dir / (stem + ".v" + std::to_string(version) + "-backup" + ext);
    for (int n = 2; std::filesystem::exists(candidate); ++n)
        candidate = dir / (stem + ".v" + std::to_string(version) + "-backup-" + std::to_string(n) + ext);
    return candidate;
}

std::string notAProject(const std::filesystem::path& path, const std::string& why)
{
    return path.string() + " is not a readable Tunesmith project: " + why;
}

// "<file>.assets" beside a project file.
std::filesystem::path assetDirOf(const std::filesystem::path& projectFile)
{
    return projectFile.parent_path() / (projectFile.stem().string() + ".assets");
}

// Points the copy at its own asset folder. Artifact paths are relative to the project file's folder and begin with
// the asset folder's name, so a copy under another name gets that one's name. A local endpoint's adapter (its
// config's "adapter") is an absolute path: one inside the original's asset folder moves to the copy's.
Status retargetAssetPaths(const std::filesystem::path& copy, const std::filesystem::path& fromAssets,
                          const std::filesystem::path& toAssets)
{
    if (fromAssets == toAssets)
        return {};
    auto db = Database::open(copy, Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    auto artifacts = db->prepare("UPDATE artifacts SET path = ?2 || substr(path, length(?1) + 1) "
                                 "WHERE substr(path, 1, length(?1)) = ?1");
    if (!artifacts)
        return artifacts.error();
    artifacts->bind(1, fromAssets.filename().string() + "/").bind(2, toAssets.filename().string() + "/");
    if (Status done = artifacts->run(); !done)
        return done;
    auto adapters
        = db->prepare("UPDATE endpoints SET config = json_set(config, '$.adapter', "
                      "  ?2 || substr(json_extract(config, '$.adapter'), length(?1) + 1)) "
                      "WHERE json_valid(config) AND substr(json_extract(config, '$.adapter'), 1, length(?1)) = ?1");
    if (!adapters)
        return adapters.error();
    adapters->bind(1, fromAssets.string() + "/").bind(2, toAssets.string() + "/");
    return adapters->run();
}

} // namespace

Expected<std::unique_ptr<Project>> Project::create(const std::filesystem::path& path)
{
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return Error {"cannot create " + path.string() + ": the file already exists"};
    auto db = Database::open(path, Database::Mode::ReadWriteCreate);
    if (!db)
        return db.error();
    auto done = configure(*db);
    if (done)
        done = db->exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    if (done)
        done = migrate(*db, 0);
    if (!done) {
        *db = Database();
        std::filesystem::remove(path, ec);
        return Error {"cannot create " + path.string() + ": " + done.error().message};
    }
    std::unique_ptr<Project> project(new Project());
    project->m_path = path;
    project->m_writer = std::move(*db);
    auto created = project->setMeta("created_at_ms", std::to_string(nowMs()));
    if (!created)
        return created.error();
    return project;
}

Expected<std::unique_ptr<Project>> Project::open(const std::filesystem::path& path)
{
    NullProgress progress;
    return open(path, CancelToken(), progress);
}

Expected<std::unique_ptr<Project>> Project::open(const std::filesystem::path& path, const CancelToken& cancel,
                                                 ProgressSink& progress)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Error {"cannot open " + path.string() + ": no such file"};
    auto db = Database::open(path, Database::Mode::ReadWrite);
    if (!db)
        return db.error();

    auto appId = db->queryInt("PRAGMA application_id");
    if (!appId)
        return Error {notAProject(path, appId.error().message)};
    if (*appId != kApplicationId && *appId != 0)
        return Error {notAProject(path, "it belongs to another application")};

    // The quick check finds damaged pages and b-trees in time proportional to the file; comparing every index
    // with its table (the full check) is left to File ▸ Check Project Integrity.
    auto checked = ts::checkIntegrity(*db, IntegrityDepth::Quick, cancel, progress);
    if (!checked) {
        if (checked.error().kind == ErrorKind::Cancelled)
            return checked.error();
        return Error {notAProject(path, checked.error().message)};
    }
    if (!checked->ok())
        return Error {checked->summary()};

    auto version = db->queryInt("PRAGMA user_version");
    if (!version)
        return Error {notAProject(path, version.error().message)};
    if (*version > kSchemaVersion)
        return Error {path.string() + " was written by a newer Tunesmith (schema version " + std::to_string(*version)
                      + "; this version reads up to " + std::to_string(kSchemaVersion)
                      + "). Update Tunesmith to open it."};
    if (*version == 0)
        return Error {notAProject(path, "it has no Tunesmith schema")};

    std::unique_ptr<Project> project(new Project());
    project->m_path = path;
    if (*version < kSchemaVersion) {
        project->m_migrationBackup = backupPathFor(path, static_cast<int>(*version));
        auto copied = copyDatabase(*db, project->m_migrationBackup, cancel, progress,
                                   "Backing up " + path.filename().string() + " before upgrading it");
        if (!copied) {
            if (copied.error().kind == ErrorKind::Cancelled)
                return copied.error();
            return Error {"cannot back up " + path.string() + " before upgrading it: " + copied.error().message};
        }
    }
    auto done = configure(*db);
    if (done) {
        SqliteProgress watch(*db, cancel, progress, "Upgrading " + path.filename().string());
        done = cancel.stopRequested() ? Status(cancelledError()) : migrate(*db, static_cast<int>(*version));
        if (!done)
            done = watch.explain(done.error());
    }
    if (!done) {
        // The migration rolled back: the file is as it was, so the backup of it is not needed.
        if (!project->m_migrationBackup.empty())
            std::filesystem::remove(project->m_migrationBackup, ec);
        if (done.error().kind == ErrorKind::Cancelled)
            return done.error();
        return Error {"cannot open " + path.string() + ": " + done.error().message};
    }
    // Rows of an import whose process died before its last chunk: never visible, now deleted.
    auto abandoned = removeAbandonedImports(*db);
    if (!abandoned)
        return Error {"cannot open " + path.string() + ": " + abandoned.error().message};
    project->m_writer = std::move(*db);
    return project;
}

std::filesystem::path Project::assetDir() const
{
    return assetDirOf(m_path);
}

Expected<Database> Project::openReader() const
{
    auto db = Database::open(m_path, Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    return db;
}

Status Project::saveAs(const std::filesystem::path& target)
{
    NullProgress progress;
    return saveAs(target, CancelToken(), progress);
}

Status Project::saveAs(const std::filesystem::path& target, const CancelToken& cancel, ProgressSink& progress)
{
    std::error_code ec;
    if (std::filesystem::equivalent(target, m_path, ec))
        return Error {"cannot save the project onto itself"};
    const std::filesystem::path targetAssets = assetDirOf(target);
    if (std::filesystem::exists(targetAssets, ec))
        return Error {"cannot save to " + target.string() + ": the folder " + targetAssets.string()
                      + " is in the way (the copy keeps its adapters and checkpoints there); move it or choose "
                        "another name"};
    {
        auto reader = openReader();
        if (!reader)
            return reader.error();
        if (auto copied = copyDatabase(*reader, target, cancel, progress, "Copying to " + target.filename().string());
            !copied)
            return copied;
    }
    // The database first (a snapshot), then the files its artifacts name; a job writing new checkpoints meanwhile
    // adds files the snapshot does not list, which the copy may or may not get.
    Status done
        = retargetAssetPaths(target, std::filesystem::absolute(assetDir()), std::filesystem::absolute(targetAssets));
    if (done)
        done = copyFolder(assetDir(), targetAssets, cancel, progress, "Copying the run files (adapters, checkpoints)");
    if (!done) {
        removeDatabaseCopy(target);
        if (done.error().kind == ErrorKind::Cancelled)
            return done;
        return Error {"cannot save to " + target.string() + ": " + done.error().message, done.error().kind};
    }
    return {};
}

Expected<IntegrityReport> Project::checkIntegrity(const std::filesystem::path& path, const CancelToken& cancel,
                                                  ProgressSink& progress)
{
    auto reader = Database::open(path, Database::Mode::ReadOnly);
    if (!reader)
        return reader.error();
    return ts::checkIntegrity(*reader, IntegrityDepth::Full, cancel, progress);
}

Expected<Database*> Project::viewReader()
{
    if (!m_viewReader.isOpen()) {
        auto opened = openReader();
        if (!opened)
            return opened.error();
        m_viewReader = std::move(*opened);
    }
    return &m_viewReader;
}

Expected<std::string> Project::meta(const std::string& key, const std::string& fallback)
{
    return readMeta(m_writer, key, fallback);
}

Expected<std::string> Project::readMeta(Database& db, const std::string& key, const std::string& fallback)
{
    auto stmt = db.prepare("SELECT value FROM meta WHERE key = ?1");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->columnText(0) : fallback;
}

Status Project::setMeta(const std::string& key, const std::string& value)
{
    auto stmt = m_writer.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2) "
                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, key).bind(2, value);
    return stmt->run();
}

} // namespace ts

// Project file: create, reopen, migrate, refuse newer/corrupt files, survive SIGKILL, Save As.
#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "llm/endpoint_repository.h"
#include "promptlab/cell_repository.h"
#include "store/busy_retry.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "store/schema.h"
#include "test_support.h"

using namespace ts;

namespace {

Example makeExample(const std::string& input, const std::string& output, Split split = Split::Train,
                    std::vector<std::string> tags = {})
{
    Example ex;
    ex.messages = {{"user", input}, {"assistant", output}};
    ex.split = split;
    ex.tags = std::move(tags);
    return ex;
}

std::unique_ptr<Project> createProject(const std::filesystem::path& path)
{
    auto project = Project::create(path);
    EXPECT_TRUE(project.ok()) << (project.ok() ? "" : project.error().message);
    return project.ok() ? std::move(*project) : nullptr;
}

} // namespace

TEST(Store, CreateInsertReopen)
{
    tstest::TempDir dir;
    const auto path = dir / "a.tunesmith";
    {
        auto project = createProject(path);
        ASSERT_TRUE(project);
        ExampleRepository repo(project->writer());
        Example ex = makeExample("héllo, wörld", "{\"ok\":true}", Split::Eval, {"x", "y"});
        ex.setSystem("be terse");
        ASSERT_TRUE(repo.insert(ex).ok());
        EXPECT_GT(ex.id, 0);
        EXPECT_GT(ex.createdAt, 0);
    }
    auto reopened = Project::open(path);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    ExampleRepository repo((*reopened)->writer());
    auto all = repo.all();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    const Example& ex = all->front();
    EXPECT_EQ(ex.system(), "be terse");
    EXPECT_EQ(ex.input(), "héllo, wörld");
    EXPECT_EQ(ex.output(), "{\"ok\":true}");
    EXPECT_EQ(ex.split, Split::Eval);
    EXPECT_EQ(ex.tags, (std::vector<std::string> {"x", "y"}));
    EXPECT_EQ(*(*reopened)->writer().queryInt("PRAGMA user_version"), kSchemaVersion);
    EXPECT_EQ(*(*reopened)->writer().queryInt("PRAGMA foreign_keys"), 1);
    auto mode = (*reopened)->writer().prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    ASSERT_TRUE(*mode->step());
    EXPECT_EQ(mode->columnText(0), "wal");
}

TEST(Store, CreateRefusesExistingFile)
{
    tstest::TempDir dir;
    const auto path = dir / "exists.tunesmith";
    std::ofstream(path) << "keep me";
    auto project = Project::create(path);
    ASSERT_FALSE(project.ok());
    EXPECT_NE(project.error().message.find("already exists"), std::string::npos);
    std::ifstream in(path);
    std::string content;
    std::getline(in, content);
    EXPECT_EQ(content, "keep me");
}

TEST(Store, SchemaHasTablesForLaterFeatures)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "p.tunesmith");
    ASSERT_TRUE(project);
    for (const char* table : {"meta", "examples", "prompts", "prompt_versions", "endpoints", "runs", "metrics", "cells",
                              "scores", "artifacts"}) {
        auto stmt = project->writer().prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1");
        ASSERT_TRUE(stmt.ok());
        stmt->bind(1, std::string(table));
        ASSERT_TRUE(*stmt->step());
        EXPECT_EQ(stmt->columnInt(0), 1) << table;
    }
}

TEST(Store, MigratesVersion1FileAfterBackup)
{
    tstest::TempDir dir;
    const auto path = dir / "old.tunesmith";
    std::filesystem::copy_file(std::filesystem::path(TUNESMITH_FIXTURE_DIR) / "project-v1.tunesmith", path);
    auto project = Project::open(path);
    ASSERT_TRUE(project.ok()) << project.error().message;
    EXPECT_EQ(*(*project)->writer().queryInt("PRAGMA user_version"), kSchemaVersion);

    // The rows survived, with the new columns at their defaults.
    ExampleRepository repo((*project)->writer());
    auto all = repo.all();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[1].system(), "Extract claim fields as JSON.");
    EXPECT_EQ((*all)[1].split, Split::Eval);
    EXPECT_EQ((*all)[2].source, Source::Imported);
    EXPECT_EQ((*all)[2].tags, (std::vector<std::string> {"travel", "non-english"}));
    EXPECT_FALSE((*all)[0].parentId.has_value());

    // The backup is the untouched version-1 file.
    const auto backup = (*project)->migrationBackup();
    ASSERT_FALSE(backup.empty());
    ASSERT_TRUE(std::filesystem::exists(backup));
    auto old = Database::open(backup, Database::Mode::ReadOnly);
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(*old->queryInt("PRAGMA user_version"), 1);
    EXPECT_EQ(*old->queryInt("SELECT count(*) FROM examples"), 3);

    // A second open does not migrate (nor back up) again.
    project->reset();
    auto again = Project::open(path);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE((*again)->migrationBackup().empty());
}

TEST(Store, MigratesVersion4EndpointsAndCellsWithTheirRows)
{
    // A version-4 file as the Prompt lab left it: an endpoint in `models`, an A/B cell in `generations`
    // with a score pointing at it by `generation_id`.
    tstest::TempDir dir;
    const auto path = dir / "v4.tunesmith";
    {
        auto raw = Database::open(path, Database::Mode::ReadWriteCreate);
        ASSERT_TRUE(raw.ok()) << raw.error().message;
        ASSERT_TRUE(raw->exec("PRAGMA foreign_keys = ON").ok());
        ASSERT_TRUE(migrate(*raw, 0, 4).ok());
        ASSERT_TRUE(raw->exec(R"sql(
INSERT INTO models (name, kind, location, model_id, price_in_per_mtok, price_out_per_mtok, config)
    VALUES ('gpt', 'openai', 'https://api.example.test/v1', 'gpt-x', 0.15, 0.6,
            '{"kind":"openai-compatible","base_url":"https://api.example.test/v1","model":"gpt-x"}');
INSERT INTO examples (id, messages, created_at, updated_at) VALUES (7, '[]', 1, 1);
INSERT INTO runs (id, kind, created_at) VALUES (3, 'ab_test', 1);
INSERT INTO generations (id, run_id, variant, example_id, repeat, request, output, created_at)
    VALUES (11, 3, 'A v1', 7, 0, '[]', '{"ok":true}', 5);
INSERT INTO scores (generation_id, scorer, value, rationale, passed) VALUES (11, 'JSON parses', 1, '', 1);
)sql")
                        .ok());
        EXPECT_EQ(*raw->queryInt("PRAGMA user_version"), 4);
    }

    auto project = Project::open(path);
    ASSERT_TRUE(project.ok()) << project.error().message;
    Database& db = (*project)->writer();
    EXPECT_EQ(*db.queryInt("PRAGMA user_version"), kSchemaVersion);
    EXPECT_EQ(*db.queryInt("SELECT count(*) FROM sqlite_master WHERE name IN ('models', 'generations')"), 0);

    auto endpoint = EndpointRepository(db).get("gpt");
    ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
    ASSERT_TRUE(endpoint->has_value());
    EXPECT_EQ((*endpoint)->provider.model, "gpt-x");

    auto cells = CellRepository(db).cells(3);
    ASSERT_TRUE(cells.ok()) << cells.error().message;
    ASSERT_EQ(cells->size(), 1u);
    EXPECT_EQ((*cells)[0].id, 11);
    EXPECT_EQ((*cells)[0].output, "{\"ok\":true}");
    ASSERT_EQ((*cells)[0].scores.size(), 1u);
    EXPECT_EQ((*cells)[0].scores[0].scorer, "JSON parses");
    EXPECT_EQ((*cells)[0].scores[0].passed, std::optional<bool>(true));

    // The foreign keys follow the renames: deleting the run removes its cells and their scores.
    ASSERT_TRUE(db.exec("DELETE FROM runs WHERE id = 3").ok());
    EXPECT_EQ(*db.queryInt("SELECT count(*) FROM scores"), 0);
    EXPECT_EQ(*db.queryInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);

    // The backup is the untouched version-4 file.
    auto old = Database::open((*project)->migrationBackup(), Database::Mode::ReadOnly);
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(*old->queryInt("PRAGMA user_version"), 4);
    EXPECT_EQ(*old->queryInt("SELECT count(*) FROM generations"), 1);
}

TEST(Store, RefusesNewerSchemaAndLeavesFileAlone)
{
    tstest::TempDir dir;
    const auto path = dir / "future.tunesmith";
    {
        auto project = createProject(path);
        ASSERT_TRUE(project);
        ASSERT_TRUE(project->writer().exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 5)).ok());
    }
    auto project = Project::open(path);
    ASSERT_FALSE(project.ok());
    EXPECT_NE(project.error().message.find("newer Tunesmith"), std::string::npos) << project.error().message;
    auto raw = Database::open(path, Database::Mode::ReadOnly);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(*raw->queryInt("PRAGMA user_version"), kSchemaVersion + 5);
}

TEST(Store, RefusesFilesThatAreNotProjects)
{
    tstest::TempDir dir;
    const auto garbage = dir / "garbage.tunesmith";
    std::ofstream(garbage, std::ios::binary) << std::string(4096, '\x5a');
    auto opened = Project::open(garbage);
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.error().message.find("garbage.tunesmith"), std::string::npos) << opened.error().message;

    const auto other = dir / "other.sqlite";
    {
        auto db = Database::open(other, Database::Mode::ReadWriteCreate);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(db->exec("CREATE TABLE t(x)").ok());
    }
    auto notOurs = Project::open(other);
    ASSERT_FALSE(notOurs.ok());
    EXPECT_NE(notOurs.error().message.find("no Tunesmith schema"), std::string::npos) << notOurs.error().message;

    auto missing = Project::open(dir / "missing.tunesmith");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
}

TEST(Store, DetectsCorruptedPages)
{
    tstest::TempDir dir;
    const auto path = dir / "corrupt.tunesmith";
    {
        auto project = createProject(path);
        ASSERT_TRUE(project);
        ExampleRepository repo(project->writer());
        ASSERT_TRUE(project->writer().exec("BEGIN").ok());
        for (int i = 0; i < 2000; ++i) {
            Example ex = makeExample("input number " + std::to_string(i) + std::string(200, 'x'), "output");
            ASSERT_TRUE(repo.insert(ex).ok());
        }
        ASSERT_TRUE(project->writer().exec("COMMIT").ok());
        ASSERT_TRUE(project->writer().exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    }
    // Overwrite a page in the middle of the table's b-tree with noise.
    const auto size = std::filesystem::file_size(path);
    ASSERT_GT(size, 64 * 4096u);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
        std::string noise(4096, '\0');
        for (size_t i = 0; i < noise.size(); ++i)
            noise[i] = static_cast<char>((i * 131 + 7) & 0xff);
        f.write(noise.data(), static_cast<std::streamsize>(noise.size()));
    }
    auto opened = Project::open(path);
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.error().message.find("corrupt.tunesmith"), std::string::npos) << opened.error().message;
}

TEST(Store, SurvivesProcessKilledMidTransaction)
{
    tstest::TempDir dir;
    const auto path = dir / "killed.tunesmith";
    createProject(path).reset();

    int pipeFd[2];
    ASSERT_EQ(pipe(pipeFd), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Child: batches of 100 rows, one transaction each; report each committed batch.
        close(pipeFd[0]);
        auto project = Project::open(path);
        if (!project.ok())
            _exit(3);
        ExampleRepository repo((*project)->writer());
        for (int batch = 0;; ++batch) {
            if (!(*project)->writer().exec("BEGIN IMMEDIATE").ok())
                _exit(4);
            for (int i = 0; i < 100; ++i) {
                Example ex = makeExample("batch " + std::to_string(batch) + " row " + std::to_string(i), "out");
                if (!repo.insert(ex).ok())
                    _exit(5);
            }
            if (!(*project)->writer().exec("COMMIT").ok())
                _exit(6);
            const int committed = batch + 1;
            if (write(pipeFd[1], &committed, sizeof committed) != sizeof committed)
                _exit(7);
        }
    }
    close(pipeFd[1]);
    int committed = 0;
    while (committed < 20) {
        int value = 0;
        ASSERT_EQ(read(pipeFd[0], &value, sizeof value), static_cast<ssize_t>(sizeof value));
        committed = value;
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    // Drain batches committed between our last read and the kill.
    int value = 0;
    while (read(pipeFd[0], &value, sizeof value) == static_cast<ssize_t>(sizeof value))
        committed = value;
    close(pipeFd[0]);

    auto project = Project::open(path);
    ASSERT_TRUE(project.ok()) << project.error().message;
    auto integrity = (*project)->writer().prepare("PRAGMA integrity_check");
    ASSERT_TRUE(integrity.ok());
    ASSERT_TRUE(*integrity->step());
    EXPECT_EQ(integrity->columnText(0), "ok");
    const int64_t rows = *(*project)->writer().queryInt("SELECT count(*) FROM examples");
    EXPECT_GE(rows, committed * 100); // every reported commit is there
    EXPECT_EQ(rows % 100, 0); // and no half transaction
}

TEST(Store, SaveAsMakesAnOpenableCopyAndRefusesOverwrite)
{
    tstest::TempDir dir;
    const auto path = dir / "orig.tunesmith";
    auto project = createProject(path);
    ASSERT_TRUE(project);
    ExampleRepository repo(project->writer());
    for (int i = 0; i < 10; ++i) {
        Example ex = makeExample("in " + std::to_string(i), "out " + std::to_string(i));
        ASSERT_TRUE(repo.insert(ex).ok());
    }
    ASSERT_TRUE(project->setMeta("task", "claims").ok());
    const auto copy = dir / "copy.tunesmith";
    ASSERT_TRUE(project->saveAs(copy).ok());
    EXPECT_FALSE(project->saveAs(copy).ok()); // refuses to overwrite
    EXPECT_FALSE(project->saveAs(path).ok()); // or to copy onto itself

    auto reopened = Project::open(copy);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(*ExampleRepository((*reopened)->writer()).count(), 10);
    EXPECT_EQ(*(*reopened)->meta("task"), "claims");
    // The two files are independent.
    Example extra = makeExample("only in copy", "x");
    ASSERT_TRUE(ExampleRepository((*reopened)->writer()).insert(extra).ok());
    EXPECT_EQ(*repo.count(), 10);
}

TEST(Store, OpenRunsTheQuickCheckAndTheFullCheckNamesADamagedIndex)
{
    tstest::TempDir dir;
    const auto path = dir / "bad-index.tunesmith";
    {
        auto project = createProject(path);
        ASSERT_TRUE(project);
        ExampleRepository repo(project->writer());
        for (int i = 0; i < 50; ++i) {
            Example ex = makeExample("in " + std::to_string(i), "out", i % 2 ? Split::Eval : Split::Train);
            ASSERT_TRUE(repo.insert(ex).ok());
        }
        // Damage that only the full check sees: the index examples_split was built over `split`; declare it
        // over `source` instead, so its entries no longer match the rows (the b-trees stay well formed).
        Database& db = project->writer();
        ASSERT_TRUE(db.exec("PRAGMA writable_schema = ON").ok());
        ASSERT_TRUE(db.exec("UPDATE sqlite_schema SET sql = 'CREATE INDEX examples_split ON examples(source)' "
                            "WHERE name = 'examples_split'")
                        .ok());
        ASSERT_TRUE(db.exec("PRAGMA writable_schema = OFF").ok());
    }
    std::vector<std::string> messages;
    CallbackProgress progress([&](const Progress& p) { messages.push_back(p.message); });
    auto opened = Project::open(path, CancelToken(), progress);
    ASSERT_TRUE(opened.ok()) << opened.error().message; // the quick check does not compare indexes
    EXPECT_NE(std::find(messages.begin(), messages.end(), "Checking bad-index.tunesmith"), messages.end());

    NullProgress none;
    auto report = Project::checkIntegrity(path, CancelToken(), none);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(report->ok());
    EXPECT_NE(report->summary().find(path.string()), std::string::npos) << report->summary();
    EXPECT_NE(report->summary().find("examples_split"), std::string::npos) << report->summary();

    // A sound file passes the full check; a cancelled check is a cancellation, not a verdict.
    const auto soundPath = dir / "sound.tunesmith";
    auto sound = createProject(soundPath);
    ASSERT_TRUE(sound);
    auto passed = Project::checkIntegrity(soundPath, CancelToken(), none);
    ASSERT_TRUE(passed.ok());
    EXPECT_TRUE(passed->ok()) << passed->summary();
    CancelToken cancel;
    cancel.requestStop();
    auto cancelled = Project::checkIntegrity(path, cancel, none);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().kind, ErrorKind::Cancelled);
}

TEST(Store, SaveAsReportsProgressAndACancelledCopyLeavesNoFile)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "big.tunesmith");
    ASSERT_TRUE(project);
    ExampleRepository repo(project->writer());
    ASSERT_TRUE(project->writer().exec("BEGIN").ok());
    for (int i = 0; i < 4000; ++i) {
        Example ex = makeExample("input " + std::to_string(i) + std::string(1000, 'x'), "output");
        ASSERT_TRUE(repo.insert(ex).ok());
    }
    ASSERT_TRUE(project->writer().exec("COMMIT").ok());

    // Cancel from the first progress report, i.e. once the copy has begun.
    const auto cancelledTarget = dir / "cancelled.tunesmith";
    CancelToken cancel;
    CallbackProgress stopper([&](const Progress&) { cancel.requestStop(); });
    Status stopped = project->saveAs(cancelledTarget, cancel, stopper);
    EXPECT_TRUE(isCancelled(stopped)) << (stopped ? "copy finished" : stopped.error().message);
    EXPECT_FALSE(std::filesystem::exists(cancelledTarget));
    EXPECT_FALSE(std::filesystem::exists(cancelledTarget.string() + "-journal"));

    // A finished copy ends with done == total, and the writer was free while it ran: the copy took no lock.
    const auto copy = dir / "copy.tunesmith";
    Progress last;
    CallbackProgress watch([&](const Progress& p) { last = p; });
    auto lock = project->writeLock();
    ASSERT_TRUE(project->saveAs(copy, CancelToken(), watch).ok());
    EXPECT_GT(last.total, 4000 * 1000);
    EXPECT_EQ(last.done, last.total);
    auto reopened = Project::open(copy);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(*ExampleRepository((*reopened)->writer()).count(), 4000);
}

namespace {

void writeBytes(const std::filesystem::path& file, const std::string& bytes)
{
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

Run addTrainRun(RunRepository& runs, const std::string& name)
{
    Run run;
    run.kind = "train";
    run.name = name;
    EXPECT_TRUE(runs.create(run));
    return run;
}

std::string readBytes(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST(Store, SaveAsCopiesTheAssetFolderAndPointsTheCopysArtifactsAtIt)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "orig.tunesmith");
    ASSERT_TRUE(project);
    RunRepository runs(project->writer());
    const ts::Run run = addTrainRun(runs, "first");
    // A checkpoint (several files, one of 3 MB so the copy takes several chunks) and an adapter, as a run writes them.
    const std::string runDir = "orig.assets/runs/" + std::to_string(run.id);
    const std::string big(3 * 1024 * 1024 + 17, 'w');
    writeBytes(dir / runDir / "checkpoint-4" / "trainer_state.json", R"({"step":4})");
    writeBytes(dir / runDir / "checkpoint-4" / "optimizer.safetensors", big);
    writeBytes(dir / runDir / "adapter" / "adapter_config.json", "{}");
    for (const auto& [kind, name] : {std::pair {"checkpoint", "checkpoint-4"}, std::pair {"adapter", "adapter"}}) {
        Artifact a;
        a.runId = run.id;
        a.kind = kind;
        a.path = runDir + "/" + name;
        ASSERT_TRUE(runs.addArtifact(a));
    }

    // A local endpoint serving the run's adapter, by absolute path, and one serving an adapter elsewhere.
    const std::string adapterPath = std::filesystem::absolute(dir / runDir / "adapter").string();
    {
        auto add = project->writer().prepare(
            "INSERT INTO endpoints (name, kind, location, config) VALUES (?1, 'local', 'model', ?2)");
        ASSERT_TRUE(add);
        add->bind(1, std::string("tuned")).bind(2, nlohmann::json {{"adapter", adapterPath}}.dump());
        ASSERT_TRUE(add->run().ok());
        auto other = project->writer().prepare(
            "INSERT INTO endpoints (name, kind, location, config) VALUES (?1, 'local', 'model', ?2)");
        ASSERT_TRUE(other);
        other->bind(1, std::string("elsewhere")).bind(2, R"({"adapter": "/opt/adapters/x"})");
        ASSERT_TRUE(other->run().ok());
    }

    const auto copy = dir / "copy.tunesmith";
    std::vector<Progress> reports;
    CallbackProgress watch([&](const Progress& p) { reports.push_back(p); });
    ASSERT_TRUE(project->saveAs(copy, CancelToken(), watch).ok());
    const auto copiedRun = dir / "copy.assets" / "runs" / std::to_string(run.id);
    EXPECT_EQ(readBytes(copiedRun / "checkpoint-4" / "optimizer.safetensors"), big);
    EXPECT_EQ(readBytes(copiedRun / "checkpoint-4" / "trainer_state.json"), R"({"step":4})");
    EXPECT_TRUE(std::filesystem::exists(copiedRun / "adapter" / "adapter_config.json"));
    EXPECT_EQ(readBytes(dir / runDir / "checkpoint-4" / "optimizer.safetensors"), big); // the original stays
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.back().done, reports.back().total);
    EXPECT_GE(reports.back().total, int64_t(big.size()));
    EXPECT_NE(reports.back().message.find("file 3 of 3"), std::string::npos) << reports.back().message;

    auto reopened = Project::open(copy);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    auto artifacts = RunRepository((*reopened)->writer()).artifacts(run.id);
    ASSERT_TRUE(artifacts);
    ASSERT_EQ(artifacts->size(), 2u);
    for (const Artifact& a : *artifacts) {
        EXPECT_EQ(a.path.rfind("copy.assets/runs/", 0), 0u) << a.path;
        EXPECT_TRUE(std::filesystem::exists(dir / a.path)) << a.path;
    }
    auto originals = runs.artifacts(run.id);
    EXPECT_EQ(originals->front().path.rfind("orig.assets/", 0), 0u); // the original's rows are its own
    // The copy's endpoint serves the copy's adapter; one outside the asset folder is left as it was.
    auto adapterOf = [](Database& db, const std::string& name) {
        auto stmt = db.prepare("SELECT json_extract(config, '$.adapter') FROM endpoints WHERE name = ?1");
        std::string value;
        if (!stmt)
            return value;
        stmt->bind(1, name);
        if (auto row = stmt->step(); row && *row)
            value = stmt->columnText(0);
        return value;
    };
    EXPECT_EQ(adapterOf((*reopened)->writer(), "tuned"),
              std::filesystem::absolute(dir / "copy.assets" / "runs" / std::to_string(run.id) / "adapter").string());
    EXPECT_EQ(adapterOf((*reopened)->writer(), "elsewhere"), "/opt/adapters/x");
    EXPECT_EQ(adapterOf(project->writer(), "tuned"), adapterPath);

    // A folder in the way of the copy's assets refuses the copy before anything is written.
    std::filesystem::create_directories(dir / "blocked.assets");
    Status blocked = project->saveAs(dir / "blocked.tunesmith");
    ASSERT_FALSE(blocked.ok());
    EXPECT_NE(blocked.error().message.find("blocked.assets"), std::string::npos) << blocked.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir / "blocked.tunesmith"));

    // Cancelled while the asset files are copied: neither the file nor the folder is left.
    CancelToken cancel;
    CallbackProgress stopper([&](const Progress& p) {
        if (p.message.find("run files") != std::string::npos)
            cancel.requestStop();
    });
    const auto cancelled = dir / "cancelled.tunesmith";
    Status stopped = project->saveAs(cancelled, cancel, stopper);
    EXPECT_TRUE(isCancelled(stopped)) << (stopped ? "copy finished" : stopped.error().message);
    EXPECT_FALSE(std::filesystem::exists(cancelled));
    EXPECT_FALSE(std::filesystem::exists(dir / "cancelled.assets"));
    EXPECT_FALSE(std::filesystem::exists(cancelled.string() + "-wal"));
}

TEST(Store, AResumedRunKeepsItsStartTime)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "runs.tunesmith");
    ASSERT_TRUE(project);
    RunRepository runs(project->writer());
    const ts::Run run = addTrainRun(runs, "resumed");
    ASSERT_TRUE(runs.setStatus(run.id, RunStatus::Running));
    ASSERT_TRUE(runs.setStatus(run.id, RunStatus::Cancelled));
    // Make the first start unmistakably older than any second one.
    ASSERT_TRUE(project->writer().exec("UPDATE runs SET started_at = 1000 WHERE id = " + std::to_string(run.id)).ok());
    ASSERT_TRUE(runs.setStatus(run.id, RunStatus::Running));
    auto got = runs.get(run.id);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->startedAt, int64_t(1000));
    EXPECT_FALSE((*got)->finishedAt.has_value());
}

TEST(Store, CancelledMigrationLeavesTheOldFileAndNoBackup)
{
    tstest::TempDir dir;
    const auto path = dir / "old.tunesmith";
    std::filesystem::copy_file(std::filesystem::path(TUNESMITH_FIXTURE_DIR) / "project-v1.tunesmith", path);
    for (const std::string stopAt : {"Backing up", "Upgrading"}) {
        CancelToken cancel;
        CallbackProgress stopper([&](const Progress& p) {
            if (p.message.rfind(stopAt, 0) == 0)
                cancel.requestStop();
        });
        auto opened = Project::open(path, cancel, stopper);
        ASSERT_FALSE(opened.ok()) << stopAt;
        EXPECT_EQ(opened.error().kind, ErrorKind::Cancelled) << opened.error().message;
        for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
            EXPECT_EQ(entry.path().filename().string().find("backup"), std::string::npos) << entry.path();
        auto old = Database::open(path, Database::Mode::ReadOnly);
        ASSERT_TRUE(old.ok());
        EXPECT_EQ(*old->queryInt("PRAGMA user_version"), 1);
    }
}

TEST(Repository, UpdateRemoveAndReinsertWithSameId)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "r.tunesmith");
    ASSERT_TRUE(project);
    ExampleRepository repo(project->writer());
    Example ex = makeExample("a", "b");
    ASSERT_TRUE(repo.insert(ex).ok());
    ex.setOutput("c");
    ex.tags = {"t"};
    ASSERT_TRUE(repo.update(ex).ok());
    auto got = repo.get(ex.id);
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->output(), "c");
    EXPECT_EQ((*got)->tags, std::vector<std::string> {"t"});

    ASSERT_TRUE(repo.remove(ex.id).ok());
    EXPECT_FALSE(repo.get(ex.id)->has_value());
    EXPECT_FALSE(repo.update(ex).ok()); // gone: a clear error, not a silent no-op
    const int64_t id = ex.id;
    ASSERT_TRUE(repo.insert(ex).ok()); // undo of a delete restores the same id
    EXPECT_EQ(ex.id, id);
    EXPECT_TRUE(repo.get(id)->has_value());
}

TEST(Repository, QueryFiltersAndSorts)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "q.tunesmith");
    ASSERT_TRUE(project);
    ExampleRepository repo(project->writer());
    Example a = makeExample("Hail damage to roof", "{}", Split::Train, {"property", "hard"});
    Example b = makeExample("Windshield crack 100%", "{}", Split::Eval, {"auto"});
    Example c = makeExample("Another hail claim", "{\"x\":1}", Split::Test, {"property"});
    for (Example* ex : {&a, &b, &c})
        ASSERT_TRUE(repo.insert(*ex).ok());

    auto ids = [&](ExampleQuery q) { return *repo.queryIds(q); };
    EXPECT_EQ(ids({}), (std::vector<int64_t> {a.id, b.id, c.id}));
    EXPECT_EQ(ids({.text = "HAIL"}), (std::vector<int64_t> {a.id, c.id})); // case-insensitive
    EXPECT_EQ(ids({.text = "100%"}), (std::vector<int64_t> {b.id})); // % is literal
    EXPECT_EQ(ids({.text = "\"x\""}), (std::vector<int64_t> {c.id})); // searches outputs too
    EXPECT_EQ(ids({.split = Split::Eval}), (std::vector<int64_t> {b.id}));
    EXPECT_EQ(ids({.tag = "property"}), (std::vector<int64_t> {a.id, c.id}));
    EXPECT_EQ(ids({.text = "hail", .split = Split::Test, .tag = "property"}), (std::vector<int64_t> {c.id}));
    EXPECT_EQ(ids({.sortBy = ExampleColumn::Input}), (std::vector<int64_t> {c.id, a.id, b.id}));
    EXPECT_EQ(ids({.sortBy = ExampleColumn::Input, .descending = true}), (std::vector<int64_t> {b.id, a.id, c.id}));
    EXPECT_EQ(*repo.allTags(), (std::vector<std::string> {"auto", "hard", "property"}));

    auto many = repo.getMany({c.id, a.id, 9999});
    ASSERT_TRUE(many.ok());
    ASSERT_EQ(many->size(), 2u);
    EXPECT_EQ((*many)[0].id, c.id);
    EXPECT_EQ((*many)[1].id, a.id);
}

TEST(Repository, ReaderSeesOnlyCommittedRows)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "w.tunesmith");
    ASSERT_TRUE(project);
    auto reader = project->openReader();
    ASSERT_TRUE(reader.ok());
    ExampleRepository writerRepo(project->writer());
    ExampleRepository readerRepo(*reader);
    auto tx = Transaction::begin(project->writer());
    ASSERT_TRUE(tx.ok());
    Example ex = makeExample("pending", "row");
    ASSERT_TRUE(writerRepo.insert(ex).ok());
    EXPECT_EQ(*readerRepo.count(), 0);
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_EQ(*readerRepo.count(), 1);
    EXPECT_FALSE(ExampleRepository(*reader).insert(ex).ok()); // read-only connection
}

TEST(BusyRetry, RetriesOnlyBusyErrorsAndStopsWhenCancelled)
{
    // A real failure is returned at once.
    int calls = 0;
    auto failed = retryWhileBusy(
        [&]() -> Status {
            ++calls;
            return makeError("disk full");
        },
        CancelToken {});
    EXPECT_FALSE(failed);
    EXPECT_EQ(calls, 1);

    // A busy file is tried again until the write goes through; each wait is announced.
    calls = 0;
    std::vector<int> announced;
    auto done = retryWhileBusy(
        [&]() -> Status {
            if (++calls < 3)
                return Error {"database is locked", ErrorKind::Busy};
            return {};
        },
        CancelToken {},
        [&](int attempt, const std::string& message) {
            announced.push_back(attempt);
            EXPECT_EQ(message, "database is locked");
        });
    EXPECT_TRUE(done);
    EXPECT_EQ(calls, 3);
    EXPECT_EQ(announced, (std::vector<int> {1, 2}));

    // A cancel while waiting ends the wait with the busy error.
    CancelToken cancel;
    calls = 0;
    auto cancelled = retryWhileBusy(
        [&]() -> Status {
            ++calls;
            return Error {"database is locked", ErrorKind::Busy};
        },
        cancel, [&](int, const std::string&) { cancel.requestStop(); });
    ASSERT_FALSE(cancelled);
    EXPECT_EQ(cancelled.error().kind, ErrorKind::Busy);
    EXPECT_EQ(calls, 1);
}

TEST(BusyRetry, ALockHeldByAnotherConnectionIsReportedAsBusy)
{
    tstest::TempDir dir;
    auto project = createProject(dir / "locked.tunesmith");
    ASSERT_TRUE(project);
    auto other = Database::open(dir / "locked.tunesmith", Database::Mode::ReadWrite);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other->exec("PRAGMA busy_timeout = 0").ok());
    ASSERT_TRUE(project->writer().exec("BEGIN IMMEDIATE").ok());
    auto blocked = other->exec("BEGIN IMMEDIATE");
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().kind, ErrorKind::Busy) << blocked.error().message;
    ASSERT_TRUE(project->writer().exec("ROLLBACK").ok());
    auto bad = other->exec("SELECT * FROM no_such_table");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, ErrorKind::Failed);
}

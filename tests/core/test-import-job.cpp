// ImportJob / ExportJob against a real project file: all-or-nothing, skip-invalid,
// cancel leaves the project unchanged, export -> import round trip, 100,000 rows.
#include <atomic>
#include <csignal>
#include <fstream>
#include <future>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "data/import_job.h"
#include "jobs/job_runner.h"
#include "store/pending_import.h"
#include "store/project.h"
#include "test_support.h"

using namespace ts;

namespace {

std::unique_ptr<Project> newProject(const tstest::TempDir& dir, const std::string& name = "p.tunesmith")
{
    auto project = Project::create(dir / name);
    EXPECT_TRUE(project.ok());
    return std::move(*project);
}

std::string chatLine(const std::string& user, const std::string& assistant, const std::string& split = "train")
{
    nlohmann::json row
        = {{"messages", {{{"role", "user"}, {"content", user}}, {{"role", "assistant"}, {"content", assistant}}}},
           {"split", split}};
    return row.dump() + "\n";
}

Status runJob(Job& job, const CancelToken& cancel = CancelToken())
{
    NullProgress progress;
    return JobRunner::runHere(job, cancel, progress);
}

int64_t exampleCount(Project& project)
{
    return *ExampleRepository(project.writer()).count();
}

// Rows in the table, pending ones included (what ExampleRepository hides).
int64_t rawRows(const std::filesystem::path& file)
{
    auto db = Database::open(file, Database::Mode::ReadOnly);
    EXPECT_TRUE(db.ok());
    return db.ok() ? *db->queryInt("SELECT count(*) FROM examples") : -1;
}

std::filesystem::path writeClaims(const tstest::TempDir& dir, int rows, const std::string& poisonAt = {})
{
    const auto file = dir / "claims.jsonl";
    std::ofstream out(file);
    for (int i = 0; i < rows; ++i)
        out << chatLine(std::to_string(i) == poisonAt ? "poison" : "Claim text number " + std::to_string(i),
                        "{\"id\":" + std::to_string(i) + "}");
    return file;
}

} // namespace

TEST(ImportJob, RefusesFileWithBadRowsAndImportsNothing)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    const auto file = dir / "mixed.jsonl";
    {
        std::ofstream out(file);
        out << chatLine("good 1", "ok") << "{not json\n"
            << chatLine("good 2", "ok") << R"({"messages":[{"role":"user","content":"no answer"}]})"
            << "\n";
    }
    ImportJob job(*project, {.file = file, .format = DataFormat::OpenAiJsonl});
    Status status = runJob(job);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("mixed.jsonl"), std::string::npos);
    EXPECT_NE(status.error().message.find("nothing was imported"), std::string::npos);
    EXPECT_NE(status.error().message.find("line 2"), std::string::npos) << status.error().message;
    EXPECT_NE(status.error().message.find("line 4"), std::string::npos) << status.error().message;
    ASSERT_EQ(job.result().problems.size(), 2u);
    EXPECT_EQ(job.result().problems[0].line, 2u);
    EXPECT_EQ(job.result().problems[1].line, 4u);
    EXPECT_EQ(exampleCount(*project), 0);

    ImportJob lenient(*project, {.file = file, .format = DataFormat::OpenAiJsonl, .skipInvalid = true});
    ASSERT_TRUE(runJob(lenient).ok());
    EXPECT_EQ(lenient.result().imported, 2u);
    EXPECT_EQ(lenient.result().invalidRows, 2u);
    EXPECT_EQ(exampleCount(*project), 2);
}

TEST(ImportJob, AppliesSplitAndTagOptions)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    const auto file = dir / "rows.jsonl";
    std::ofstream(file) << chatLine("a", "b", "eval") << chatLine("c", "d", "test");
    ImportJob job(
        *project,
        {.file = file, .format = DataFormat::OpenAiJsonl, .forceSplit = Split::Train, .addTags = {"batch-1"}});
    ASSERT_TRUE(runJob(job).ok());
    auto rows = *ExampleRepository(project->writer()).all();
    ASSERT_EQ(rows.size(), 2u);
    for (const Example& ex : rows) {
        EXPECT_EQ(ex.split, Split::Train);
        EXPECT_EQ(ex.tags, std::vector<std::string> {"batch-1"});
        EXPECT_EQ(ex.source, Source::Imported);
    }
    EXPECT_EQ(job.result().ids.size(), 2u);

    ImportJob golden(*project, {.file = file, .format = DataFormat::OpenAiJsonl, .source = Source::Golden});
    ASSERT_TRUE(runJob(golden).ok());
    for (int64_t id : golden.result().ids)
        EXPECT_EQ((*ExampleRepository(project->writer()).get(id))->source, Source::Golden);
}

TEST(ImportJob, ExportThenImportGivesIdenticalExamplesInEveryFormat)
{
    tstest::TempDir dir;
    auto source = newProject(dir, "source.tunesmith");
    ExampleRepository repo(source->writer());
    std::vector<Example> originals;
    for (int i = 0; i < 30; ++i) {
        Example ex;
        if (i % 3 == 0)
            ex.setSystem("Extract fields; answer in JSON.");
        ex.setInput("Claim " + std::to_string(i) + ": \"quoted\", comma, naïve café,\nsecond line 🚗");
        ex.setOutput("{\"n\": " + std::to_string(i) + "}");
        ex.split = static_cast<Split>(i % 3);
        ex.tags = i % 2 ? std::vector<std::string> {"auto", "hard"} : std::vector<std::string> {};
        ASSERT_TRUE(repo.insert(ex).ok());
        originals.push_back(ex);
    }
    for (DataFormat format : {DataFormat::OpenAiJsonl, DataFormat::AlpacaJson, DataFormat::AlpacaJsonl,
                              DataFormat::ShareGptJson, DataFormat::ShareGptJsonl, DataFormat::Csv}) {
        SCOPED_TRACE(std::string(formatName(format)));
        const auto file = dir / ("out-" + std::string(formatName(format)));
        ExportJob exportJob(*source, {.file = file, .format = format});
        ASSERT_TRUE(runJob(exportJob).ok());
        EXPECT_EQ(exportJob.exported(), originals.size());

        auto target = newProject(dir, "target-" + std::string(formatName(format)) + ".tunesmith");
        ImportOptions options {.file = file, .format = format};
        if (format == DataFormat::Csv) {
            auto preview = previewCsv(file);
            ASSERT_TRUE(preview.ok());
            options.csv = preview->suggested;
        }
        ImportJob importJob(*target, options);
        Status imported = runJob(importJob);
        ASSERT_TRUE(imported.ok()) << imported.error().message;
        auto rows = *ExampleRepository(target->writer()).all();
        ASSERT_EQ(rows.size(), originals.size());
        for (size_t i = 0; i < rows.size(); ++i)
            EXPECT_TRUE(rows[i].sameContent(originals[i])) << "row " << i;
    }
}

TEST(ImportJob, HundredThousandRowsImportAndCancelLeavesProjectUnchanged)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    const auto file = dir / "big.jsonl";
    {
        std::ofstream out(file);
        for (int i = 0; i < 100000; ++i)
            out << chatLine("Claim text number " + std::to_string(i) + " with some words",
                            "{\"id\":" + std::to_string(i) + "}", i % 5 == 0 ? "eval" : "train");
    }
    // Cancel while saving: the transaction rolls back.
    CancelToken cancel;
    ImportJob cancelled(*project, {.file = file, .format = DataFormat::OpenAiJsonl});
    CallbackProgress stopper([&](const Progress& p) {
        if (p.message == "Saving examples" && p.done >= 50000)
            cancel.requestStop();
    });
    Status status = JobRunner::runHere(cancelled, cancel, stopper);
    EXPECT_TRUE(isCancelled(status));
    EXPECT_EQ(exampleCount(*project), 0);

    ImportJob job(*project, {.file = file, .format = DataFormat::OpenAiJsonl});
    ASSERT_TRUE(runJob(job).ok());
    EXPECT_EQ(exampleCount(*project), 100000);
    ExampleQuery evalOnly;
    evalOnly.split = Split::Eval;
    EXPECT_EQ(ExampleRepository(project->writer()).queryIds(evalOnly)->size(), 20000u);
}

TEST(ImportJob, UnreadableFileIsAClearError)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    ImportJob job(*project, {.file = dir / "nope.jsonl", .format = DataFormat::OpenAiJsonl});
    Status status = runJob(job);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("nope.jsonl"), std::string::npos) << status.error().message;
    EXPECT_EQ(exampleCount(*project), 0);
}

TEST(ImportJob, AFailedChunkedImportLeavesNoRows)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    // The 20,000th row fails to insert, many chunks after the first ones were committed.
    ASSERT_TRUE(project->writer()
                    .exec("CREATE TRIGGER poison AFTER INSERT ON examples WHEN NEW.input_text = 'poison' "
                          "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END")
                    .ok());
    ImportJob job(*project, {.file = writeClaims(dir, 30000, "20000"), .format = DataFormat::OpenAiJsonl});
    Status status = runJob(job);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("poisoned row"), std::string::npos) << status.error().message;
    EXPECT_EQ(rawRows(project->path()), 0);
    EXPECT_EQ(*project->writer().queryInt("SELECT count(*) FROM import_pending"), 0);
    EXPECT_EQ(*project->writer().queryInt("SELECT count(*) FROM imports"), 0);
}

TEST(ImportJob, RowsOfAProcessKilledMidImportAreRemovedOnTheNextOpen)
{
    tstest::TempDir dir;
    const auto path = dir / "p.tunesmith";
    newProject(dir).reset();
    const auto file = writeClaims(dir, 50000);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto project = Project::open(path);
        if (!project.ok())
            _exit(3);
        ImportJob job(**project, {.file = file, .format = DataFormat::OpenAiJsonl});
        CallbackProgress killer([](const Progress& p) {
            if (p.message == "Saving examples" && p.done >= 20000)
                raise(SIGKILL); // mid-import, with chunks committed
        });
        (void)JobRunner::runHere(job, CancelToken(), killer);
        _exit(4); // the import must not have finished
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exit " << WEXITSTATUS(status);
    ASSERT_GE(rawRows(path), 20000); // committed chunks are in the file...
    {
        auto reader = Database::open(path, Database::Mode::ReadOnly);
        ASSERT_TRUE(reader.ok());
        EXPECT_EQ(*ExampleRepository(*reader).count(), 0); // ...but not in the project
        EXPECT_TRUE(ExampleRepository(*reader).queryIds({})->empty());
    }
    auto reopened = Project::open(path);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(rawRows(path), 0);
    EXPECT_EQ(*(*reopened)->writer().queryInt("SELECT count(*) FROM imports"), 0);
}

TEST(ImportJob, OtherWritersGoOnBetweenChunksAndReadersDoNotSeeTheRowsUntilTheEnd)
{
    tstest::TempDir dir;
    auto project = newProject(dir);
    const auto file = writeClaims(dir, 200000);
    // The import is held between two chunks (in its own progress report, which comes before each chunk's
    // transaction) once several chunks are committed, and let go when the test has looked: no race with its end.
    std::promise<void> between;
    std::promise<void> goOn;
    auto goOnSignal = goOn.get_future().share();
    bool held = false;
    ImportJob job(*project, {.file = file, .format = DataFormat::OpenAiJsonl});
    std::thread importer([&] {
        CallbackProgress watch([&](const Progress& p) {
            if (p.message == "Saving examples" && p.done >= 5000 && !held) {
                held = true;
                between.set_value();
                goOnSignal.wait();
            }
        });
        EXPECT_TRUE(JobRunner::runHere(job, CancelToken(), watch).ok());
    });
    between.get_future().wait();

    // A second connection (as another process would) writes between the chunks.
    auto other = Database::open(project->path(), Database::Mode::ReadWrite);
    ASSERT_TRUE(other.ok());
    for (int write = 0; write < 5; ++write)
        ASSERT_TRUE(
            other->exec("INSERT INTO meta(key, value) VALUES ('between-chunks-" + std::to_string(write) + "', 'x')")
                .ok());
    // A reader sees rows in the table but none of them as examples.
    auto reader = project->openReader();
    ASSERT_TRUE(reader.ok());
    EXPECT_GE(*reader->queryInt("SELECT count(*) FROM examples"), 5000);
    EXPECT_EQ(*ExampleRepository(*reader).count(), 0);
    EXPECT_TRUE(ExampleRepository(*reader).queryIds({})->empty());
    EXPECT_TRUE(ExampleRepository(*reader).all()->empty());

    goOn.set_value();
    importer.join();
    EXPECT_EQ(*reader->queryInt("SELECT count(*) FROM meta WHERE key LIKE 'between-chunks-%'"), 5);
    EXPECT_EQ(*ExampleRepository(*reader).count(), 200000);
    EXPECT_EQ(job.result().ids.size(), 200000u);
    EXPECT_EQ(ExampleRepository(*reader).getMany({job.result().ids.front(), job.result().ids.back()})->size(), 2u);
}

// tunesmith-cli evolve over real HTTP: `tunesmith-cli serve` on a tiny chat model is the teacher (its text is
// random, which is fine for the plumbing), a run of 2 rounds on 8 seeds is interrupted (SIGINT) mid-run and
// resumed, and another is killed (SIGKILL) mid-run and resumed: every planned row exactly once, no committed row
// lost or made again, the project file intact, and the funnel adds up against the rows.
#include <csignal>
#include <map>
#include <set>
#include <sys/wait.h>

#include "cli_test_support.h"
#include "serve_process.h"
#include "store/database.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "synth/synthetic_row_repository.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

namespace {

using namespace ts::synth;

std::vector<SyntheticRow> storedRows(const std::filesystem::path& file, int64_t runId)
{
    auto db = ts::Database::open(file, ts::Database::Mode::ReadOnly);
    if (!db)
        return {};
    auto rows = SyntheticRowRepository(*db).rows(runId);
    return rows ? *rows : std::vector<SyntheticRow> {};
}

void expectEveryRowOnce(const std::vector<SyntheticRow>& rows, size_t planned)
{
    ASSERT_EQ(rows.size(), planned);
    std::set<int64_t> slots;
    for (const auto& r : rows)
        slots.insert(r.slot);
    EXPECT_EQ(slots.size(), planned);
    EXPECT_EQ(*slots.begin(), 0);
    EXPECT_EQ(*slots.rbegin(), static_cast<int64_t>(planned) - 1);
}

struct EvolveCliFixture
{
    tstest::TempDir dir;
    std::filesystem::path file = dir / "synth.tunesmith";
    std::unique_ptr<tstest::ServeProcess> server;

    EvolveCliFixture()
    {
        // A tiny random Llama with the byte tokenizer, with room for the teacher prompts (~600 bytes).
        ts::RandomModelOptions o;
        o.arch = ts::ModelArch::Llama;
        o.hiddenSize = 64;
        o.numLayers = 2;
        o.numHeads = 4;
        o.numKvHeads = 2;
        o.intermediateSize = 128;
        o.maxPositionEmbeddings = 2048;
        tstest::writeChatModel(dir / "model", o);
        server = std::make_unique<tstest::ServeProcess>(std::vector<std::string> {
            "--model", (dir / "model").string(), "--port", "0", "--threads", "1", "--model-name", "tiny"});
        auto project = ts::Project::create(file);
        EXPECT_TRUE(project) << (project ? "" : project.error().message);
        ts::ExampleRepository repo((*project)->writer());
        for (int k = 0; k < 8; ++k) {
            ts::Example e;
            e.messages = {{"user",
                           "Describe claim number " + std::to_string(k * 37 + 11) + " about a "
                               + std::vector<std::string> {"window", "car", "roof", "phone", "bike", "boat", "fence",
                                                           "laptop"}[size_t(k)]
                               + " in two sentences."},
                          {"assistant", "It was reported on a Monday. The adjuster visited the next day."}};
            EXPECT_TRUE(repo.insert(e));
        }
        ts::Example eval;
        eval.messages = {{"user", "Describe a claim about a flooded cellar."}, {"assistant", "Water came in."}};
        eval.split = ts::Split::Eval;
        EXPECT_TRUE(repo.insert(eval));
    }

    bool addTeacher()
    {
        const std::string url = "http://127.0.0.1:" + std::to_string(server->listening().value("port", 0)) + "/v1";
        auto added = runCli("endpoint " + quoted(file) + " add --name teacher --kind openai-compatible --model tiny "
                            + "--base-url " + url);
        EXPECT_EQ(added.exitCode, 0) << (added.lines.empty() ? std::string("no output") : added.lines.back().dump());
        return added.exitCode == 0;
    }

    std::vector<std::string> evolveArgs() const
    {
        return {"evolve", "--project",     file.string(), "--teacher",          "teacher", "--rounds",
                "2",      "--target",      "12",          "--keep-rate",        "0.75",    "--max-tokens",
                "200",    "--concurrency", "2",           "--no-quality-filter"};
    }
};

} // namespace

TEST(EvolveCli, InterruptedThenResumedOverHttpMakesEveryRowOnceAndTheFunnelAddsUp)
{
    EvolveCliFixture f;
    ASSERT_TRUE(f.server->listening().contains("port")) << "serve did not start";
    ASSERT_TRUE(f.addTeacher());
    const auto out = f.dir / "evolve.out";
    const pid_t pid = tstest::spawnCli(f.evolveArgs(), out);
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(tstest::waitUntil([&] { return storedRows(f.file, 1).size() >= 3; }))
        << "no rows stored by the evolve process";
    kill(pid, SIGINT);
    EXPECT_EQ(tstest::waitExitCode(pid), 130)
        << "cancelled, not finished or crashed: "
        << (tstest::jsonLines(out).empty() ? std::string("no output") : tstest::jsonLines(out).back().dump());
    const auto partial = storedRows(f.file, 1);
    ASSERT_LT(partial.size(), 16u);

    auto resumed = runCli("evolve --project " + quoted(f.file) + " --resume 1");
    ASSERT_EQ(resumed.exitCode, 0) << (resumed.lines.empty() ? std::string("no output") : resumed.lines.back().dump());
    ASSERT_FALSE(resumed.lines.empty());
    const auto& result = resumed.lines.back();
    EXPECT_EQ(result["status"], "succeeded");
    EXPECT_EQ(result["planned"], 16);
    EXPECT_EQ(result["skipped"].get<size_t>() + result["generated"].get<size_t>(), 16u);

    const auto rows = storedRows(f.file, 1);
    expectEveryRowOnce(rows, 16);
    std::map<int64_t, int64_t> idBySlot;
    for (const auto& r : rows)
        idBySlot[r.slot] = r.id;
    for (const auto& before : partial)
        EXPECT_EQ(idBySlot[before.slot], before.id) << "a row stored before the interrupt is kept as it was";

    // The funnel the CLI prints is the rows', counted again here by stage.
    auto funnel = runCli("synthetic " + quoted(f.file) + " funnel --run 1");
    ASSERT_EQ(funnel.exitCode, 0) << (funnel.lines.empty() ? std::string("no output") : funnel.lines.back().dump());
    const auto& fj = funnel.lines.back();
    std::map<SyntheticStage, int64_t> byStage;
    for (const auto& r : rows)
        ++byStage[r.stage];
    EXPECT_EQ(fj["failed"].get<int64_t>(), byStage[SyntheticStage::Failed]);
    EXPECT_EQ(fj["generated"].get<int64_t>() + fj["failed"].get<int64_t>(), 16);
    EXPECT_EQ(fj["passed_elimination"].get<int64_t>(),
              fj["generated"].get<int64_t>() - byStage[SyntheticStage::Eliminated]);
    EXPECT_EQ(fj["unique"].get<int64_t>(), byStage[SyntheticStage::Passed]) << "no judge: unique rows pass";
    EXPECT_EQ(fj["above_threshold"].get<int64_t>(), byStage[SyntheticStage::Passed]);
    EXPECT_EQ(fj["passed_elimination"].get<int64_t>() - fj["unique"].get<int64_t>(),
              byStage[SyntheticStage::Duplicate] + byStage[SyntheticStage::Leak]);
    EXPECT_EQ(fj["waiting"].get<int64_t>(), 0);
    for (const auto& r : rows) {
        EXPECT_EQ(r.teacherEndpoint, "teacher");
        EXPECT_EQ(r.teacherModel, "tiny");
        if (r.stage != SyntheticStage::Failed) {
            EXPECT_GT(r.tokensIn, 0) << "usage comes back over HTTP";
            EXPECT_FALSE(r.evolveReply.empty());
        }
    }
    // Review from scripts: accept a row, promote it, read a round-2 row's lineage.
    const SyntheticRow* second = nullptr;
    for (const auto& r : rows)
        if (r.round == 2 && r.parentRowId)
            second = &r;
    ASSERT_NE(second, nullptr) << "round 2 evolves round 1's rows";
    auto accepted = runCli("synthetic " + quoted(f.file) + " accept --ids " + std::to_string(second->id));
    ASSERT_EQ(accepted.exitCode, 0);
    EXPECT_EQ(accepted.lines.back()["changed"], 1);
    auto promoted = runCli("synthetic " + quoted(f.file) + " promote --run 1");
    ASSERT_EQ(promoted.exitCode, 0);
    EXPECT_EQ(promoted.lines.back()["promoted"], 1);
    auto lineage = runCli("synthetic " + quoted(f.file) + " lineage --row " + std::to_string(second->id));
    ASSERT_EQ(lineage.exitCode, 0);
    const auto& steps = lineage.lines.back()["steps"];
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0]["id"], *second->parentRowId);
    EXPECT_EQ(steps[1]["id"], second->id);
    EXPECT_EQ(lineage.lines.back()["seed_example_id"], *second->seedExampleId);
    EXPECT_EQ(f.server->stop(), 0);
}

TEST(EvolveCli, KilledMidRunLosesNoCommittedRowAndResumes)
{
    EvolveCliFixture f;
    ASSERT_TRUE(f.server->listening().contains("port")) << "serve did not start";
    ASSERT_TRUE(f.addTeacher());
    const pid_t pid = tstest::spawnCli(f.evolveArgs(), f.dir / "evolve.out");
    ASSERT_GT(pid, 0);
    ASSERT_TRUE(tstest::waitUntil([&] { return storedRows(f.file, 1).size() >= 2; }));
    kill(pid, SIGKILL);
    EXPECT_EQ(tstest::waitExitCode(pid), -1);
    const auto committed = storedRows(f.file, 1);
    ASSERT_GE(committed.size(), 2u);
    ASSERT_LT(committed.size(), 16u);
    {
        auto project = ts::Project::open(f.file);
        ASSERT_TRUE(project) << project.error().message;
        auto check = (*project)->writer().prepare("PRAGMA integrity_check");
        ASSERT_TRUE(check);
        ASSERT_TRUE(*check->step());
        EXPECT_EQ(check->columnText(0), "ok");
    }
    auto resumed = runCli("evolve --project " + quoted(f.file) + " --resume 1");
    ASSERT_EQ(resumed.exitCode, 0) << (resumed.lines.empty() ? std::string("no output") : resumed.lines.back().dump());
    EXPECT_EQ(resumed.lines.back()["status"], "succeeded");
    const auto rows = storedRows(f.file, 1);
    expectEveryRowOnce(rows, 16);
    std::map<int64_t, const SyntheticRow*> bySlot;
    for (const auto& r : rows)
        bySlot[r.slot] = &r;
    for (const auto& before : committed) {
        EXPECT_EQ(bySlot[before.slot]->id, before.id);
        EXPECT_EQ(bySlot[before.slot]->instruction, before.instruction) << "committed rows are not made again";
    }
    EXPECT_EQ(f.server->stop(), 0);
}

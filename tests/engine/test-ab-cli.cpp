// tunesmith-cli endpoint / prompt / ab as real processes on a real project, with a local endpoint
// (the engine on a tiny model): every cell is stored and printed, the summary names both
// variants, an output equals what the local provider generates in process for the messages the
// run recorded, and resuming a finished run asks nothing again.
#include <csignal>
#include <set>
#include <thread>
#include <unistd.h>

#include "cli_test_support.h"
#include "llm/local/local_provider.h"
#include "promptlab/cell_repository.h"
#include "store/project.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

TEST(AbCli, LocalEndpointTwoVariantsSummaryAndResume)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    const auto rows = tstest::lookupTask(8);
    {
        auto p = tstest::makeTaskProject(dir / "p.tunesmith", {rows.begin(), rows.begin() + 4},
                                         {rows.begin() + 4, rows.end()});
        ASSERT_TRUE(p);
    }
    const std::string project = quoted(dir / "p.tunesmith");

    auto endpoint = runCli("endpoint " + project + " add --name tiny --kind local --model " + quoted(dir / "model"));
    ASSERT_EQ(endpoint.exitCode, 0);
    auto a = runCli("prompt " + project + " set --name A --role 'Look the name up.' --endpoint tiny --max-tokens 6");
    ASSERT_EQ(a.exitCode, 0);
    ASSERT_EQ(a.lines.back()["version"], 1);
    auto b = runCli("prompt " + project
                    + " set --name B --role 'Look the name up.' --constraint 'One word.' --few-shot 1 --endpoint tiny "
                      "--max-tokens 6");
    ASSERT_EQ(b.exitCode, 0);
    auto bad = runCli("prompt " + project + " set --name C --role 'Hi {{who}}' --endpoint tiny");
    EXPECT_EQ(bad.exitCode, 2);
    ASSERT_FALSE(bad.lines.empty());
    EXPECT_NE(bad.lines.back()["error"].get<std::string>().find("{{who}}"), std::string::npos);

    auto run = runCli("ab --project " + project + " --variants A,B --threads 1 --verbose");
    ASSERT_EQ(run.exitCode, 0) << (run.lines.empty() ? "" : run.lines.back().dump());
    ASSERT_EQ(run.lines.size(), 4u * 2 + 1);
    const auto& result = run.lines.back();
    EXPECT_EQ(result["status"], "succeeded");
    EXPECT_EQ(result["done"], 8);
    const auto& summary = result["summary"];
    ASSERT_EQ(summary["variants"].size(), 2u);
    EXPECT_EQ(summary["variants"][0]["variant"], "A v1");
    EXPECT_EQ(summary["variants"][1]["variant"], "B v1");
    EXPECT_TRUE(summary["variants"][0]["scores"].contains("exact_match"));
    EXPECT_TRUE(summary["variants"][0].contains("latency_ms"));
    ASSERT_FALSE(summary["comparisons"].empty());
    EXPECT_FALSE(summary["comparisons"][0]["verdict"].get<std::string>().empty());
    // A local endpoint has no price: nothing spent, by any role.
    EXPECT_EQ(result["spent_by_role"]["judge"], 0.0);
    EXPECT_EQ(summary["spend_usd"]["total"], 0.0);

    // A stored output is what the local provider generates for the recorded messages.
    const int64_t runId = result["run_id"];
    auto p = ts::Project::open(dir / "p.tunesmith");
    ASSERT_TRUE(p);
    auto cells = ts::CellRepository((*p)->writer()).cells(runId);
    ASSERT_TRUE(cells);
    ASSERT_EQ(cells->size(), 8u);
    const ts::Cell& cell = cells->back();
    std::vector<ts::llm::ChatMessage> messages;
    for (const auto& m : nlohmann::json::parse(cell.request))
        messages.push_back({m["role"], m["content"]});
    EXPECT_EQ(messages.size(), cell.variant == "B v1" ? 4u : 2u); // system, (few-shot pair), input
    ts::llm::LocalProviderOptions options;
    options.engine.threads = 1;
    auto local = ts::llm::openLocalProvider(dir / "model", options);
    ASSERT_TRUE(local) << local.error().message;
    ts::llm::ChatParams params;
    params.maxTokens = 6;
    auto again = (*local)->chat(messages, params, {});
    ASSERT_TRUE(again);
    EXPECT_EQ(again.result().text, cell.output);
    EXPECT_EQ(again.result().usage.outputTokens, *cell.tokensOut);

    auto resumed = runCli("ab --project " + project + " --resume " + std::to_string(runId) + " --threads 1");
    ASSERT_EQ(resumed.exitCode, 0);
    EXPECT_EQ(resumed.lines.back()["skipped"], 8);
    EXPECT_EQ(resumed.lines.back()["done"], 0);

    auto missing = runCli("ab --project " + project + " --variants A,Z");
    EXPECT_NE(missing.exitCode, 0);
    EXPECT_NE(missing.lines.back()["error"].get<std::string>().find("\"Z\""), std::string::npos);
}

TEST(AbCli, KilledRunResumesWithoutLosingOrDuplicatingCells)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    const auto rows = tstest::lookupTask(16);
    {
        auto p = tstest::makeTaskProject(dir / "p.tunesmith", {rows.begin(), rows.begin() + 2},
                                         {rows.begin() + 2, rows.end()});
        ASSERT_TRUE(p);
    }
    const std::string project = quoted(dir / "p.tunesmith");
    ASSERT_EQ(runCli("endpoint " + project + " add --name tiny --kind local --model " + quoted(dir / "model")).exitCode,
              0);
    ASSERT_EQ(runCli("prompt " + project + " set --name A --role 'Answer.' --endpoint tiny --max-tokens 24").exitCode,
              0);
    ASSERT_EQ(
        runCli("prompt " + project + " set --name B --role 'Answer briefly.' --endpoint tiny --max-tokens 24").exitCode,
        0);

    // Start the run as a process and SIGKILL it once a few cells are in the project file.
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string file = (dir / "p.tunesmith").string();
        execl(TUNESMITH_CLI, TUNESMITH_CLI, "ab", "--project", file.c_str(), "--variants", "A,B", "--threads", "1",
              "--concurrency", "1", static_cast<char*>(nullptr));
        _exit(127);
    }
    auto countCells = [&]() -> int64_t {
        auto p = ts::Project::open(dir / "p.tunesmith");
        if (!p)
            return -1;
        auto n = (*p)->writer().queryInt("SELECT count(*) FROM cells");
        return n ? *n : -1;
    };
    int64_t before = 0;
    for (int i = 0; i < 600 && (before = countCells()) < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
    const int64_t afterKill = countCells();
    ASSERT_GE(afterKill, 3);
    ASSERT_LT(afterKill, 28) << "the run finished before it could be killed";

    auto p = ts::Project::open(dir / "p.tunesmith");
    ASSERT_TRUE(p) << "the killed run left a project that does not open";
    auto maxId = (*p)->writer().queryInt("SELECT max(id) FROM runs WHERE kind = 'ab_test'");
    ASSERT_TRUE(maxId);
    const int64_t runId = *maxId;
    ASSERT_GT(runId, 0);
    p->reset();

    auto resumed = runCli("ab --project " + project + " --resume " + std::to_string(runId) + " --threads 1");
    ASSERT_EQ(resumed.exitCode, 0) << (resumed.lines.empty() ? "" : resumed.lines.back().dump());
    EXPECT_EQ(resumed.lines.back()["skipped"], afterKill);
    EXPECT_EQ(resumed.lines.back()["done"], 28 - afterKill);
    auto again = ts::Project::open(dir / "p.tunesmith");
    ASSERT_TRUE(again);
    auto cells = ts::CellRepository((*again)->writer()).cells(runId);
    ASSERT_TRUE(cells);
    EXPECT_EQ(cells->size(), 28u);
    std::set<ts::CellKey> keys;
    for (const auto& c : *cells) {
        EXPECT_TRUE(c.ok()) << c.error;
        EXPECT_TRUE(keys.insert({c.variant, c.exampleId, c.repeat}).second) << "duplicate cell";
    }
}

// tunesmith-cli endpoint / prompt / ab as real processes on a real project, with a local endpoint
// (the engine on a tiny model): every cell is stored and printed, the summary names both
// variants, an output equals what the local provider generates in process for the messages the
// run recorded, and resuming a finished run asks nothing again.
#include "cli_test_support.h"
#include "llm/local/local_provider.h"
#include "store/generation_repository.h"
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

    // A stored output is what the local provider generates for the recorded messages.
    const int64_t runId = result["run_id"];
    auto p = ts::Project::open(dir / "p.tunesmith");
    ASSERT_TRUE(p);
    auto cells = ts::GenerationRepository((*p)->writer()).cells(runId);
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

// tunesmith-cli eval end to end on tiny local models, no network: a LoRA adapter trained by `tunesmith-cli train` on
// a lookup task ("ada" → "code xyz", which only a model that learned the table can answer) is evaluated against its
// base model, the same prompt on the same local endpoint, on the test split. The task is memorisation, so the test
// rows are the table itself (and the evaluation's leakage warning says so). The fine-tune must win with p < 0.05 and
// the summary must say so; the run is of kind "eval" and resumes asking nothing again.
#include <map>
#include <sys/wait.h>

#include "cli_test_support.h"
#include "promptlab/cell_repository.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

TEST(EvalCli, ATrainedAdapterBeatsItsBaseSignificantlyOnTheTestSplit)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    const auto rows = tstest::lookupTask(8);
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", rows, {});
        ts::ExampleRepository repo(project->writer());
        for (const auto& row : rows) {
            ts::Example e;
            e.setInput(row.input);
            e.setOutput(row.output);
            e.split = ts::Split::Test;
            ASSERT_TRUE(repo.insert(e));
        }
    }
    const std::string project = quoted(dir / "p.tunesmith");
    // The recipe the trainer tests learn this task with: 120 steps, r 16, lr 2e-2, every row in each batch.
    auto trained = runCli("train --project " + project + " --model " + quoted(dir / "model")
                          + " --preset small-fast --max-steps 120 --micro-batch 8 --grad-accum 1 --lr 0.02 --lora-r 16 "
                            "--lora-alpha 32 --threads 1 --eval-every 0");
    ASSERT_EQ(trained.exitCode, 0) << (trained.lines.empty() ? "no output" : trained.lines.back().dump());
    const int64_t trainRun = trained.lines.back()["run_id"];

    ASSERT_EQ(runCli("endpoint " + project + " add --name tiny --kind local --model " + quoted(dir / "model")).exitCode,
              0);
    ASSERT_EQ(runCli("prompt " + project + " set --name plain --endpoint tiny --max-tokens 8").exitCode, 0);
    const std::string contestants
        = " --contestant label=base,prompt=plain --contestant label=tuned,prompt=plain,adapter=run:"
        + std::to_string(trainRun);
    auto eval = runCli("eval --project " + project + contestants
                       + " --threads 1 --scorers-json '[{\"kind\": \"exact_match\"}]'");
    ASSERT_EQ(eval.exitCode, 0) << (eval.lines.empty() ? "no output" : eval.lines.back().dump());
    const auto& result = eval.lines.back();
    EXPECT_EQ(result["status"], "succeeded");
    EXPECT_EQ(result["cells"], 16);
    const auto& summary = result["summary"];
    ASSERT_EQ(summary["variants"].size(), 2u);
    EXPECT_EQ(summary["variants"][0]["variant"], "base");
    EXPECT_EQ(summary["variants"][1]["variant"], "tuned");
    const double base = summary["variants"][0]["scores"]["exact_match"]["mean"];
    const double tuned = summary["variants"][1]["scores"]["exact_match"]["mean"];
    std::cout << "exact match on the test split: base " << base << ", tuned " << tuned << "\n";
    EXPECT_GE(tuned, 0.75);
    EXPECT_LE(base, 0.125);
    ASSERT_FALSE(summary["comparisons"].empty());
    const auto& comparison = summary["comparisons"][0];
    ASSERT_TRUE(comparison.contains("mcnemar")) << comparison.dump();
    EXPECT_LT(comparison["mcnemar"]["p_value"].get<double>(), 0.05) << comparison.dump();
    EXPECT_NE(comparison["verdict"].get<std::string>().find("tuned"), std::string::npos) << comparison.dump();

    // The test rows are the train rows here: the evaluation says the fine-tune saw them.
    ASSERT_TRUE(result.contains("warnings")) << result.dump();
    EXPECT_NE(result["warnings"][0].get<std::string>().find("8 of the 8 test examples repeat train examples"),
              std::string::npos)
        << result["warnings"].dump();
    // Local contestants cost nothing here unless the user prices the machine's hour.
    ASSERT_TRUE(result.contains("cost_per_1000_calls")) << result.dump();
    EXPECT_EQ(result["cost_per_1000_calls"][1]["contestant"], "tuned");
    EXPECT_EQ(result["cost_per_1000_calls"][1]["per_1000_calls_usd"], 0.0);
    EXPECT_NE(result["cost_per_1000_calls"][1]["basis"].get<std::string>().find("free on this machine"),
              std::string::npos);
    const int64_t evalRun = result["run_id"];
    auto again = runCli("eval --project " + project + " --resume " + std::to_string(evalRun) + " --threads 1");
    ASSERT_EQ(again.exitCode, 0);
    EXPECT_EQ(again.lines.back()["skipped"], 16) << "every cell was stored: nothing is asked again";
    auto asAb = runCli("ab --project " + project + " --resume " + std::to_string(evalRun));
    EXPECT_NE(asAb.exitCode, 0) << "an evaluation is not an A/B test";

    // The results as JSON Lines: read back, they are the stored cells.
    const auto exported = dir / "results.jsonl";
    auto written = runCli("results " + project + " --run " + std::to_string(evalRun) + " --out " + quoted(exported));
    ASSERT_EQ(written.exitCode, 0) << (written.lines.empty() ? "no output" : written.lines.back().dump());
    const auto records = tstest::jsonLines(exported);
    {
        auto p = ts::Project::open(dir / "p.tunesmith");
        ASSERT_TRUE(p);
        auto cells = ts::CellRepository((*p)->writer()).cells(evalRun);
        ASSERT_TRUE(cells);
        ASSERT_EQ(records.size(), cells->size());
        std::map<std::pair<std::string, int64_t>, const ts::Cell*> byKey;
        for (const auto& c : *cells)
            byKey[{c.variant, c.exampleId}] = &c;
        for (const auto& r : records) {
            auto it = byKey.find({r["variant"].get<std::string>(), r["example_id"].get<int64_t>()});
            ASSERT_NE(it, byKey.end()) << r.dump();
            EXPECT_EQ(r["output"], it->second->output);
            ASSERT_EQ(r["scores"].size(), it->second->scores.size());
            EXPECT_EQ(r["scores"][0]["value"].get<double>(), it->second->scores[0].value);
        }
    }
    EXPECT_EQ(runCli("results " + project + " --run " + std::to_string(evalRun) + " --out x.txt").exitCode, 2);

    // The user's own ratings of outputs are stored on their cells and counted (no judge here: no agreement yet).
    auto rated
        = runCli("rate " + project + " --run " + std::to_string(evalRun) + " --variant tuned --example 9 --rating 9");
    ASSERT_EQ(rated.exitCode, 0) << (rated.lines.empty() ? "no output" : rated.lines.back().dump());
    EXPECT_EQ(rated.lines.back()["user_rated"], 1);
    EXPECT_FALSE(rated.lines.back().contains("judge_agreement"));
    auto unknown
        = runCli("rate " + project + " --run " + std::to_string(evalRun) + " --variant nobody --example 9 --rating 9");
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.lines.back()["error"].get<std::string>().find("no answer of \"nobody\""), std::string::npos);
    EXPECT_EQ(
        runCli("rate " + project + " --run " + std::to_string(evalRun) + " --variant tuned --example 9 --rating 11")
            .exitCode,
        2);
}

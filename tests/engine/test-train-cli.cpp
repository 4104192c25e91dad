// tunesmith-cli train / runs / generate --adapter as real processes on a real project: JSON lines
// per step, a stop with a checkpoint (exit 130), a resume by run id, the adapter used by generate.
#include "cli_test_support.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

TEST(TrainCli, StopResumeRunsAndGenerateWithTheAdapter)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    const auto rows = tstest::lookupTask(6);
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", rows, {});
    }
    const std::string common = "train --project " + quoted(dir / "p.tunesmith") + " --model " + quoted(dir / "model")
        + " --preset small-fast --max-steps 6 --micro-batch 6 --lr 0.01 --threads 1 --eval-every 0";

    auto stopped = runCli(common + " --stop-after 3");
    ASSERT_EQ(stopped.exitCode, 130);
    ASSERT_EQ(stopped.lines.size(), 4u); // 3 steps + the outcome
    EXPECT_EQ(stopped.lines[0]["step"], 1);
    EXPECT_TRUE(stopped.lines[0].contains("loss"));
    EXPECT_TRUE(stopped.lines[0].contains("tokens_per_s"));
    const auto& outcome = stopped.lines.back();
    EXPECT_EQ(outcome["status"], "cancelled");
    const int64_t runId = outcome["run_id"];

    auto resumed = runCli("train --project " + quoted(dir / "p.tunesmith") + " --resume " + std::to_string(runId));
    ASSERT_EQ(resumed.exitCode, 0);
    ASSERT_EQ(resumed.lines.size(), 4u); // steps 4..6 + the outcome
    EXPECT_EQ(resumed.lines[0]["step"], 4);
    EXPECT_EQ(resumed.lines.back()["status"], "succeeded");
    const std::string adapter = resumed.lines.back()["adapter"];
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(adapter) / "adapter_model.safetensors"));

    auto runs = runCli("runs " + quoted(dir / "p.tunesmith") + " --kind train");
    ASSERT_EQ(runs.exitCode, 0);
    ASSERT_EQ(runs.lines.size(), 1u);
    ASSERT_EQ(runs.lines[0]["runs"].size(), 1u);
    EXPECT_EQ(runs.lines[0]["runs"][0]["status"], "succeeded");
    EXPECT_EQ(runs.lines[0]["runs"][0]["last"]["step"], 6);

    auto generated = runCli("generate --model " + quoted(dir / "model") + " --adapter " + quoted(std::filesystem::path(adapter))
                            + " --chat --prompt ada --max-new-tokens 4 --threads 1");
    ASSERT_EQ(generated.exitCode, 0);
    ASSERT_FALSE(generated.lines.empty());
    EXPECT_TRUE(generated.lines.back().contains("text"));

    auto bad = runCli("train --project " + quoted(dir / "p.tunesmith") + " --model " + quoted(dir / "model")
                      + " --lora-r many");
    EXPECT_EQ(bad.exitCode, 2);
    ASSERT_FALSE(bad.lines.empty());
    EXPECT_NE(bad.lines.back()["error"].get<std::string>().find("--lora-r"), std::string::npos);
    auto badPreset = runCli("train --project " + quoted(dir / "p.tunesmith") + " --model " + quoted(dir / "model")
                            + " --preset fastest");
    EXPECT_EQ(badPreset.exitCode, 2);
}

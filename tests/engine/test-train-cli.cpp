// tunesmith-cli train / runs / generate --adapter as real processes on a real project: JSON lines
// per step, a stop with a checkpoint (exit 130), a resume by run id, the adapter used by generate;
// the run lease between two processes (a live run refuses a second driver, a killed one is interrupted); a resume
// whose checkpoint files are gone is an error naming --restart, which starts the run again from step 0.
#include <csignal>

#include "cli_test_support.h"
#include "store/run_lease_holder.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

namespace {

// A count read through a fresh read-only connection (-1 when it cannot be read).
int64_t storedCount(const std::filesystem::path& file, const char* sql)
{
    auto db = ts::Database::open(file, ts::Database::Mode::ReadOnly);
    if (!db)
        return -1;
    auto n = db->queryInt(sql);
    return n ? *n : -1;
}

// Starts `tunesmith-cli train` on dir/p.tunesmith (a task project) and dir/model for far more steps than a test lets
// it run, its output in dir/<out>; returns its pid once it holds the run's lease and has stored its first step's
// metrics, or 0 (after killing it) when it did not get there.
pid_t startLongTrainRun(const tstest::TempDir& dir, const char* out)
{
    const auto file = dir / "p.tunesmith";
    const pid_t cli = tstest::spawnCli({"train", "--project", file.string(), "--model", (dir / "model").string(),
                                        "--preset", "small-fast", "--max-steps", "100000", "--micro-batch", "6",
                                        "--threads", "1", "--eval-every", "0", "--log-every", "1"},
                                       dir / out);
    if (cli <= 0)
        return 0;
    const bool running = tstest::waitUntil([&] {
        return storedCount(file, "SELECT count(*) FROM run_leases") == 1
            && storedCount(file, "SELECT count(*) FROM metrics") > 0;
    });
    if (!running) {
        kill(cli, SIGKILL);
        return 0;
    }
    return cli;
}

} // namespace

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

    auto generated
        = runCli("generate --model " + quoted(dir / "model") + " --adapter " + quoted(std::filesystem::path(adapter))
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

TEST(TrainCli, AResumeWithoutItsCheckpointFilesIsAnErrorUntilRestart)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", tstest::lookupTask(6), {});
    }
    auto stopped = runCli("train --project " + quoted(dir / "p.tunesmith") + " --model " + quoted(dir / "model")
                          + " --preset small-fast --max-steps 4 --micro-batch 6 --threads 1 --eval-every 0"
                            " --stop-after 2");
    ASSERT_EQ(stopped.exitCode, 130);
    const int64_t runId = stopped.lines.back()["run_id"];
    std::filesystem::remove_all(dir / "p.assets");

    const std::string resume = "train --project " + quoted(dir / "p.tunesmith") + " --resume " + std::to_string(runId);
    auto refused = runCli(resume);
    EXPECT_EQ(refused.exitCode, 1);
    ASSERT_FALSE(refused.lines.empty());
    const std::string error = refused.lines.back().value("error", "");
    EXPECT_EQ(error,
              "train: Run 'model' has no checkpoint to resume from (its files are not in "
                  + (dir / "p.assets" / "runs" / std::to_string(runId)).string()
                  + "). Pass --restart to start it again from step 0.");
    EXPECT_EQ(storedCount(dir / "p.tunesmith", "SELECT count(*) FROM runs WHERE status = 'cancelled'"), 1);

    auto restarted = runCli(resume + " --restart");
    ASSERT_EQ(restarted.exitCode, 0) << (restarted.lines.empty() ? "" : restarted.lines.back().dump());
    EXPECT_EQ(restarted.lines.front()["step"], 1);
    EXPECT_EQ(restarted.lines.back()["status"], "succeeded");
}

// Two processes on one run: while `train` runs, `train --resume` of the same run is refused with a message naming
// the owner (exit 1); the first then stops on SIGINT with a checkpoint (exit 130) and releases the run, which the
// second can then resume.
TEST(TrainCli, ASecondProcessRefusesToResumeARunThatIsAlive)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", tstest::lookupTask(6), {});
    }
    const auto file = dir / "p.tunesmith";
    // Running: its lease is taken and its first step's metrics are stored.
    const pid_t first = startLongTrainRun(dir, "first.out");
    ASSERT_GT(first, 0) << "the first run did not start";
    const int64_t runId = storedCount(file, "SELECT max(id) FROM runs");

    auto second = runCli("train --project " + quoted(file) + " --resume " + std::to_string(runId));
    EXPECT_EQ(second.exitCode, 1);
    ASSERT_FALSE(second.lines.empty());
    const std::string error = second.lines.back().value("error", "");
    EXPECT_EQ(error.rfind("train: run " + std::to_string(runId) + " is being run by process " + std::to_string(first)
                              + " on host " + ts::thisHostName() + " (last heartbeat ",
                          0),
              0u)
        << error;
    EXPECT_NE(error.find("; cancel it there first"), std::string::npos) << error;

    auto runs = runCli("runs " + quoted(file));
    ASSERT_EQ(runs.exitCode, 0);
    EXPECT_EQ(runs.lines.back()["runs"][0]["status"], "running");
    EXPECT_EQ(runs.lines.back()["runs"][0]["owner"]["pid"], first);

    ASSERT_EQ(kill(first, SIGINT), 0);
    EXPECT_EQ(tstest::waitExitCode(first), 130);
    const auto lines = tstest::jsonLines(dir / "first.out");
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["status"], "cancelled");
    const std::string checkpoint = lines.back()["checkpoint"];
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(checkpoint) / "trainer_state.json")) << checkpoint;
    EXPECT_EQ(storedCount(file, "SELECT count(*) FROM run_leases"), 0);

    // Released: resuming it for one more step is not refused.
    const int64_t stepsDone = lines.back()["steps"];
    auto resumed = runCli("train --project " + quoted(file) + " --resume " + std::to_string(runId) + " --stop-after "
                          + std::to_string(stepsDone + 1));
    EXPECT_EQ(resumed.exitCode, 130) << (resumed.lines.empty() ? "" : resumed.lines.back().dump());
    ASSERT_FALSE(resumed.lines.empty());
    EXPECT_EQ(resumed.lines.back()["steps"], stepsDone + 1);
}

// A run whose process was killed (no chance to record an outcome) is listed as interrupted with the command that
// resumes it, and resuming it takes its lease over at once (same host, the pid is gone).
TEST(TrainCli, AKilledRunIsListedAsInterruptedAndResumes)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", tstest::lookupTask(6), {});
    }
    const auto file = dir / "p.tunesmith";
    const pid_t first
        = tstest::spawnCli({"train", "--project", file.string(), "--model", (dir / "model").string(), "--preset",
                            "small-fast", "--max-steps", "100000", "--micro-batch", "6", "--threads", "1",
                            "--eval-every", "0", "--log-every", "1", "--checkpoint-every", "2"},
                           dir / "first.out");
    ASSERT_GT(first, 0);
    auto checkpoints = [&]() -> int64_t {
        auto db = ts::Database::open(file, ts::Database::Mode::ReadOnly);
        if (!db)
            return -1;
        auto n = db->queryInt("SELECT count(*) FROM artifacts WHERE kind = 'checkpoint'");
        return n ? *n : -1;
    };
    const bool checkpointed = tstest::waitUntil([&] { return checkpoints() > 0; });
    kill(first, SIGKILL);
    EXPECT_EQ(tstest::waitExitCode(first), -1);
    ASSERT_TRUE(checkpointed) << "the run wrote no checkpoint";

    auto runs = runCli("runs " + quoted(file));
    ASSERT_EQ(runs.exitCode, 0);
    const auto& run = runs.lines.back()["runs"][0];
    EXPECT_EQ(run["status"], "interrupted");
    const int64_t runId = run["id"];
    EXPECT_EQ(run["resume"], "tunesmith-cli train --project " + file.string() + " --resume " + std::to_string(runId));

    auto resumed = runCli("train --project " + quoted(file) + " --resume " + std::to_string(runId) + " --stop-after 3");
    EXPECT_EQ(resumed.exitCode, 130) << (resumed.lines.empty() ? "" : resumed.lines.back().dump());
    ASSERT_FALSE(resumed.lines.empty());
    EXPECT_EQ(resumed.lines.back()["status"], "cancelled");
}

// Ctrl+C twice (here SIGINT then SIGTERM, which the kernel never merges): the first asks for a cooperative stop, the
// second ends the process at once without waiting for it (exit 130), so even a stuck command answers. The run is
// left as a killed one is: listed as interrupted, with its lease's owner gone.
TEST(TrainCli, ASecondSignalEndsTheProcessAtOnce)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", tstest::lookupTask(6), {});
    }
    const auto file = dir / "p.tunesmith";
    const pid_t cli = startLongTrainRun(dir, "cli.out");
    ASSERT_GT(cli, 0) << "the run did not start";
    ASSERT_EQ(kill(cli, SIGINT), 0);
    ASSERT_EQ(kill(cli, SIGTERM), 0);
    EXPECT_EQ(tstest::waitExitCode(cli), 130);
    // No outcome was recorded: the process did not finish the cooperative stop.
    for (const auto& line : tstest::jsonLines(dir / "cli.out"))
        EXPECT_NE(line.value("status", ""), "cancelled") << line.dump();
    auto runs = runCli("runs " + quoted(file));
    ASSERT_EQ(runs.exitCode, 0);
    EXPECT_EQ(runs.lines.back()["runs"][0]["status"], "interrupted") << runs.lines.back().dump();
}

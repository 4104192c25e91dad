// tunesmith-cli train and ab as real processes while another process (python3's sqlite3, as `tunesmith-cli import`
// of a large file would) holds BEGIN IMMEDIATE on the project file for 8 s, longer than the 5 s busy timeout of
// every connection: both runs wait it out and finish with every metric step / every cell stored. A hang is caught
// by the ctest TIMEOUT these tests have (tests/CMakeLists.txt).
#include <csignal>
#include <set>

#include "cli_test_support.h"
#include "promptlab/cell_repository.h"
#include "store/project.h"
#include "train_test_support.h"

using tstest::quoted;
using tstest::runCli;

namespace {

// A count from the project file through a read-only connection (WAL: not blocked by the other process's lock).
int64_t storedCount(const std::filesystem::path& file, const std::string& sql)
{
    auto db = ts::Database::open(file, ts::Database::Mode::ReadOnly);
    if (!db)
        return -1;
    auto n = db->queryInt(sql);
    return n ? *n : -1;
}

// A python3 process that takes the project's write lock (BEGIN IMMEDIATE), writes "locked" to `marker`, holds the
// lock for 8 s and rolls back. Returns its pid once the lock is held (-1 when it never was).
pid_t holdWriteLock(const std::filesystem::path& file, const std::filesystem::path& marker)
{
    const std::string script = "import sqlite3, sys, time\n"
                               "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)\n"
                               "c.execute('BEGIN IMMEDIATE')\n"
                               "open(sys.argv[2], 'w').write('locked')\n"
                               "time.sleep(8)\n"
                               "c.execute('ROLLBACK')\n";
    const pid_t pid = fork();
    if (pid == 0) {
        execlp("python3", "python3", "-c", script.c_str(), file.c_str(), marker.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    if (pid < 0)
        return -1;
    const bool locked = tstest::waitUntil([&] { return std::filesystem::exists(marker); }, std::chrono::seconds(30));
    if (!locked) {
        kill(pid, SIGKILL);
        tstest::waitExitCode(pid);
        return -1;
    }
    return pid;
}

// Once the spawned run `pid` has stored its first row (`countSql` > 0), another process holds the write lock for 8 s;
// the run must still have been going then (fewer than `total` rows). Waits for both; the run must exit 0. Returns
// the run's stdout JSON lines (empty when something failed, with the failure reported).
std::vector<nlohmann::json> lockWhileItRuns(pid_t pid, const std::filesystem::path& file,
                                            const std::filesystem::path& dir, const std::string& countSql,
                                            int64_t total, const std::filesystem::path& stdoutFile)
{
    const bool started = tstest::waitUntil([&] { return storedCount(file, countSql) > 0; });
    const pid_t locker = started ? holdWriteLock(file, dir / "locked") : -1;
    if (locker <= 0) {
        kill(pid, SIGKILL);
        tstest::waitExitCode(pid);
        ADD_FAILURE() << (started ? "python3 could not take the write lock" : "the run stored no row");
        return {};
    }
    EXPECT_LT(storedCount(file, countSql), total) << "the run ended before the lock was taken: the test proves nothing";
    EXPECT_EQ(tstest::waitExitCode(pid), 0);
    EXPECT_EQ(tstest::waitExitCode(locker), 0);
    return tstest::jsonLines(stdoutFile);
}

} // namespace

TEST(BusyProjectCli, TrainWaitsOutAnotherProcessHoldingTheWriteLockWithoutLosingAStep)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    {
        auto project = tstest::makeTaskProject(dir / "p.tunesmith", tstest::lookupTask(6), {});
    }
    const auto file = dir / "p.tunesmith";
    constexpr int kSteps = 300;
    const pid_t train
        = tstest::spawnCli({"train", "--project", file.string(), "--model", (dir / "model").string(), "--preset",
                            "small-fast", "--max-steps", std::to_string(kSteps), "--micro-batch", "6", "--threads", "1",
                            "--eval-every", "0", "--log-every", "1", "--checkpoint-every", "0"},
                           dir / "train.out");
    ASSERT_GT(train, 0);
    const auto lines = lockWhileItRuns(
        train, file, dir.path(), "SELECT count(*) FROM metrics WHERE name = 'train/loss'", kSteps, dir / "train.out");
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["status"], "succeeded") << lines.back().dump();
    EXPECT_EQ(lines.back()["steps"], kSteps);
    // Every step's metrics, once each.
    EXPECT_EQ(storedCount(file, "SELECT count(DISTINCT step) FROM metrics WHERE name = 'train/loss'"), kSteps);
    EXPECT_EQ(storedCount(file, "SELECT count(*) FROM metrics WHERE name = 'train/loss'"), kSteps);
    EXPECT_EQ(storedCount(file, "SELECT count(*) FROM runs WHERE status = 'succeeded'"), 1);
}

TEST(BusyProjectCli, AbWaitsOutAnotherProcessHoldingTheWriteLockWithoutLosingACell)
{
    tstest::TempDir dir;
    tstest::writeTinyChatModel(dir / "model");
    const auto rows = tstest::lookupTask(16);
    {
        auto p = tstest::makeTaskProject(dir / "p.tunesmith", {rows.begin(), rows.begin() + 2},
                                         {rows.begin() + 2, rows.end()});
        ASSERT_TRUE(p);
    }
    const auto file = dir / "p.tunesmith";
    const std::string project = quoted(file);
    ASSERT_EQ(runCli("endpoint " + project + " add --name tiny --kind local --model " + quoted(dir / "model")).exitCode,
              0);
    ASSERT_EQ(runCli("prompt " + project + " set --name A --role 'Answer.' --endpoint tiny --max-tokens 24").exitCode,
              0);
    ASSERT_EQ(
        runCli("prompt " + project + " set --name B --role 'Answer briefly.' --endpoint tiny --max-tokens 24").exitCode,
        0);
    constexpr int kRepeats = 20; // 560 cells: the run goes on well after the lock is taken
    constexpr int kCells = 14 * 2 * kRepeats;
    const pid_t ab = tstest::spawnCli({"ab", "--project", file.string(), "--variants", "A,B", "--repeats",
                                       std::to_string(kRepeats), "--threads", "1", "--concurrency", "1"},
                                      dir / "ab.out");
    ASSERT_GT(ab, 0);
    const auto lines = lockWhileItRuns(ab, file, dir.path(), "SELECT count(*) FROM cells", kCells, dir / "ab.out");
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["status"], "succeeded") << lines.back().dump();
    EXPECT_EQ(lines.back()["done"], kCells);

    auto p = ts::Project::open(file);
    ASSERT_TRUE(p);
    auto runId = (*p)->writer().queryInt("SELECT max(id) FROM runs WHERE kind = 'ab_test'");
    ASSERT_TRUE(runId);
    auto cells = ts::CellRepository((*p)->writer()).cells(*runId);
    ASSERT_TRUE(cells);
    EXPECT_EQ(cells->size(), static_cast<size_t>(kCells));
    std::set<ts::CellKey> keys;
    for (const auto& c : *cells) {
        EXPECT_TRUE(c.ok()) << c.error;
        EXPECT_TRUE(keys.insert({c.variant, c.exampleId, c.repeat}).second) << "duplicate cell";
    }
}

// Run leases in a real project file: a live owner refuses a second one with a message naming it, release frees
// the run, a stale heartbeat or (on this host) a pid that is gone lets the lease be taken over, the heartbeat
// advances, a lease taken over elsewhere is noticed, and the runs list shows a run whose owner died as interrupted.
#include <chrono>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "cli_test_support.h"
#include "store/project.h"
#include "store/run_lease.h"
#include "store/run_repository.h"
#include "test_support.h"

using namespace ts;

namespace {

struct LeaseFixture
{
    tstest::TempDir dir;
    std::unique_ptr<Project> project;
    int64_t runId = 0;

    LeaseFixture()
    {
        auto p = Project::create(dir / "p.tunesmith");
        EXPECT_TRUE(p) << (p ? "" : p.error().message);
        project = std::move(*p);
        Run run;
        run.kind = "train";
        EXPECT_TRUE(RunRepository(project->writer()).create(run));
        runId = run.id;
    }

    // A lease row as another owner left it.
    void plantHolder(int64_t pid, const std::string& host, int64_t heartbeatMs)
    {
        auto st = project->writer().prepare("INSERT OR REPLACE INTO run_leases (run_id, token, pid, host, acquired_ms, "
                                            "heartbeat_ms) VALUES (?, 'planted', ?, ?, ?, ?)");
        ASSERT_TRUE(st);
        st->bind(1, runId).bind(2, pid).bind(3, host).bind(4, heartbeatMs).bind(5, heartbeatMs);
        ASSERT_TRUE(st->run());
    }

    RunStatus listedStatus()
    {
        auto runs = RunRepository(project->writer()).list();
        EXPECT_TRUE(runs && runs->size() == 1u);
        return runs->front().status;
    }
};

// The id of a process that has ended (forked, exited and reaped).
int64_t deadPid()
{
    const pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status = 0;
    waitpid(pid, &status, 0);
    return pid;
}

} // namespace

TEST(RunLease, ALiveOwnerRefusesASecondOneAndReleaseFreesTheRun)
{
    LeaseFixture f;
    auto first = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(RunRepository(f.project->writer()).setStatus(f.runId, RunStatus::Running));
    EXPECT_EQ(f.listedStatus(), RunStatus::Running);

    // A second lease, here the same process: refused, naming the owner.
    auto second = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_FALSE(second);
    const std::string expected = "run " + std::to_string(f.runId) + " is being run by process "
        + std::to_string(getpid()) + " on host " + thisHostName() + " (last heartbeat 0 s ago); cancel it there first";
    EXPECT_EQ(second.error().message, expected);

    auto got = RunRepository(f.project->writer()).get(f.runId);
    ASSERT_TRUE(got && *got && (*got)->lease);
    EXPECT_EQ((*got)->lease->pid, getpid());
    EXPECT_EQ((*got)->lease->host, thisHostName());

    // Released while still stored as running (the process ended without recording an outcome): interrupted,
    // and the next owner takes it.
    ASSERT_TRUE((*first)->release());
    EXPECT_EQ(*f.project->writer().queryInt("SELECT count(*) FROM run_leases"), 0);
    EXPECT_EQ(f.listedStatus(), RunStatus::Interrupted);
    auto third = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_TRUE(third) << third.error().message;
    EXPECT_EQ(f.listedStatus(), RunStatus::Running);
}

TEST(RunLease, AnOwnerOnAnotherHostWithAFreshHeartbeatIsAlive)
{
    LeaseFixture f;
    f.plantHolder(1, "another-host.example", unixMillisNow() - 2000);
    auto lease = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_FALSE(lease);
    EXPECT_NE(lease.error().message.find("process 1 on host another-host.example (last heartbeat 2 s ago)"),
              std::string::npos)
        << lease.error().message;
}

TEST(RunLease, AStaleHeartbeatIsTakenOver)
{
    LeaseFixture f;
    ASSERT_TRUE(RunRepository(f.project->writer()).setStatus(f.runId, RunStatus::Running));
    // Another host (its pid cannot be checked from here), silent for longer than the stale limit.
    f.plantHolder(1, "another-host.example", unixMillisNow() - kRunLeaseStaleMs - 1000);
    EXPECT_EQ(f.listedStatus(), RunStatus::Interrupted);
    auto lease = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_TRUE(lease) << lease.error().message;
    auto got = RunRepository(f.project->writer()).get(f.runId);
    ASSERT_TRUE(got && *got && (*got)->lease);
    EXPECT_EQ((*got)->lease->pid, getpid());
    EXPECT_EQ((*got)->status, RunStatus::Running);
}

TEST(RunLease, AnOwnerWhosePidIsGoneOnThisHostIsTakenOverAtOnce)
{
    LeaseFixture f;
    ASSERT_TRUE(RunRepository(f.project->writer()).setStatus(f.runId, RunStatus::Running));
    const int64_t gone = deadPid();
    ASSERT_FALSE(processExists(gone));
    f.plantHolder(gone, thisHostName(), unixMillisNow()); // a fresh heartbeat: only the pid tells
    EXPECT_EQ(f.listedStatus(), RunStatus::Interrupted);
    auto lease = RunLease::acquire(f.project->path(), f.runId);
    ASSERT_TRUE(lease) << lease.error().message;
    EXPECT_EQ(f.listedStatus(), RunStatus::Running);
}

TEST(RunLease, TheHeartbeatAdvancesAndALeaseTakenOverIsNoticed)
{
    LeaseFixture f;
    auto lease = RunLease::acquire(f.project->path(), f.runId, {}, /*heartbeatMs*/ 50);
    ASSERT_TRUE(lease) << lease.error().message;
    auto reader = f.project->openReader();
    ASSERT_TRUE(reader);
    const int64_t acquired = *reader->queryInt("SELECT acquired_ms FROM run_leases");
    ASSERT_TRUE(tstest::waitUntil([&] { return (*lease)->heartbeats() >= 3; }));
    ASSERT_TRUE(tstest::waitUntil([&] { return *reader->queryInt("SELECT heartbeat_ms FROM run_leases") > acquired; }));
    EXPECT_FALSE((*lease)->lost());

    // Another owner replaced the row (as it may once this one's heartbeat has aged): the next heartbeat notices.
    ASSERT_TRUE(f.project->writer().exec("UPDATE run_leases SET token = 'someone else'"));
    ASSERT_TRUE(tstest::waitUntil([&] { return (*lease)->lost(); }));
    // Releasing a lost lease leaves the new owner's row alone.
    ASSERT_TRUE((*lease)->release());
    EXPECT_EQ(*f.project->writer().queryInt("SELECT count(*) FROM run_leases WHERE token = 'someone else'"), 1);
}

TEST(RunLease, AHeartbeatWaitsOutABusyProjectFile)
{
    LeaseFixture f;
    auto lease = RunLease::acquire(f.project->path(), f.runId, {}, /*heartbeatMs*/ 50);
    ASSERT_TRUE(lease) << lease.error().message;
    ASSERT_TRUE(tstest::waitUntil([&] { return (*lease)->heartbeats() >= 1; }));
    int64_t before = 0;
    {
        // Another connection holds the write lock for longer than the connections' 5 s busy timeout.
        auto other = Database::open(f.project->path(), Database::Mode::ReadWrite);
        ASSERT_TRUE(other);
        auto tx = Transaction::begin(*other);
        ASSERT_TRUE(tx);
        before = (*lease)->heartbeats();
        std::this_thread::sleep_for(std::chrono::milliseconds(5500)); // the lock is held, not a synchronisation
        EXPECT_LE((*lease)->heartbeats(), before + 1);
        ASSERT_TRUE(tx->commit());
    }
    ASSERT_TRUE(tstest::waitUntil([&] { return (*lease)->heartbeats() >= before + 2; }));
    EXPECT_FALSE((*lease)->lost());
    EXPECT_TRUE((*lease)->release());
}

TEST(RunLease, InterruptedIsNotAStoredStatus)
{
    LeaseFixture f;
    EXPECT_FALSE(RunRepository(f.project->writer()).setStatus(f.runId, RunStatus::Interrupted));
    EXPECT_EQ(runStatusName(RunStatus::Interrupted), "interrupted");
}

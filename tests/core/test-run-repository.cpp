// Runs, metrics and artifacts in a real project file: status stamps, the metric poll cursor seen
// from a second (read-only) connection as a live plot in another process would, truncation on
// resume, and artifacts per run.
#include <gtest/gtest.h>

#include "store/project.h"
#include "store/run_lease.h"
#include "store/run_repository.h"
#include "test_support.h"

using namespace ts;

TEST(RunRepository, StatusStampsStartAndFinish)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(project) << project.error().message;
    RunRepository runs((*project)->writer());
    ts::Run run;
    run.kind = "train";
    run.name = "first";
    run.config = R"({"r":16})";
    ASSERT_TRUE(runs.create(run));
    EXPECT_GT(run.id, 0);

    auto lease = RunLease::acquire((*project)->path(), run.id); // a running run has a live owner
    ASSERT_TRUE(lease) << lease.error().message;
    auto started = runs.setStatus(run.id, RunStatus::Running);
    ASSERT_TRUE(started) << started.error().message;
    auto got = runs.get(run.id);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->status, RunStatus::Running);
    EXPECT_TRUE((*got)->startedAt.has_value());
    EXPECT_FALSE((*got)->finishedAt.has_value());
    EXPECT_EQ((*got)->config, R"({"r":16})");

    ASSERT_TRUE(runs.setStatus(run.id, RunStatus::Failed, "out of memory"));
    got = runs.get(run.id);
    EXPECT_EQ((*got)->status, RunStatus::Failed);
    EXPECT_EQ((*got)->error, "out of memory");
    EXPECT_TRUE((*got)->finishedAt.has_value());
    EXPECT_EQ((*got)->startedAt, (*got)->startedAt);

    EXPECT_FALSE(runs.setStatus(run.id + 100, RunStatus::Running)); // no such run
    ts::Run other;
    other.kind = "eval";
    ASSERT_TRUE(runs.create(other));
    EXPECT_EQ(runs.list("train")->size(), 1u);
    ASSERT_EQ(runs.list()->size(), 2u);
    EXPECT_EQ(runs.list()->front().id, other.id); // newest first
}

TEST(RunRepository, MetricsCursorSeesNewRowsFromAnotherConnection)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(project);
    RunRepository writer((*project)->writer());
    ts::Run run;
    run.kind = "train";
    ASSERT_TRUE(writer.create(run));

    auto readerDb = (*project)->openReader();
    ASSERT_TRUE(readerDb) << readerDb.error().message;
    RunRepository reader(*readerDb);

    int64_t cursor = 0;
    for (int64_t step = 1; step <= 3; ++step) {
        ASSERT_TRUE(
            writer.addMetrics({{0, run.id, step, "train/loss", 4.0 / step, 0}, {0, run.id, step, "lr", 1e-4, 0}}));
        auto fresh = reader.metricsSince(run.id, cursor);
        ASSERT_TRUE(fresh) << fresh.error().message;
        ASSERT_EQ(fresh->size(), 2u) << "step " << step;
        EXPECT_EQ(fresh->front().step, step);
        EXPECT_DOUBLE_EQ(fresh->front().value, 4.0 / step);
        cursor = fresh->back().id;
    }
    EXPECT_TRUE(reader.metricsSince(run.id, cursor)->empty());
    EXPECT_EQ(reader.metricsSince(run.id, 0, "lr")->size(), 3u);

    // A resume from step 1 drops what came after it.
    ASSERT_TRUE(writer.truncateMetrics(run.id, 1));
    auto left = reader.metricsSince(run.id, 0);
    ASSERT_EQ(left->size(), 2u);
    EXPECT_EQ(left->back().step, 1);

    // The rewritten steps get new ids above the cursor (ids are never reused), so a poller that
    // had seen step 3 still sees the new step 2.
    ASSERT_TRUE(writer.addMetrics({{0, run.id, 2, "train/loss", 1.5, 0}}));
    auto rewritten = reader.metricsSince(run.id, cursor);
    ASSERT_EQ(rewritten->size(), 1u);
    EXPECT_EQ(rewritten->front().step, 2);
}

TEST(RunRepository, ArtifactsBelongToTheirRun)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(project);
    RunRepository runs((*project)->writer());
    ts::Run run;
    run.kind = "train";
    ASSERT_TRUE(runs.create(run));
    Artifact a;
    a.runId = run.id;
    a.kind = "checkpoint";
    a.path = "p.tunesmith.assets/runs/1/checkpoint-10";
    a.bytes = 1234;
    ASSERT_TRUE(runs.addArtifact(a));
    Artifact b = a;
    b.kind = "adapter";
    b.path = "p.tunesmith.assets/runs/1/adapter";
    ASSERT_TRUE(runs.addArtifact(b));
    EXPECT_EQ(runs.artifacts(run.id)->size(), 2u);
    auto adapters = runs.artifacts(run.id, "adapter");
    ASSERT_EQ(adapters->size(), 1u);
    EXPECT_EQ(adapters->front().path, b.path);
    EXPECT_TRUE(runs.artifacts(run.id + 1)->empty());
}

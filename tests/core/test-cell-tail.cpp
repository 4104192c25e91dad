// CellTail on a real project file: each read returns only the cells and scores stored since the previous one
// (also while another run writes between them), scores added to finished cells and cells replaced by a resumed
// run (even one that gets its old id back) arrive as changes, and the cells held equal a full read, so the
// summary from them equals summarizeCells over CellRepository::cells.
#include <gtest/gtest.h>

#include "promptlab/ab_summary.h"
#include "promptlab/cell_tail.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "test_support.h"

using namespace ts;

namespace {

struct TailFixture
{
    tstest::TempDir dir;
    std::unique_ptr<Project> project;
    std::vector<int64_t> examples;

    explicit TailFixture(int exampleCount)
    {
        auto p = Project::create(dir / "tail.tunesmith");
        EXPECT_TRUE(p) << (p ? "" : p.error().message);
        project = std::move(*p);
        ExampleRepository repo(project->writer());
        for (int k = 0; k < exampleCount; ++k) {
            Example e;
            e.messages = {{"user", "q" + std::to_string(k)}, {"assistant", "a" + std::to_string(k)}};
            e.split = Split::Eval;
            EXPECT_TRUE(repo.insert(e));
            examples.push_back(e.id);
        }
    }

    int64_t newRun()
    {
        Run run;
        run.kind = "ab_test";
        run.config = "{}";
        EXPECT_TRUE(RunRepository(project->writer()).create(run));
        return run.id;
    }

    // Stores one cell of `runId` with an exact_match score; a failed one has no score.
    Cell put(int64_t runId, const std::string& variant, size_t example, bool ok = true, int repeat = 0)
    {
        Cell c;
        c.runId = runId;
        c.variant = variant;
        c.exampleId = examples.at(example);
        c.repeat = repeat;
        c.request = R"([{"role":"user","content":"q"}])";
        c.output = ok ? variant + std::to_string(example) : "";
        c.error = ok ? "" : "refused";
        c.latencyMs = 10.0 + static_cast<double>(example);
        c.cost = 0.001;
        if (ok)
            c.scores.push_back({"exact_match", (example + variant.size()) % 3 == 0 ? 1.0 : 0.0,
                                (example + variant.size()) % 3 == 0, ""});
        EXPECT_TRUE(CellRepository(project->writer()).put(c));
        return c;
    }

    std::unique_ptr<Database> reader()
    {
        auto r = project->openReader();
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return std::make_unique<Database>(std::move(*r));
    }
};

// The same cells with the same scores, in the same order.
void expectSameCells(const std::vector<Cell>& a, const std::vector<Cell>& b)
{
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, b[i].id) << i;
        EXPECT_EQ(a[i].output, b[i].output) << i;
        EXPECT_EQ(a[i].error, b[i].error) << i;
        ASSERT_EQ(a[i].scores.size(), b[i].scores.size()) << i;
        for (size_t s = 0; s < a[i].scores.size(); ++s) {
            EXPECT_EQ(a[i].scores[s].scorer, b[i].scores[s].scorer);
            EXPECT_EQ(a[i].scores[s].value, b[i].scores[s].value);
        }
    }
}

} // namespace

TEST(CellTail, ReadsOnlyWhatIsNewWhileAnotherRunWrites)
{
    TailFixture f(40);
    const int64_t run = f.newRun();
    const int64_t other = f.newRun();
    auto reader = f.reader();
    promptlab::CellTail tail(run);
    auto first = tail.readNew(*reader);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(first->empty());
    EXPECT_EQ(first->rowsRead, 0);

    int64_t written = 0; // cell and score rows of `run`
    for (int batch = 0; batch < 4; ++batch) {
        for (size_t k = static_cast<size_t>(batch) * 10; k < static_cast<size_t>(batch + 1) * 10; ++k) {
            f.put(run, "A v1", k);
            f.put(other, "A v1", k); // interleaved ids of another run: skipped
            f.put(run, "B v1", k, k % 7 != 3);
            written += 2 + 1 + (k % 7 != 3 ? 1 : 0);
        }
        auto delta = tail.readNew(*reader);
        ASSERT_TRUE(delta) << delta.error().message;
        EXPECT_EQ(delta->added.size(), 20u) << "batch " << batch;
        EXPECT_TRUE(delta->changed.empty());
        for (const Cell& c : delta->added) {
            EXPECT_EQ(c.runId, run);
            EXPECT_EQ(c.scores.size(), c.ok() ? 1u : 0u);
        }
    }
    // Each read after the first also reads the row at the cursor again, and the other run's scores that lie in
    // the id range of the cells that arrived.
    EXPECT_GE(tail.rowsRead(), written);
    EXPECT_LE(tail.rowsRead(), written + 4 * (1 + 10));
    auto again = tail.readNew(*reader);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->empty());
    EXPECT_LE(again->rowsRead, 1);

    const auto all = CellRepository(*reader).cells(run);
    ASSERT_TRUE(all);
    expectSameCells(tail.cellsInRunOrder(), *all);
    const auto totals = tail.totals();
    EXPECT_EQ(totals.cells, 80);
    EXPECT_EQ(totals.failed, 6); // k = 3, 10, 17, 24, 31, 38
    EXPECT_EQ(totals.priced, 80);
    EXPECT_NEAR(totals.spentUsd, 0.08, 1e-12);

    const std::vector<std::string> order {"A v1", "B v1"};
    const std::map<std::string, double> points {{"exact_match", 100.0}};
    auto fromTail = promptlab::summarizeCells(tail.cellsInRunOrder(), order, points);
    auto fromAll = promptlab::summarizeCells(*all, order, points);
    ASSERT_TRUE(fromTail && fromAll);
    EXPECT_EQ(promptlab::abSummaryToJson(*fromTail), promptlab::abSummaryToJson(*fromAll));
}

TEST(CellTail, AScoreAddedToAHeldCellArrivesAsAChange)
{
    TailFixture f(4);
    const int64_t run = f.newRun();
    auto reader = f.reader();
    promptlab::CellTail tail(run);
    for (size_t k = 0; k < 4; ++k) {
        f.put(run, "A v1", k);
        f.put(run, "B v1", k);
    }
    ASSERT_TRUE(tail.readNew(*reader));
    const Cell b0 = tail.cellsInRunOrder()[4];
    ASSERT_EQ(b0.variant, "B v1");
    ASSERT_TRUE(CellRepository(f.project->writer()).putScore(b0, {"pairwise vs A v1", 1.0, std::nullopt, "B"}));
    auto delta = tail.readNew(*reader);
    ASSERT_TRUE(delta) << delta.error().message;
    EXPECT_TRUE(delta->added.empty());
    ASSERT_EQ(delta->changed.size(), 1u);
    EXPECT_EQ(delta->changed[0].id, b0.id);
    ASSERT_EQ(delta->changed[0].scores.size(), 2u);
    EXPECT_EQ(delta->changed[0].scores[1].scorer, "pairwise vs A v1");
    EXPECT_LE(delta->rowsRead, 1 + 1); // the cursor's cell again, the new score
    expectSameCells(tail.cellsInRunOrder(), *CellRepository(*reader).cells(run));
}

TEST(CellTail, ACellRewrittenByAResumeReplacesTheOldOneEvenUnderItsOldId)
{
    TailFixture f(3);
    const int64_t run = f.newRun();
    auto reader = f.reader();
    promptlab::CellTail tail(run);
    f.put(run, "A v1", 0, false);
    f.put(run, "A v1", 1);
    const Cell last = f.put(run, "A v1", 2, false); // the highest id of the table
    ASSERT_TRUE(tail.readNew(*reader));
    EXPECT_EQ(tail.totals().failed, 2);

    // Rewriting the last cell deletes it and inserts the new row, which gets the freed id back.
    const Cell rewritten = f.put(run, "A v1", 2, true);
    ASSERT_EQ(rewritten.id, last.id);
    auto delta = tail.readNew(*reader);
    ASSERT_TRUE(delta) << delta.error().message;
    EXPECT_TRUE(delta->added.empty());
    ASSERT_EQ(delta->changed.size(), 1u);
    EXPECT_TRUE(delta->changed[0].ok());
    EXPECT_EQ(delta->changed[0].scores.size(), 1u);

    // Rewriting an earlier one gives it a new id: still one cell for its (variant, example, repeat).
    f.put(run, "A v1", 0, true);
    delta = tail.readNew(*reader);
    ASSERT_TRUE(delta);
    ASSERT_EQ(delta->changed.size(), 1u);
    EXPECT_EQ(tail.size(), 3u);
    EXPECT_EQ(tail.totals().failed, 0);
    expectSameCells(tail.cellsInRunOrder(), *CellRepository(*reader).cells(run));
}

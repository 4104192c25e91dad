// AbTestJob: runs an A/B test as a background job. Every cell — (variant, example, repeat) — is
// rendered, sent to the variant's endpoint, scored, and written to the project file as it
// arrives (promptlab/cell_repository.h), from `concurrency` worker threads. Cancel stops
// in-flight requests; a resumed run (resumeRunId) skips the cells already done and retries the
// failed ones. A spend cap counts every call (variant, judge, pairwise): a call starts only when its
// worst-case cost fits (promptlab/spend_budget.h); at the cap no new call starts, the calls in flight
// finish and are stored, and the run ends "spend cap reached". Every call's cost goes to the run's
// spend ledger (promptlab/spend_ledger.h) with its result. Failed calls are recorded with their error;
// the run then ends "failed" with a count, and its results stay.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job.h"
#include "llm/endpoint_repository.h"
#include "llm/provider.h"
#include "promptlab/ab_test_config.h"
#include "promptlab/cell_repository.h"
#include "promptlab/spend_by_role.h"

namespace ts {

class Project;

// Project setting (meta) with the scorers an A/B test uses when its config names none: a JSON
// array of scorer specs (eval/scorer.h). Unset: eval::defaultScorers().
inline constexpr const char* kProjectScorersKey = "promptlab.scorers";

// Builds the provider of an endpoint. The default (makeDefaultProviderFactory) covers the HTTP
// kinds, with keys from the environment; the app adds the local engine.
using ProviderFactory = std::function<Expected<std::shared_ptr<llm::Provider>>(const Endpoint&)>;
ProviderFactory makeDefaultProviderFactory();

struct AbTestParams
{
    Project* project = nullptr;
    promptlab::AbTestConfig config;
    std::string runName;
    std::optional<int64_t> resumeRunId; // continue this run (its stored config wins)
    // "ab_test" (the Prompt lab), or "eval" (an evaluation of contestants, listed on the Evaluation page).
    std::string runKind = "ab_test";
    ProviderFactory providers; // empty: makeDefaultProviderFactory()
    std::function<void(const Cell&)> onCell; // worker thread, after a cell is stored
    // What the run's endpoints need besides the project file: the local engine's device when one is local
    // (abTestClaims() works it out from the endpoints). HTTP endpoints need nothing: such runs start at once.
    ResourceClaims claims;
};

// The claims of a run on these endpoints: the CPU engine when one of them is local.
ResourceClaims abTestClaims(const std::vector<Endpoint>& endpoints);

struct AbTestResult
{
    int64_t runId = 0;
    int64_t cells = 0; // in the whole run
    int64_t skipped = 0; // already done (resume)
    int64_t done = 0; // succeeded in this session
    int64_t failed = 0;
    double spentUsd = 0; // this session's measured cost of every call with a known price
    promptlab::SpendByRole spent; // the same by role (variant, judge, pairwise)
    bool spendCapReached = false;
    bool cancelled = false;
};

class AbTestJob final : public Job
{
public:
    explicit AbTestJob(AbTestParams params);
    std::string title() const override;
    ResourceClaims resources() const override;
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

    int64_t runId() const { return m_runId.load(); } // set once run() has created the run
    const AbTestResult& result() const { return m_result; }

private:
    AbTestParams m_params;
    AbTestResult m_result;
    std::atomic<int64_t> m_runId {0};
};

} // namespace ts

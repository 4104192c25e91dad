// EvolveJob: an Evol-Instruct run as a background job. Round by round, every candidate of the round (see
// synth/evolve_config.h for the plan) goes through the pipeline on `concurrency` worker threads:
//   rewrite (teacher) → instruction rules → answer (teacher, with the chosen prompt variant) → response rules,
//   length and format/schema checks → optional information-gain check → stored (stage generated, eliminated or
//   failed)
// then, once the round's candidates are in: dedupe of the run's rows against each other and the golden eval and
// test rows → the quality judge on the unique rows. Every row is written to the project file as it ends, so a
// crash loses only the calls in flight; a resumed run (resumeRunId) skips stored rows, makes the rows whose calls
// failed again, and judges rows left unjudged (or whose judging failed). The spend cap counts every call of the run,
// all sessions together: a call starts only when its worst-case cost fits; at the cap no new call starts and the run
// ends "spend cap reached".
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "jobs/job.h"
#include "promptlab/ab_test_job.h" // ProviderFactory
#include "synth/evolve_config.h"
#include "synth/synthetic_row.h"

namespace ts {
class Project;
}

namespace ts::synth {

struct EvolveParams
{
    Project* project = nullptr;
    EvolveConfig config; // ignored when resuming: the run's stored config wins
    std::string runName;
    std::optional<int64_t> resumeRunId;
    std::optional<double> newSpendCapUsd; // with resumeRunId: the run's spend cap from now on (to go on past it)
    ProviderFactory providers; // empty: makeDefaultProviderFactory()
    std::function<void(const SyntheticRow&)> onRow; // worker thread, after a row is stored or updated
    ResourceClaims claims; // the local engine's device when the teacher or judge is local (abTestClaims())
};

struct EvolveResult
{
    int64_t runId = 0;
    int64_t planned = 0; // candidates in the run's plan
    int64_t skipped = 0; // stored by an earlier session
    int64_t generated = 0; // rows stored by this session (any stage)
    int64_t failed = 0; // of those, teacher calls that failed
    int64_t judged = 0;
    int64_t judgeFailed = 0;
    double spentUsd = 0; // this session's measured cost
    double runSpentUsd = 0; // the whole run's
    bool spendCapReached = false;
    bool cancelled = false;
    SyntheticFunnel funnel; // of the whole run, at the end
};

class EvolveJob final : public Job
{
public:
    explicit EvolveJob(EvolveParams params);
    std::string title() const override;
    ResourceClaims resources() const override;
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

    int64_t runId() const { return m_runId.load(); } // set once run() has created the run
    const EvolveResult& result() const { return m_result; }

private:
    EvolveParams m_params;
    EvolveResult m_result;
    std::atomic<int64_t> m_runId {0};
};

} // namespace ts::synth

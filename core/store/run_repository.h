// RunRepository: the `runs`, `metrics` and `artifacts` tables — what long jobs (training,
// evaluation, evolution, export) record as they go, so a crash loses at most the step in flight
// and live plots can follow a run from any process (they poll metrics with id > last seen).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "store/database.h"
#include "store/run_lease_holder.h"

namespace ts {

// Interrupted is never stored: get() and list() report it for a run stored as running whose lease
// (store/run_lease.h) has no live owner, e.g. the process driving it crashed or was killed. Resume it.
enum class RunStatus { Pending, Running, Succeeded, Failed, Cancelled, Interrupted };
std::string_view runStatusName(RunStatus status); // "pending", "running", ..., "interrupted"
std::optional<RunStatus> runStatusFromName(std::string_view name);

struct Run
{
    int64_t id = 0;
    std::string kind; // "train", "eval", "ab_test", "evolve", "export", "import"
    std::string name;
    std::string config; // JSON
    RunStatus status = RunStatus::Pending; // as stored, except Interrupted (see RunStatus)
    std::string error;
    int64_t createdAt = 0; // unix ms
    std::optional<int64_t> startedAt;
    std::optional<int64_t> finishedAt;
    std::optional<RunLeaseHolder> lease; // who drives the run now, or last did (get() and list())
};

struct MetricPoint
{
    int64_t id = 0; // increasing: the poll cursor
    int64_t runId = 0;
    int64_t step = 0;
    std::string name; // "train/loss", "eval/loss", "lr", "grad_norm", "tokens_per_s", ...
    double value = 0;
    int64_t wallMs = 0;
};

struct Artifact
{
    int64_t id = 0;
    std::optional<int64_t> runId;
    std::string kind; // "checkpoint", "adapter", "gguf", "merged", "modelfile"
    std::string path; // relative to the project file's folder
    std::string sha256;
    int64_t bytes = 0;
    int64_t createdAt = 0;
};

int64_t unixMillisNow();

class RunRepository
{
public:
    explicit RunRepository(Database& db)
        : m_db(db)
    { }

    // Runs. create() sets id and createdAt.
    Status create(Run& run);
    Expected<std::optional<Run>> get(int64_t id);
    Expected<std::vector<Run>> list(std::string_view kind = {}); // newest first; "" = all kinds
    // Stamps start (the first time it runs: a resumed run keeps its start) and finish. Interrupted is refused
    // (it is not stored).
    Status setStatus(int64_t id, RunStatus status, std::string_view error = {});
    Status setConfig(int64_t id, std::string_view configJson);

    // Metrics: one transaction per call, so a step's values appear together.
    Status addMetrics(const std::vector<MetricPoint>& points);
    // Points of `runId` with id > afterId (all names unless `name` is set), in id order.
    Expected<std::vector<MetricPoint>> metricsSince(int64_t runId, int64_t afterId, std::string_view name = {});
    // Drops metrics of `runId` with step > `step` (a resumed run rewrites what came after its checkpoint).
    Status truncateMetrics(int64_t runId, int64_t step);

    // Artifacts. add() sets id and createdAt.
    Status addArtifact(Artifact& artifact);
    Expected<std::vector<Artifact>> artifacts(int64_t runId, std::string_view kind = {}); // oldest first

private:
    Database& m_db;
};

} // namespace ts

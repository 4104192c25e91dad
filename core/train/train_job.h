// TrainJob: one training run (QLoRA, LoRA or full-parameter) on a project's train split, as a
// ts::Job for the GUI's JobController and the CLI. Torch-free header (the work is in trainer.cpp).
//
// What it records in the project file as it goes (readers poll these from any process):
//   runs       kind "train", config JSON (TrainConfig + model folder), status
//   metrics    per logged step: train/loss, lr, grad_norm, tokens_per_s; eval/loss every evalEvery
//   artifacts  "checkpoint" folders every checkpointEvery steps and at cancel; the final "adapter"
//              (PEFT folder) or, in full-parameter mode, the trained "model" (HF folder)
// Files go under <project>.assets/runs/<run id>/. Resuming a run id continues from its newest
// checkpoint with the same data order, optimizer state and RNG, and rewrites later metrics; the run keeps its
// start time, and its config JSON lists each resume ("resumes": [{"at": unix ms, "from_step": N}]).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "jobs/job.h"
#include "train/train_config.h"

namespace ts {

class Project;

struct TrainStepLog
{
    int64_t step = 0; // optimizer steps done
    int64_t totalSteps = 0;
    double loss = 0; // mean over the step's learned tokens
    double learningRate = 0;
    double gradNorm = 0; // before clipping
    double tokensPerSecond = 0; // all tokens (prompt + learned) of this step
    std::optional<double> evalLoss; // when this step ran an evaluation
    int64_t tokensSeen = 0;
    double elapsedSeconds = 0; // since the run (or the resume) started
};

struct TrainJobParams
{
    Project* project = nullptr; // open project; the job writes through its writer under writeLock()
    std::filesystem::path modelDir; // Hugging Face model folder (base model)
    TrainConfig config;
    std::string runName;
    std::optional<int64_t> resumeRunId; // continue this run (its stored config wins over `config`)
    // A resumed run none of whose checkpoints is on disk is refused, untouched (train/resume_point.h), unless this
    // is set: then it starts again from step 0.
    bool restartWithoutCheckpoint = false;
    std::optional<int64_t> stopAfterStep; // stop (as if cancelled, with a checkpoint) after this step
    std::function<void(const TrainStepLog&)> onStep; // job thread, after each logged step
};

struct TrainJobResult
{
    int64_t runId = 0;
    int64_t steps = 0;
    bool cancelled = false;
    double finalLoss = 0;
    std::filesystem::path outputDir; // adapter (or full model) folder; empty when cancelled
    std::filesystem::path checkpointDir; // newest checkpoint
};

class TrainJob final : public Job
{
public:
    explicit TrainJob(TrainJobParams params);
    ~TrainJob() override;

    std::string title() const override;
    ResourceClaims resources() const override; // the device it computes on (exclusive), the project file
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

    // Set once run() has created (or reopened) the run: lets a UI follow its metrics at once.
    int64_t runId() const { return m_runId.load(); }
    const TrainJobResult& result() const { return m_result; }

private:
    TrainJobParams m_params;
    TrainJobResult m_result;
    std::atomic<int64_t> m_runId {0};
};

} // namespace ts

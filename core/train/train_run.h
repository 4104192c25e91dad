// TrainRun: the state of one training run while TrainJob::run (trainer.cpp) works on it — the run
// record, the model and its trainable parameters, the data, the optimizer and where the loop stands —
// and the stages that fill it in, each in the file of its concept:
//   train_setup.cpp   openRun, recordRunStatus, loadModel, buildData, resumeFromCheckpoint
//   train_output.cpp  saveRunCheckpoint, writeOutput
// Shapes as in trainer.cpp. Internal header (torch).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/expected.h"
#include "common/progress.h"
#include "engine/model_weights.h"
#include "lora/apply_lora.h"
#include "model/chat_template.h"
#include "model/model_config.h"
#include "model/safetensors.h"
#include "model/tokenizer.h"
#include "store/run_lease.h"
#include "store/run_repository.h"
#include "train/adamw.h"
#include "train/batch_iterator.h"
#include "train/checkpoint.h"
#include "train/sft_dataset.h"
#include "train/train_device.h"
#include "train/train_forward.h"
#include "train/train_job.h"

namespace ts {

class Project;

struct TrainRun
{
    TrainRun(Project& project, const TrainJobParams& params, TrainJobResult& result, ProgressSink& progress)
        : project(project)
        , params(params)
        , result(result)
        , progress(progress)
    { }

    Project& project;
    const TrainJobParams& params;
    TrainJobResult& result; // the job's, filled in as the run goes
    ProgressSink& progress;
    CancelToken cancel; // the job's: the stages before the steps check it too (load, quantization, data)

    // The run record (openRun).
    int64_t runId = 0;
    std::filesystem::path modelDir;
    TrainConfig config;
    std::filesystem::path runDir; // <project>.assets/runs/<id>
    std::string runDirRelative; // the same, relative to the project file's folder
    std::unique_ptr<RunLease> lease; // held from before "running" is recorded to the end of TrainJob::run
    std::string runName; // as stored (openRun)
    std::optional<std::filesystem::path> resumeCheckpoint; // on resume: the newest checkpoint on disk

    // The model (loadModel).
    train::TrainDevice where; // device and compute dtype
    ModelConfig model;
    std::optional<Tokenizer> tokenizer;
    std::optional<ChatTemplate> chatTemplate;
    std::shared_ptr<SafetensorsModel> checkpointFile;
    engine::TransformerWeights weights;
    lora::ApplyLoraOptions loraOptions;
    std::vector<lora::LoraModule> modules; // empty in full-parameter mode
    std::unique_ptr<train::AdamW> optimizer; // over the trainable parameters (P of them)
    std::unique_ptr<train::TrainForward> forward;

    // The data (buildData).
    std::unique_ptr<SftBatchIterator> trainBatches;
    std::vector<SftRow> evalRows;
    int32_t padId = 0;
    SftDataStats trainStats;

    // Where the loop stands (resumeFromCheckpoint, then the steps).
    train::TrainerState state;
    std::chrono::steady_clock::time_point started; // of this process's first step
    int64_t firstStep = 0; // state.step when the loop started (after a resume: the checkpoint's)
};

// 1. The run record: a new run from params (config validated), or the one being resumed, whose stored
//    config wins. Sets runId, runName, modelDir, config and the run folders.
Status openRun(TrainRun& run);
// On resume, once the run is this process's (its lease): the newest checkpoint on disk (resumeCheckpoint). None
// is an error, before anything about the run is changed, unless the params say to start again from step 0.
Status findResumeCheckpoint(TrainRun& run);
Status recordRunStatus(TrainRun& run, RunStatus status, const std::string& error = {});
// 2. Config, tokenizer, chat template and weights on the device; LoRA on the targets (NF4 base) or every
//    weight trainable (full-parameter); the optimizer over the trainable parameters.
Status loadModel(TrainRun& run);
// 3. Train split → chat-template renders → masked sequences → rows (packed or not) → micro-batches;
//    the eval split's rows.
Status buildData(TrainRun& run);
// 4. On resume: parameters, moments, RNG and data position from the newest checkpoint; metrics after
//    its step are dropped; the resume is added to the run's config JSON ("resumes").
Status resumeFromCheckpoint(TrainRun& run);
// A checkpoint at state.step, registered as an artifact; result.checkpointDir points at it.
Status saveRunCheckpoint(TrainRun& run);
// 6. The adapter in PEFT format with tunesmith.json (full-parameter: a Hugging Face model folder),
//    registered as an artifact; result.outputDir points at it.
Status writeOutput(TrainRun& run);
// What writeOutput writes, which is also its folder's name under runDir: "adapter", or "model" in
// full-parameter mode.
std::string outputKind(const TrainConfig& config);

} // namespace ts

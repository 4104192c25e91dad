// The stages before the first step (see train_run.h): the run record, the model, the data, the resume.
// Shapes as in trainer.cpp.
#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/threads.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "train/full_parameter.h"
#include "train/resume_point.h"
#include "train/sequence_packing.h"
#include "train/train_config_json.h"
#include "train/train_run.h"

namespace ts {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The stored config of a run being resumed, which wins over the params'.
Status reopenRun(TrainRun& run, int64_t runId)
{
    std::optional<Run> stored;
    {
        auto lock = run.project.writeLock();
        auto got = RunRepository(run.project.writer()).get(runId);
        if (!got)
            return got.error();
        stored = *got;
    }
    if (!stored || stored->kind != "train")
        return makeError("train: run " + std::to_string(runId) + " is not a training run");
    if (stored->status == RunStatus::Succeeded)
        return makeError("train: run " + std::to_string(stored->id) + " has already finished");
    try {
        const json config = json::parse(stored->config);
        run.modelDir = config.at("model_dir").get<std::string>();
        auto trainConfig = trainConfigFromJson(config.at("train"));
        if (!trainConfig)
            return makeError("train: run " + std::to_string(stored->id) + ": " + trainConfig.error().message);
        run.config = *trainConfig;
    } catch (const json::exception& e) {
        return makeError("train: run " + std::to_string(stored->id) + " has an unreadable config: " + e.what());
    }
    run.runId = stored->id;
    run.runName = stored->name;
    return {};
}

// Adds this resume to the run's config JSON: "resumes": [{"at": unix ms, "from_step": N}, ...].
Status recordResume(TrainRun& run)
{
    auto lock = run.project.writeLock();
    RunRepository runs(run.project.writer());
    auto stored = runs.get(run.runId);
    if (!stored)
        return stored.error();
    if (!*stored)
        return makeError("train: run " + std::to_string(run.runId) + " does not exist");
    json config = json::parse((*stored)->config, nullptr, false);
    if (!config.is_object())
        return makeError("train: run " + std::to_string(run.runId) + " has an unreadable config");
    if (!config.contains("resumes") || !config["resumes"].is_array())
        config["resumes"] = json::array();
    config["resumes"].push_back({{"at", unixMillisNow()}, {"from_step", run.state.step}});
    return runs.setConfig(run.runId, config.dump());
}

// A new run record for the params' model and config.
Status createRun(TrainRun& run)
{
    if (auto v = validateTrainConfig(run.params.config); !v)
        return makeError("train: " + v.error().message);
    run.modelDir = fs::absolute(run.params.modelDir);
    run.config = run.params.config;
    Run record;
    record.kind = "train";
    record.name = run.params.runName.empty() ? run.modelDir.filename().string() : run.params.runName;
    record.config = json {{"model_dir", run.modelDir.string()}, {"train", trainConfigToJson(run.config)}}.dump();
    auto lock = run.project.writeLock();
    if (auto c = RunRepository(run.project.writer()).create(record); !c)
        return c;
    run.runId = record.id;
    return {};
}

// The trainable parameters: every weight (full-parameter mode, all on the device), or LoRA's A (r, in)
// and B (out, r) per target projection, with the base moved to the device as it is converted.
Expected<std::vector<train::NamedParameter>> makeTrainable(TrainRun& run)
{
    if (run.config.fullParameter) {
        engine::moveWeightsToDevice(run.weights, run.where.device);
        return train::makeAllTrainable(run.weights, run.model);
    }
    auto modules = lora::applyLora(run.weights, run.model, run.config.lora, run.config.quantizeBase, run.loraOptions);
    if (!modules)
        return modules.error();
    run.modules = std::move(*modules);
    engine::moveWeightsToDevice(run.weights, run.where.device); // embedding, norms, lm_head
    lora::setLoraTraining(run.modules, true);
    std::vector<train::NamedParameter> params;
    for (const auto& m : run.modules) {
        params.push_back({m.name + ".lora_A.weight", m.layer->loraA()});
        params.push_back({m.name + ".lora_B.weight", m.layer->loraB()});
    }
    return params;
}

// One split's examples → rows of at most maxSeqLen tokens (packed when the config says so). Examples
// that cannot be encoded are skipped and counted in `stats`: one bad row does not stop a run.
Expected<std::vector<SftRow>> buildRows(TrainRun& run, Split split, SftDataStats* stats)
{
    auto reader = run.project.openReader();
    if (!reader)
        return reader.error();
    ExampleRepository repo(*reader);
    auto examples = loadSplitExamples(repo, split);
    if (!examples)
        return examples.error();
    auto options = sftDataOptions(run.config);
    options.skipFailedExamples = true;
    options.cancel = run.cancel;
    auto data = buildSftDataset(*examples, *run.tokenizer, *run.chatTemplate, options);
    if (!data)
        return data.error();
    if (stats)
        *stats = data->stats;
    return run.config.packing ? packSequences(data->sequences, run.config.maxSeqLen) : unpackedRows(data->sequences);
}

} // namespace

Status openRun(TrainRun& run)
{
    auto opened = run.params.resumeRunId ? reopenRun(run, *run.params.resumeRunId) : createRun(run);
    if (!opened)
        return opened;
    run.result.runId = run.runId;
    run.runDir = run.project.assetDir() / "runs" / std::to_string(run.runId);
    run.runDirRelative = (run.project.assetDir().filename() / "runs" / std::to_string(run.runId)).string();
    return {};
}

Status findResumeCheckpoint(TrainRun& run)
{
    if (!run.params.resumeRunId)
        return {};
    Expected<ResumePoint> point = [&] {
        auto lock = run.project.writeLock();
        return findResumePoint(run.project.writer(), run.project.path(), run.runId);
    }();
    if (!point)
        return point.error();
    if (!point->checkpointDir && !run.params.restartWithoutCheckpoint)
        return makeError("train: " + noCheckpointReason(*point, run.runName, run.runId));
    run.resumeCheckpoint = point->checkpointDir;
    return {};
}

Status recordRunStatus(TrainRun& run, RunStatus status, const std::string& error)
{
    auto lock = run.project.writeLock();
    return RunRepository(run.project.writer()).setStatus(run.runId, status, error);
}

Status loadModel(TrainRun& run)
{
    const TrainConfig& config = run.config;
    run.progress.report({0, config.maxSteps, "Loading " + run.modelDir.string()});
    engine::setComputeThreads(config.threads);
    torch::manual_seed(config.seed);
    auto model = loadModelConfig(run.modelDir);
    if (!model)
        return model.error();
    run.model = *model;
    auto tokenizer = Tokenizer::loadFromPath(run.modelDir);
    if (!tokenizer)
        return tokenizer.error();
    run.tokenizer = std::move(*tokenizer);
    ChatTemplateLoadFailure templateFailure;
    auto chatTemplate = loadModelChatTemplate(run.modelDir, &templateFailure);
    if (!chatTemplate && !templateFailure.unparsable)
        return makeError(run.modelDir.string() + ": no chat template: " + templateFailure.detail);
    if (!chatTemplate)
        return makeError(templateFailure.origin.string() + ": " + templateFailure.detail);
    run.chatTemplate = std::move(chatTemplate->chatTemplate);
    auto file = SafetensorsModel::open(run.modelDir);
    if (!file)
        return file.error();
    run.checkpointFile = *file;
    auto where = train::resolveTrainDevice(config);
    if (!where)
        return where.error();
    run.where = *where;
    run.progress.report({0, config.maxSteps, "Loading " + run.modelDir.string() + " on " + run.where.describe()});
    // Loaded on the CPU (memory-mapped when the file has the compute dtype); the projections move to the
    // device as they are converted (NF4 codes only, under QLoRA), the rest after.
    auto weights = engine::loadTransformerWeights(run.checkpointFile, run.model, run.where.dtype, false, run.cancel);
    if (!weights)
        return weights.error();
    run.weights = std::move(*weights);
    run.loraOptions.seed = config.seed;
    run.loraOptions.device = run.where.device;
    run.loraOptions.cancel = run.cancel;
    if (config.quantizeBase && !config.fullParameter)
        run.progress.report({0, config.maxSteps, "Quantizing the base model to NF4"});
    auto params = makeTrainable(run);
    if (!params)
        return params.error();
    run.optimizer = std::make_unique<train::AdamW>(std::move(*params), config.adamBeta1, config.adamBeta2,
                                                   config.adamEps, config.weightDecay);
    run.forward = std::make_unique<train::TrainForward>(run.model, run.weights, run.where.device);
    return {};
}

Status buildData(TrainRun& run)
{
    run.progress.report({0, run.config.maxSteps, "Building the training data"});
    auto trainRows = buildRows(run, Split::Train, &run.trainStats);
    if (!trainRows)
        return trainRows.error();
    if (trainRows->empty())
        return makeError("train: no usable training examples in the train split ("
                         + std::to_string(run.trainStats.examples) + " examples, "
                         + std::to_string(run.trainStats.dropped()) + " dropped)");
    auto evalRows = buildRows(run, Split::Eval, nullptr);
    if (!evalRows)
        return evalRows.error();
    run.evalRows = std::move(*evalRows);
    run.padId = defaultPadId(*run.tokenizer);
    run.trainBatches
        = std::make_unique<SftBatchIterator>(std::move(*trainRows), run.config.microBatch, run.config.seed, run.padId);
    return {};
}

Status resumeFromCheckpoint(TrainRun& run)
{
    if (!run.params.resumeRunId)
        return {};
    if (const auto& dir = run.resumeCheckpoint) {
        auto loaded = train::loadCheckpoint(*dir, *run.optimizer);
        if (!loaded)
            return loaded.error();
        run.state = *loaded;
        auto position = SftBatchPosition::fromJson(run.state.dataPosition);
        if (!position)
            return makeError(dir->string() + ": " + position.error().message);
        if (auto sk = run.trainBatches->seek(*position); !sk)
            return makeError(dir->string() + ": " + sk.error().message);
        run.result.checkpointDir = *dir;
    }
    if (auto recorded = recordResume(run); !recorded)
        return recorded;
    auto lock = run.project.writeLock();
    return RunRepository(run.project.writer()).truncateMetrics(run.runId, run.state.step);
}

} // namespace ts

// TrainJob::run — the training loop, top to bottom (see train_job.h for what it records):
//   1. the run record (new, or the one being resumed, whose stored config wins)
//   2. the model: config, tokenizer, chat template, weights; LoRA on the targets (NF4 base),
//      or every weight trainable in full-parameter mode
//   3. the data: train split → chat-template renders → masked sequences → micro-batches
//   4. AdamW + schedule; on resume, the newest checkpoint restores params, moments, RNG, data
//   5. per optimizer step: gradAccum micro-batches, loss normalised by the step's learned
//      tokens, grad norm and clipping, AdamW; metrics into the project file; eval and
//      checkpoints on their cadence; cancel → checkpoint and stop
//   6. the adapter in PEFT format (full-parameter: a Hugging Face model folder), registered as
//      an artifact
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/model_weights.h"
#include "engine/threads.h"
#include "export/peft_adapter.h"
#include "lora/apply_lora.h"
#include "model/chat_template.h"
#include "model/model_config.h"
#include "model/safetensors.h"
#include "model/tokenizer.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "train/adamw.h"
#include "train/checkpoint.h"
#include "train/full_parameter.h"
#include "train/lr_schedule.h"
#include "train/batch_iterator.h"
#include "train/sequence_packing.h"
#include "train/sft_dataset.h"
#include "train/train_config_json.h"
#include "train/train_device.h"
#include "train/train_forward.h"
#include "train/train_job.h"

namespace ts {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Everything the loop works on, built by setup().
struct Session
{
    int64_t runId = 0;
    fs::path modelDir;
    TrainConfig config;
    fs::path runDir; // <project>.assets/runs/<id>
    std::string runDirRelative; // the same, relative to the project file's folder

    train::TrainDevice where; // device and compute dtype
    ModelConfig model;
    std::shared_ptr<SafetensorsModel> checkpointFile;
    engine::TransformerWeights weights;
    std::vector<lora::LoraModule> modules;
    std::unique_ptr<train::AdamW> optimizer;
    std::unique_ptr<train::TrainForward> forward;

    std::unique_ptr<SftBatchIterator> trainBatches;
    std::vector<SftRow> evalRows;
    int32_t padId = 0;
    SftDataStats trainStats;
};

Status recordRunStatus(Project& project, int64_t runId, RunStatus status, const std::string& error = {})
{
    auto lock = project.writeLock();
    return RunRepository(project.writer()).setStatus(runId, status, error);
}

// The newest checkpoint folder of a run that still exists on disk.
std::optional<fs::path> newestCheckpoint(Project& project, int64_t runId)
{
    auto lock = project.writeLock();
    auto list = RunRepository(project.writer()).artifacts(runId, "checkpoint");
    if (!list)
        return std::nullopt;
    const fs::path base = project.path().parent_path();
    for (auto it = list->rbegin(); it != list->rend(); ++it)
        if (fs::exists(base / it->path / "trainer_state.json"))
            return base / it->path;
    return std::nullopt;
}

// Mean NLL per learned token over the eval rows (dropout off, no autograd).
double evalLoss(Session& s)
{
    if (s.evalRows.empty())
        return std::nan("");
    torch::NoGradGuard noGrad;
    lora::setLoraTraining(s.modules, false);
    SftBatchIterator batches(s.evalRows, s.config.microBatch, 0, s.padId, /*shuffle*/ false);
    double sum = 0;
    int64_t count = 0;
    for (int64_t i = 0; i < batches.batchesPerEpoch(); ++i) {
        const auto tensors = train::toTensors(batches.next(), s.model, s.where.device);
        if (tensors.learnedTokens == 0)
            continue;
        sum += s.forward->lossSum(tensors, false).item<double>();
        count += tensors.learnedTokens;
    }
    lora::setLoraTraining(s.modules, true);
    return count ? sum / static_cast<double>(count) : std::nan("");
}

Expected<std::vector<SftRow>> buildRows(Project& project, Split split, const Tokenizer& tokenizer,
                                        const ChatTemplate& chatTemplate, const TrainConfig& config,
                                        SftDataStats* stats)
{
    auto reader = project.openReader();
    if (!reader)
        return reader.error();
    ExampleRepository repo(*reader);
    auto examples = loadSplitExamples(repo, split);
    if (!examples)
        return examples.error();
    auto options = sftDataOptions(config);
    options.skipFailedExamples = true; // reported in the stats; a run is not stopped by one bad row
    auto data = buildSftDataset(*examples, tokenizer, chatTemplate, options);
    if (!data)
        return data.error();
    if (stats)
        *stats = data->stats;
    return config.packing ? packSequences(data->sequences, config.maxSeqLen) : unpackedRows(data->sequences);
}

} // namespace

TrainJob::TrainJob(TrainJobParams params)
    : m_params(std::move(params))
{ }

TrainJob::~TrainJob() = default;

std::string TrainJob::title() const
{
    return m_params.resumeRunId ? "Resuming training run " + std::to_string(*m_params.resumeRunId)
                                : "Training on " + m_params.modelDir.filename().string();
}

Status TrainJob::run(const CancelToken& cancel, ProgressSink& progress)
{
    if (!m_params.project)
        return makeError("train: no project");
    Project& project = *m_params.project;
    Session s;

    // 1. The run record ---------------------------------------------------------------------
    if (m_params.resumeRunId) {
        std::optional<Run> run;
        {
            auto lock = project.writeLock();
            auto got = RunRepository(project.writer()).get(*m_params.resumeRunId);
            if (!got)
                return got.error();
            run = *got;
        }
        if (!run || run->kind != "train")
            return makeError("train: run " + std::to_string(*m_params.resumeRunId) + " is not a training run");
        if (run->status == RunStatus::Succeeded)
            return makeError("train: run " + std::to_string(run->id) + " has already finished");
        try {
            const json stored = json::parse(run->config);
            s.modelDir = stored.at("model_dir").get<std::string>();
            auto config = trainConfigFromJson(stored.at("train"));
            if (!config)
                return makeError("train: run " + std::to_string(run->id) + ": " + config.error().message);
            s.config = *config;
        } catch (const json::exception& e) {
            return makeError("train: run " + std::to_string(run->id) + " has an unreadable config: " + e.what());
        }
        s.runId = run->id;
    } else {
        if (auto v = validateTrainConfig(m_params.config); !v)
            return makeError("train: " + v.error().message);
        s.modelDir = fs::absolute(m_params.modelDir);
        s.config = m_params.config;
        Run run;
        run.kind = "train";
        run.name = m_params.runName.empty() ? s.modelDir.filename().string() : m_params.runName;
        run.config = json {{"model_dir", s.modelDir.string()}, {"train", trainConfigToJson(s.config)}}.dump();
        auto lock = project.writeLock();
        if (auto c = RunRepository(project.writer()).create(run); !c)
            return c;
        s.runId = run.id;
    }
    m_runId = s.runId;
    m_result.runId = s.runId;
    s.runDir = project.assetDir() / "runs" / std::to_string(s.runId);
    s.runDirRelative = (project.assetDir().filename() / "runs" / std::to_string(s.runId)).string();
    if (auto st = recordRunStatus(project, s.runId, RunStatus::Running); !st)
        return st;

    auto fail = [&](const std::string& message) -> Status {
        (void)recordRunStatus(project, s.runId, RunStatus::Failed, message);
        return makeError(message);
    };

    try {
        // 2. The model ------------------------------------------------------------------------
        progress.report({0, s.config.maxSteps, "Loading " + s.modelDir.string()});
        engine::setComputeThreads(s.config.threads);
        torch::manual_seed(s.config.seed);
        auto model = loadModelConfig(s.modelDir);
        if (!model)
            return fail(model.error().message);
        s.model = *model;
        auto tokenizer = Tokenizer::loadFromPath(s.modelDir);
        if (!tokenizer)
            return fail(tokenizer.error().message);
        auto templateFiles = loadChatTemplateFiles(s.modelDir);
        if (!templateFiles)
            return fail(s.modelDir.string() + ": no chat template: " + templateFiles.error().message);
        auto chatTemplate = ChatTemplate::parse(templateFiles->source);
        if (!chatTemplate)
            return fail(templateFiles->origin.string() + ": " + chatTemplate.error().message);
        auto file = SafetensorsModel::open(s.modelDir);
        if (!file)
            return fail(file.error().message);
        s.checkpointFile = *file;
        auto where = train::resolveTrainDevice(s.config);
        if (!where)
            return fail(where.error().message);
        s.where = *where;
        progress.report({0, s.config.maxSteps, "Loading " + s.modelDir.string() + " on " + s.where.describe()});
        // Loaded on the CPU (memory-mapped when the file has the compute dtype); the projections
        // move to the device as they are converted (NF4 codes only, under QLoRA), the rest after.
        auto weights = engine::loadTransformerWeights(s.checkpointFile, s.model, s.where.dtype, false);
        if (!weights)
            return fail(weights.error().message);
        s.weights = std::move(*weights);
        std::vector<train::NamedParameter> params;
        lora::ApplyLoraOptions loraOptions;
        loraOptions.seed = s.config.seed;
        loraOptions.device = s.where.device;
        if (s.config.fullParameter) {
            engine::moveWeightsToDevice(s.weights, s.where.device);
            auto all = train::makeAllTrainable(s.weights, s.model);
            if (!all)
                return fail(all.error().message);
            params = std::move(*all);
        } else {
            auto modules = lora::applyLora(s.weights, s.model, s.config.lora, s.config.quantizeBase, loraOptions);
            if (!modules)
                return fail(modules.error().message);
            s.modules = std::move(*modules);
            engine::moveWeightsToDevice(s.weights, s.where.device); // embedding, norms, lm_head
            lora::setLoraTraining(s.modules, true);
            for (const auto& m : s.modules) {
                params.push_back({m.name + ".lora_A.weight", m.layer->loraA()});
                params.push_back({m.name + ".lora_B.weight", m.layer->loraB()});
            }
        }
        s.optimizer = std::make_unique<train::AdamW>(std::move(params), s.config.adamBeta1, s.config.adamBeta2,
                                                     s.config.adamEps, s.config.weightDecay);
        s.forward = std::make_unique<train::TrainForward>(s.model, s.weights, s.where.device);

        // 3. The data -------------------------------------------------------------------------
        auto trainRows = buildRows(project, Split::Train, *tokenizer, *chatTemplate, s.config, &s.trainStats);
        if (!trainRows)
            return fail(trainRows.error().message);
        if (trainRows->empty())
            return fail("train: no usable training examples in the train split ("
                        + std::to_string(s.trainStats.examples) + " examples, " + std::to_string(s.trainStats.dropped())
                        + " dropped)");
        auto evalRows = buildRows(project, Split::Eval, *tokenizer, *chatTemplate, s.config, nullptr);
        if (!evalRows)
            return fail(evalRows.error().message);
        s.evalRows = std::move(*evalRows);
        s.padId = defaultPadId(*tokenizer);
        s.trainBatches
            = std::make_unique<SftBatchIterator>(std::move(*trainRows), s.config.microBatch, s.config.seed, s.padId);

        // 4. Resume ---------------------------------------------------------------------------
        train::TrainerState state;
        if (m_params.resumeRunId) {
            if (auto dir = newestCheckpoint(project, s.runId)) {
                auto loaded = train::loadCheckpoint(*dir, *s.optimizer);
                if (!loaded)
                    return fail(loaded.error().message);
                state = *loaded;
                auto position = SftBatchPosition::fromJson(state.dataPosition);
                if (!position)
                    return fail(dir->string() + ": " + position.error().message);
                if (auto sk = s.trainBatches->seek(*position); !sk)
                    return fail(dir->string() + ": " + sk.error().message);
                m_result.checkpointDir = *dir;
            }
            auto lock = project.writeLock();
            if (auto t = RunRepository(project.writer()).truncateMetrics(s.runId, state.step); !t)
                return fail(t.error().message);
        }

        auto checkpoint = [&]() -> Status {
            state.dataPosition = s.trainBatches->position().toJson();
            const fs::path dir = s.runDir / ("checkpoint-" + std::to_string(state.step));
            if (auto c = train::saveCheckpoint(dir, *s.optimizer, state); !c)
                return c;
            Artifact a;
            a.runId = s.runId;
            a.kind = "checkpoint";
            a.path = s.runDirRelative + "/checkpoint-" + std::to_string(state.step);
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(dir, ec))
                a.bytes += static_cast<int64_t>(entry.file_size(ec));
            m_result.checkpointDir = dir;
            auto lock = project.writeLock();
            return RunRepository(project.writer()).addArtifact(a);
        };

        // 5. The loop -------------------------------------------------------------------------
        const auto started = Clock::now();
        const int64_t firstStep = state.step;
        int64_t tokensSinceStart = 0;
        while (state.step < s.config.maxSteps) {
            const auto stepStart = Clock::now();
            // The step's micro-batches first: the loss is normalised by all their learned tokens.
            std::vector<train::BatchTensors> micro;
            int64_t learned = 0, tokens = 0;
            for (int i = 0; i < s.config.gradAccum; ++i) {
                micro.push_back(train::toTensors(s.trainBatches->next(), s.model, s.where.device));
                learned += micro.back().learnedTokens;
                tokens += micro.back().tokens;
            }
            s.optimizer->zeroGrad();
            double lossSum = 0;
            for (const auto& batch : micro) {
                if (cancel.stopRequested())
                    break;
                if (batch.learnedTokens == 0)
                    continue;
                auto loss = s.forward->lossSum(batch, s.config.gradientCheckpointing);
                lossSum += loss.item<double>();
                (loss / static_cast<double>(std::max<int64_t>(learned, 1))).backward();
            }
            if (cancel.stopRequested())
                break; // the unfinished step is dropped; the checkpoint below is at state.step

            const double gradNorm = s.optimizer->gradNorm();
            s.optimizer->clipGradNorm(s.config.maxGradNorm, gradNorm);
            const double lr = learningRateAt(s.config, state.step);
            s.optimizer->step(lr);
            ++state.step;
            state.tokensSeen += tokens;
            tokensSinceStart += tokens;
            state.loss = lossSum / static_cast<double>(std::max<int64_t>(learned, 1));

            TrainStepLog log;
            log.step = state.step;
            log.totalSteps = s.config.maxSteps;
            log.loss = state.loss;
            log.learningRate = lr;
            log.gradNorm = gradNorm;
            log.tokensPerSecond = static_cast<double>(tokens) / std::max(1e-9, secondsSince(stepStart));
            log.tokensSeen = state.tokensSeen;
            log.elapsedSeconds = secondsSince(started);
            if (s.config.evalEvery > 0 && (state.step % s.config.evalEvery == 0 || state.step == s.config.maxSteps)
                && !s.evalRows.empty())
                log.evalLoss = evalLoss(s);

            if (state.step % s.config.logEvery == 0 || log.evalLoss || state.step == s.config.maxSteps) {
                std::vector<MetricPoint> points = {
                    {0, s.runId, state.step, "train/loss", log.loss, 0},
                    {0, s.runId, state.step, "lr", lr, 0},
                    {0, s.runId, state.step, "grad_norm", gradNorm, 0},
                    {0, s.runId, state.step, "tokens_per_s", log.tokensPerSecond, 0},
                };
                if (log.evalLoss && std::isfinite(*log.evalLoss))
                    points.push_back({0, s.runId, state.step, "eval/loss", *log.evalLoss, 0});
                {
                    auto lock = project.writeLock();
                    if (auto w = RunRepository(project.writer()).addMetrics(points); !w)
                        return fail(w.error().message);
                }
                if (m_params.onStep)
                    m_params.onStep(log);
            }
            const double perStep = secondsSince(started) / static_cast<double>(state.step - firstStep);
            std::ostringstream message;
            message << "Step " << state.step << "/" << s.config.maxSteps << " · loss " << state.loss << " · "
                    << static_cast<int64_t>(log.tokensPerSecond) << " tok/s · "
                    << static_cast<int64_t>(perStep * static_cast<double>(s.config.maxSteps - state.step)) << " s left";
            progress.report({state.step, s.config.maxSteps, message.str()});

            if (s.config.checkpointEvery > 0 && state.step % s.config.checkpointEvery == 0
                && state.step < s.config.maxSteps)
                if (auto c = checkpoint(); !c)
                    return fail(c.error().message);
            if (m_params.stopAfterStep && state.step >= *m_params.stopAfterStep && state.step < s.config.maxSteps)
                break;
        }
        m_result.steps = state.step;
        m_result.finalLoss = state.loss;

        if (state.step < s.config.maxSteps) {
            // Cancelled (or stopped on request): keep a checkpoint to resume from.
            if (auto c = checkpoint(); !c)
                return fail(c.error().message);
            m_result.cancelled = true;
            (void)recordRunStatus(project, s.runId, RunStatus::Cancelled);
            return cancelledError();
        }

        // 6. The adapter (or, in full-parameter mode, the model) ------------------------------
        if (s.config.fullParameter) {
            const fs::path modelOut = s.runDir / "model";
            if (auto w = train::saveHfModel(modelOut, s.optimizer->params(), s.model, s.modelDir); !w)
                return fail(w.error().message);
            Artifact a;
            a.runId = s.runId;
            a.kind = "model";
            a.path = s.runDirRelative + "/model";
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(modelOut, ec))
                a.bytes += static_cast<int64_t>(entry.file_size(ec));
            {
                auto lock = project.writeLock();
                if (auto r = RunRepository(project.writer()).addArtifact(a); !r)
                    return fail(r.error().message);
            }
            m_result.outputDir = modelOut;
            if (auto st = recordRunStatus(project, s.runId, RunStatus::Succeeded); !st)
                return st;
            progress.report({state.step, s.config.maxSteps, "Finished: model in " + modelOut.string()});
            return {};
        }
        std::vector<PeftLoraModule> out;
        for (const auto& m : s.modules) {
            auto a = m.layer->loraA().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
            auto b = m.layer->loraB().detach().to(torch::kCPU).to(torch::kFloat).contiguous();
            out.push_back({m.name, m.layer->inFeatures(), m.layer->outFeatures(),
                           std::vector<float>(a.data_ptr<float>(), a.data_ptr<float>() + a.numel()),
                           std::vector<float>(b.data_ptr<float>(), b.data_ptr<float>() + b.numel())});
        }
        const fs::path adapterDir = s.runDir / "adapter";
        if (auto w = writePeftAdapter(adapterDir, s.config.lora, s.modelDir.string(), out); !w)
            return fail(w.error().message);
        {
            // How it was trained, so the engine merges it onto the same (NF4) base.
            std::ofstream info(adapterDir / kAdapterTrainingInfoFile);
            info << json {{"run_id", s.runId},
                          {"quantize_base", s.config.quantizeBase},
                          {"blocksize", loraOptions.blocksize},
                          {"double_quant", loraOptions.doubleQuant},
                          {"steps", state.step},
                          {"final_loss", state.loss}}
                        .dump(2)
                 << '\n';
            if (!info)
                return fail("cannot write " + (adapterDir / kAdapterTrainingInfoFile).string());
        }
        Artifact a;
        a.runId = s.runId;
        a.kind = "adapter";
        a.path = s.runDirRelative + "/adapter";
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(adapterDir, ec))
            a.bytes += static_cast<int64_t>(entry.file_size(ec));
        {
            auto lock = project.writeLock();
            if (auto r = RunRepository(project.writer()).addArtifact(a); !r)
                return fail(r.error().message);
        }
        m_result.outputDir = adapterDir;
        if (auto st = recordRunStatus(project, s.runId, RunStatus::Succeeded); !st)
            return st;
        progress.report({state.step, s.config.maxSteps, "Finished: adapter in " + adapterDir.string()});
        return {};
    } catch (const c10::Error& e) {
        return fail(std::string("train: ") + e.what_without_backtrace());
    } catch (const std::exception& e) {
        return fail(std::string("train: ") + e.what());
    }
}

} // namespace ts

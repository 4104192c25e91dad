// CLI commands for training: train (a new run or a resumed one) and runs (what a project holds).
//   tunesmith-cli train --project FILE --model DIR [--preset NAME] [--config FILE.json] [flags]
//   tunesmith-cli train --project FILE --resume RUN_ID [--restart]
// One JSON line per logged step on stdout, then one JSON object with the run's outcome.
#include <iostream>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/json_file.h"
#include "jobs/job_runner.h"
#include "model/model_config.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "train/memory_estimate.h"
#include "train/presets.h"
#include "train/resume_point.h"
#include "train/train_config_json.h"
#include "train/train_job.h"

namespace tscli {

namespace {

using json = nlohmann::json;

// Hyperparameter flags → the JSON field names of trainConfigFromJson.
struct FlagField
{
    const char* flag;
    const char* field;
    enum Kind { Int, Real, Text, List } kind;
};

constexpr FlagField kFields[] = {
    {"--lora-r", "lora_r", FlagField::Int},
    {"--lora-alpha", "lora_alpha", FlagField::Real},
    {"--lora-dropout", "lora_dropout", FlagField::Real},
    {"--targets", "target_modules", FlagField::List},
    {"--max-seq-len", "max_seq_len", FlagField::Int},
    {"--over-long", "over_long", FlagField::Text},
    {"--micro-batch", "micro_batch", FlagField::Int},
    {"--grad-accum", "grad_accum", FlagField::Int},
    {"--max-steps", "max_steps", FlagField::Int},
    {"--lr", "learning_rate", FlagField::Real},
    {"--schedule", "schedule", FlagField::Text},
    {"--warmup-ratio", "warmup_ratio", FlagField::Real},
    {"--weight-decay", "weight_decay", FlagField::Real},
    {"--adam-beta1", "adam_beta1", FlagField::Real},
    {"--adam-beta2", "adam_beta2", FlagField::Real},
    {"--adam-eps", "adam_eps", FlagField::Real},
    {"--max-grad-norm", "max_grad_norm", FlagField::Real},
    {"--log-every", "log_every", FlagField::Int},
    {"--eval-every", "eval_every", FlagField::Int},
    {"--checkpoint-every", "checkpoint_every", FlagField::Int},
    {"--seed", "seed", FlagField::Int},
    {"--threads", "threads", FlagField::Int},
    {"--device", "device", FlagField::Text},
    {"--dtype", "compute_dtype", FlagField::Text},
};

ts::Expected<ts::TrainConfig> configFromOptions(const Options& opts)
{
    ts::TrainConfig config;
    if (auto preset = opts.value("--preset")) {
        auto p = ts::trainPreset(*preset);
        if (!p) {
            std::string names;
            for (const auto& n : ts::trainPresetNames())
                names += (names.empty() ? "" : ", ") + n;
            return ts::makeError("--preset: unknown preset \"" + *preset + "\" (" + names + ")");
        }
        config = *p;
    }
    if (auto file = opts.value("--config")) {
        auto j = ts::readJsonFile(*file);
        if (!j)
            return ts::makeError("--config: " + j.error().message);
        auto c = ts::trainConfigFromJson(*j, config);
        if (!c)
            return ts::makeError(*file + ": " + c.error().message);
        config = *c;
    }
    json overrides = json::object();
    for (const auto& f : kFields) {
        auto v = opts.value(f.flag);
        if (!v)
            continue;
        switch (f.kind) {
        case FlagField::Int: {
            int64_t n = 0;
            if (!parseNumber(*v, n))
                return ts::makeError(std::string(f.flag) + " expects an integer");
            overrides[f.field] = n;
            break;
        }
        case FlagField::Real: {
            double x = 0;
            if (!parseNumber(*v, x))
                return ts::makeError(std::string(f.flag) + " expects a number");
            overrides[f.field] = x;
            break;
        }
        case FlagField::Text:
            overrides[f.field] = *v;
            break;
        case FlagField::List: {
            json list = json::array();
            size_t start = 0;
            while (start <= v->size()) {
                const size_t comma = v->find(',', start);
                const auto item = v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!item.empty())
                    list.push_back(item);
                if (comma == std::string::npos)
                    break;
                start = comma + 1;
            }
            overrides[f.field] = list;
            break;
        }
        }
    }
    if (opts.flag("--full-parameter"))
        overrides["full_parameter"] = true;
    if (opts.flag("--no-quantize"))
        overrides["quantize_base"] = false;
    if (opts.flag("--rslora"))
        overrides["use_rslora"] = true;
    if (opts.flag("--packing"))
        overrides["packing"] = true;
    if (opts.flag("--gradient-checkpointing"))
        overrides["gradient_checkpointing"] = true;
    if (opts.flag("--no-gradient-checkpointing"))
        overrides["gradient_checkpointing"] = false;
    auto c = ts::trainConfigFromJson(overrides, config);
    if (!c)
        return ts::makeError(c.error().message);
    return *c;
}

int commandTrain(const Args& args)
{
    Options opts(args, 0,
                 {"--estimate", "--dry-run", "--full-parameter", "--no-quantize", "--rslora", "--packing",
                  "--gradient-checkpointing", "--no-gradient-checkpointing", "--restart"});
    if (!opts.ok())
        return fail("train: " + opts.error(), 2);
    const auto projectPath = opts.value("--project");
    if (!projectPath && !opts.flag("--estimate"))
        return fail("train: --project FILE is required", 2);
    ts::TrainJobParams params;
    if (auto resume = opts.value("--resume")) {
        int64_t id = 0;
        if (!parseNumber(*resume, id) || id <= 0)
            return fail("train: --resume expects a run id", 2);
        params.resumeRunId = id;
        params.restartWithoutCheckpoint = opts.flag("--restart");
    } else {
        const auto model = opts.value("--model");
        if (!model)
            return fail("train: --model DIR is required (or --resume RUN_ID)", 2);
        params.modelDir = *model;
        auto config = configFromOptions(opts);
        if (!config)
            return fail("train: " + config.error().message, 2);
        params.config = *config;
        params.runName = opts.value("--name").value_or("");
    }
    if (auto stop = opts.value("--stop-after")) {
        int64_t step = 0;
        if (!parseNumber(*stop, step) || step <= 0)
            return fail("train: --stop-after expects a step number", 2);
        params.stopAfterStep = step;
    }

    if (opts.flag("--dry-run")) {
        // The settings the run would get, resolved from preset, config file and flags; nothing is opened or trained.
        json out = {{"dry_run", true}, {"project", *projectPath}};
        if (params.resumeRunId)
            out["resume"] = *params.resumeRunId;
        else
            out.update({{"model", params.modelDir.string()},
                        {"name", params.runName},
                        {"config", ts::trainConfigToJson(params.config)}});
        if (params.stopAfterStep)
            out["stop_after"] = *params.stopAfterStep;
        return printJson(out);
    }

    if (opts.flag("--estimate")) {
        // The memory estimate the Training page shows, for this model, these settings and the
        // device the run would use (--device auto: a CUDA GPU when one is visible).
        auto model = ts::loadModelConfig(params.modelDir);
        if (!model)
            return fail("train: " + model.error().message);
        const auto& c = params.config;
        const bool cuda = c.device.rfind("cuda", 0) == 0 || (c.device == "auto" && ts::cudaDeviceAvailable());
        ts::MemoryEstimateOptions options;
        options.device = cuda ? ts::DeviceKind::Cuda : ts::DeviceKind::Cpu;
        options.dtype = c.computeDtype == "bf16" || (c.computeDtype == "auto" && cuda) ? ts::ComputeDtype::BF16
                                                                                       : ts::ComputeDtype::F32;
        const auto estimate = ts::estimateTrainingMemory(*model, params.config, options);
        json parts = json::array();
        for (const auto& p : estimate.parts)
            parts.push_back({{"name", p.name}, {"bytes", p.bytes}, {"detail", p.detail}});
        return printJson({{"total_bytes", estimate.total},
                          {"total", ts::formatBytes(estimate.total)},
                          {"parts", parts},
                          {"base_parameters", estimate.baseParameters},
                          {"quantized_parameters", estimate.quantizedParameters}});
    }

    auto project = ts::Project::open(*projectPath);
    if (!project)
        return fail(project.error().message);
    params.project = project->get();
    if (params.resumeRunId && !params.restartWithoutCheckpoint) {
        // Said before anything is loaded, with the way on: a run whose checkpoint is gone does not restart silently.
        auto lock = (*project)->writeLock();
        auto point = ts::findResumePoint((*project)->writer(), (*project)->path(), *params.resumeRunId);
        auto run = ts::RunRepository((*project)->writer()).get(*params.resumeRunId);
        // A run another live process drives is refused by the job with its owner named: that comes first.
        if (point && run && *run && (*run)->kind == "train" && (*run)->status != ts::RunStatus::Running
            && !point->checkpointDir)
            return fail("train: " + ts::noCheckpointReason(*point, (*run)->name, (*run)->id)
                        + " Pass --restart to start it again from step 0.");
    }
    params.onStep = [](const ts::TrainStepLog& log) {
        json line = {{"step", log.step},
                     {"total_steps", log.totalSteps},
                     {"loss", log.loss},
                     {"lr", log.learningRate},
                     {"grad_norm", log.gradNorm},
                     {"tokens_per_s", log.tokensPerSecond},
                     {"elapsed_s", log.elapsedSeconds}};
        if (log.evalLoss)
            line["eval_loss"] = *log.evalLoss;
        std::cout << line.dump() << std::endl;
    };
    ts::TrainJob job(params);
    StderrProgress progress;
    auto status = ts::JobRunner::runHere(job, interruptToken(), progress);
    const auto& r = job.result();
    json out = {{"run_id", r.runId}, {"steps", r.steps}, {"final_loss", r.finalLoss}};
    if (ts::isCancelled(status)) {
        out["status"] = "cancelled";
        out["checkpoint"] = r.checkpointDir.string();
        out["resume"] = "tunesmith-cli train --project " + *projectPath + " --resume " + std::to_string(r.runId);
        return printJson(out, 130);
    }
    if (!status)
        return fail("train: " + status.error().message);
    out["status"] = "succeeded";
    out[r.outputDir.filename() == "model" ? "model" : "adapter"] = r.outputDir.string();
    return printJson(out);
}

int commandRuns(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("runs: " + opts.error(), 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::RunRepository runs((*project)->writer());
    auto list = runs.list(opts.value("--kind").value_or(""));
    if (!list)
        return fail(list.error().message);
    json out = json::array();
    for (const auto& run : *list) {
        json item = {{"id", run.id},
                     {"kind", run.kind},
                     {"name", run.name},
                     {"status", std::string(ts::runStatusName(run.status))},
                     {"created_at_ms", run.createdAt}};
        if (!run.error.empty())
            item["error"] = run.error;
        if (run.status == ts::RunStatus::Running && run.lease)
            item["owner"] = {{"pid", run.lease->pid},
                             {"host", run.lease->host},
                             {"heartbeat_age_ms", ts::unixMillisNow() - run.lease->heartbeatMs}};
        if (run.status == ts::RunStatus::Interrupted) // its process died: offer the resume
            item["resume"] = "tunesmith-cli " + std::string(run.kind == "train" ? "train" : "ab") + " --project "
                + opts.positional(0) + " --resume " + std::to_string(run.id);
        auto artifacts = runs.artifacts(run.id);
        if (artifacts) {
            json a = json::array();
            for (const auto& art : *artifacts)
                a.push_back({{"kind", art.kind}, {"path", art.path}, {"bytes", art.bytes}});
            item["artifacts"] = a;
        }
        auto loss = runs.metricsSince(run.id, 0, "train/loss");
        if (loss && !loss->empty())
            item["last"] = {{"step", loss->back().step}, {"train_loss", loss->back().value}};
        out.push_back(item);
    }
    return printJson({{"runs", out}});
}

} // namespace

const CommandRegistration trainCommand(
    "train",
    "  train --project FILE --model DIR [options]\n"
    "                                    (Q)LoRA training on the project's train split; one JSON line per\n"
    "                                    logged step, then {run_id, status, adapter, steps, final_loss}\n"
    "  train --project FILE --resume ID  continue a stopped run from its newest checkpoint\n"
    "      --restart                     with --resume: start the run again from step 0 when none of its\n"
    "                                    checkpoints is on disk (without it, that is an error)\n"
    "      --preset qlora-paper|small-fast   start from a preset; --config FILE.json: field overrides\n"
    "      --lora-r N --lora-alpha A --lora-dropout P --rslora --targets q_proj,k_proj,...\n"
    "      --no-quantize                 keep the base in fp32 (LoRA, not QLoRA)\n"
    "      --full-parameter              train every weight (small models); writes a HF model folder\n"
    "      --max-seq-len N --over-long truncate|drop --packing\n"
    "      --micro-batch N --grad-accum N --max-steps N --lr X --schedule constant|linear|cosine\n"
    "      --warmup-ratio X --weight-decay X --max-grad-norm X --adam-beta1 X --adam-beta2 X --adam-eps X\n"
    "      --gradient-checkpointing | --no-gradient-checkpointing\n"
    "      --log-every N --eval-every N --checkpoint-every N --seed N --threads N --name TEXT\n"
    "      --device auto|cpu|cuda|cuda:N --dtype auto|f32|bf16   (auto: a CUDA GPU in bf16 when visible)\n"
    "      --stop-after STEP             stop after this step with a checkpoint (exit code 130)\n"
    "      --estimate                    print the memory estimate (for --device / --dtype) instead of training\n"
    "      --dry-run                     print the resolved settings as JSON instead of training",
    commandTrain);

const CommandRegistration
    runsCommand("runs", "  runs PROJECT [--kind train]       runs with status, artifacts and last loss", commandRuns);

} // namespace tscli

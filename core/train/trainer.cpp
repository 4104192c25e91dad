// TrainJob::run — one training run, top to bottom (see train_job.h for what it records):
//   1. openRun               the run record (new, or the one being resumed, whose stored config wins);
//                            on resume, findResumeCheckpoint: its newest checkpoint on disk, or an error
//   2. loadModel             config, tokenizer, chat template, weights; LoRA on the targets (NF4 base),
//                            or every weight trainable in full-parameter mode; AdamW
//   3. buildData             train split → chat-template renders → masked sequences → micro-batches
//   4. resumeFromCheckpoint  on resume, the newest checkpoint restores params, moments, RNG, data
//   5. trainSteps            per optimizer step: forward + backward over gradAccum micro-batches (loss
//                            normalised by the step's learned tokens), clip, optimizerStep, logStep;
//                            maybeEvaluate and maybeCheckpoint on their cadence; cancel → checkpoint, stop
//   6. writeOutput           the adapter in PEFT format (full-parameter: a Hugging Face model folder),
//                            registered as an artifact
// The stages live in train_setup.cpp (1-4) and train_output.cpp (6, checkpoints); this file holds the
// flow and the step. Every stage returns an error value; exceptions (c10::Error from torch, others) are
// turned into one at a single boundary, guardStage, as "train: error while <stage>: <what>".
//
// Shapes:
//   A  micro-batches per optimizer step (config.gradAccum)
//   B  rows per micro-batch (config.microBatch; the last of an epoch may have fewer)
//   T  tokens in the micro-batch's longest row (≤ maxSeqLen, unless packing keeps an over-long one)
//   V  vocabulary size; the (B, T, V) logits never exist, only those of learned positions
//   P  trainable parameters: LoRA A (r, in) and B (out, r) per target, or every weight (full-parameter)
#include <chrono>
#include <cmath>
#include <sstream>

#include "store/busy_retry.h"
#include "store/project.h"
#include "store/run_lease.h"
#include "train/lr_schedule.h"
#include "train/train_run.h"

namespace ts {

using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// The one place where exceptions become error values, named after the stage that threw.
template <typename Stage> Status guardStage(const char* stage, Stage&& body)
{
    try {
        return body();
    } catch (const c10::Error& e) {
        return makeError(std::string("train: error while ") + stage + ": " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        return makeError(std::string("train: error while ") + stage + ": " + e.what());
    }
}

// One optimizer step's data: A micro-batches, each (B, T), drawn before any compute so the loss can be
// normalised by all their learned tokens.
struct StepBatches
{
    std::vector<train::BatchTensors> micro;
    int64_t learnedTokens = 0;
    int64_t tokens = 0; // prompt + learned
};

StepBatches nextStepBatches(TrainRun& run)
{
    StepBatches step;
    for (int i = 0; i < run.config.gradAccum; ++i) {
        step.micro.push_back(train::toTensors(run.trainBatches->next(), run.model, run.where.device));
        step.learnedTokens += step.micro.back().learnedTokens;
        step.tokens += step.micro.back().tokens;
    }
    return step;
}

// (B, T) micro-batch → () Σ NLL over its learned tokens, differentiable.
torch::Tensor forward(TrainRun& run, const train::BatchTensors& batch)
{
    return run.forward->lossSum(batch, run.config.gradientCheckpointing);
}

// Accumulates the gradient of the step's mean loss: each micro-batch's sum over all the step's learned tokens.
void backward(const torch::Tensor& lossSum, int64_t stepLearnedTokens)
{
    (lossSum / static_cast<double>(std::max<int64_t>(stepLearnedTokens, 1))).backward();
}

// Forward and backward over the step's micro-batches, adding their loss sums to `lossSum`. False when
// cancelled part way (the gradients are then incomplete and the step is dropped).
bool accumulateGradients(TrainRun& run, const StepBatches& step, const CancelToken& cancel, double& lossSum)
{
    run.optimizer->zeroGrad();
    for (const auto& batch : step.micro) {
        if (cancel.stopRequested())
            break;
        if (batch.learnedTokens == 0)
            continue;
        const torch::Tensor loss = forward(run, batch);
        lossSum += loss.item<double>();
        backward(loss, step.learnedTokens);
    }
    return !cancel.stopRequested();
}

// The global gradient norm over the P parameters before clipping; the gradients are scaled to at most
// maxGradNorm.
double clip(TrainRun& run)
{
    const double gradNorm = run.optimizer->gradNorm();
    run.optimizer->clipGradNorm(run.config.maxGradNorm, gradNorm);
    return gradNorm;
}

// AdamW at the schedule's learning rate for this step; the step is counted. Returns the rate.
double optimizerStep(TrainRun& run, const StepBatches& step, double lossSum)
{
    const double lr = learningRateAt(run.config, run.state.step);
    run.optimizer->step(lr);
    ++run.state.step;
    run.state.tokensSeen += step.tokens;
    run.state.loss = lossSum / static_cast<double>(std::max<int64_t>(step.learnedTokens, 1));
    return lr;
}

TrainStepLog stepLog(const TrainRun& run, const StepBatches& step, double lr, double gradNorm,
                     Clock::time_point stepStart)
{
    TrainStepLog log;
    log.step = run.state.step;
    log.totalSteps = run.config.maxSteps;
    log.loss = run.state.loss;
    log.learningRate = lr;
    log.gradNorm = gradNorm;
    log.tokensPerSecond = static_cast<double>(step.tokens) / std::max(1e-9, secondsSince(stepStart));
    log.tokensSeen = run.state.tokensSeen;
    log.elapsedSeconds = secondsSince(run.started);
    return log;
}

// Mean NLL per learned token over the eval rows, in micro-batches of (B, T) (dropout off, no autograd).
double evaluate(TrainRun& run)
{
    if (run.evalRows.empty())
        return std::nan("");
    torch::NoGradGuard noGrad;
    lora::setLoraTraining(run.modules, false);
    SftBatchIterator batches(run.evalRows, run.config.microBatch, 0, run.padId, /*shuffle*/ false);
    double sum = 0;
    int64_t count = 0;
    for (int64_t i = 0; i < batches.batchesPerEpoch(); ++i) {
        const auto tensors = train::toTensors(batches.next(), run.model, run.where.device);
        if (tensors.learnedTokens == 0)
            continue;
        sum += run.forward->lossSum(tensors, false).item<double>();
        count += tensors.learnedTokens;
    }
    lora::setLoraTraining(run.modules, true);
    return count ? sum / static_cast<double>(count) : std::nan("");
}

// Every evalEvery steps and at the last one, when there are eval rows.
void maybeEvaluate(TrainRun& run, TrainStepLog& log)
{
    const int64_t step = run.state.step;
    if (run.config.evalEvery > 0 && (step % run.config.evalEvery == 0 || step == run.config.maxSteps)
        && !run.evalRows.empty())
        log.evalLoss = evaluate(run);
}

// Every logEvery steps, at evaluations and at the last step: the metrics into the project file, then onStep.
// A busy project file (another process writing) is waited out, said in the progress, never fatal.
Status logStep(TrainRun& run, const TrainStepLog& log, const CancelToken& cancel)
{
    const int64_t step = run.state.step;
    if (!(step % run.config.logEvery == 0 || log.evalLoss || step == run.config.maxSteps))
        return {};
    std::vector<MetricPoint> points = {
        {0, run.runId, step, "train/loss", log.loss, 0},
        {0, run.runId, step, "lr", log.learningRate, 0},
        {0, run.runId, step, "grad_norm", log.gradNorm, 0},
        {0, run.runId, step, "tokens_per_s", log.tokensPerSecond, 0},
    };
    if (log.evalLoss && std::isfinite(*log.evalLoss))
        points.push_back({0, run.runId, step, "eval/loss", *log.evalLoss, 0});
    auto write = [&]() -> Status {
        auto lock = run.project.writeLock();
        return RunRepository(run.project.writer()).addMetrics(points);
    };
    auto onBusy = [&](int attempt, const std::string& message) {
        run.progress.report({step, run.config.maxSteps,
                             "Step " + std::to_string(step)
                                 + ": the project file is busy (another process is writing "
                                   "to it); waiting to store the metrics, attempt "
                                 + std::to_string(attempt) + " (" + message + ")"});
    };
    if (auto w = retryWhileBusy(write, cancel, onBusy); !w)
        return w;
    if (run.params.onStep)
        run.params.onStep(log);
    return {};
}

void reportProgress(TrainRun& run, const TrainStepLog& log)
{
    const int64_t step = run.state.step, maxSteps = run.config.maxSteps;
    const double perStep = secondsSince(run.started) / static_cast<double>(step - run.firstStep);
    std::ostringstream message;
    message << "Step " << step << "/" << maxSteps << " · loss " << run.state.loss << " · "
            << static_cast<int64_t>(log.tokensPerSecond) << " tok/s · "
            << static_cast<int64_t>(perStep * static_cast<double>(maxSteps - step)) << " s left";
    run.progress.report({step, maxSteps, message.str()});
}

// Every checkpointEvery steps, except at the last one (the output follows).
Status maybeCheckpoint(TrainRun& run)
{
    const int64_t step = run.state.step;
    if (run.config.checkpointEvery > 0 && step % run.config.checkpointEvery == 0 && step < run.config.maxSteps)
        return saveRunCheckpoint(run);
    return {};
}

// 5. The optimizer steps, until maxSteps, a cancel (the unfinished step is dropped) or stopAfterStep.
Status trainSteps(TrainRun& run, const CancelToken& cancel)
{
    run.started = Clock::now();
    run.firstStep = run.state.step;
    while (run.state.step < run.config.maxSteps) {
        const auto stepStart = Clock::now();
        const StepBatches step = nextStepBatches(run); // A × (B, T)
        double lossSum = 0;
        if (!accumulateGradients(run, step, cancel, lossSum))
            break;
        const double gradNorm = clip(run);
        const double lr = optimizerStep(run, step, lossSum);
        TrainStepLog log = stepLog(run, step, lr, gradNorm, stepStart);
        maybeEvaluate(run, log);
        if (auto w = logStep(run, log, cancel); !w)
            return w;
        reportProgress(run, log);
        if (auto c = maybeCheckpoint(run); !c)
            return c;
        if (run.lease->lost())
            break;
        const auto& stopAfter = run.params.stopAfterStep;
        if (stopAfter && run.state.step >= *stopAfter && run.state.step < run.config.maxSteps)
            break;
    }
    run.result.steps = run.state.step;
    run.result.finalLoss = run.state.loss;
    return {};
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
    TrainRun run(*m_params.project, m_params, m_result, progress);
    run.cancel = cancel;
    if (auto opened = openRun(run); !opened)
        return opened;
    m_runId = run.runId;
    // Only one process drives a run: a second one (or a second job here) is refused while the owner lives.
    auto lease = RunLease::acquire(run.project.path(), run.runId, cancel);
    if (!lease)
        return lease.error(); // "run 7 is being run by process 1234 on host X (...); cancel it there first"
    run.lease = std::move(*lease);
    if (auto found = findResumeCheckpoint(run); !found)
        return found;
    if (auto st = recordRunStatus(run, RunStatus::Running); !st)
        return st;

    // From here on a failed stage marks the run failed, with its message; one cancelled before the steps (while
    // the model loads, is quantized, or the data is built) marks it cancelled, with nothing written.
    auto attempt = [&](const char* stage, auto&& body) -> Status {
        Status st = guardStage(stage, body);
        if (isCancelled(st)) {
            m_result.cancelled = true;
            (void)recordRunStatus(run, RunStatus::Cancelled);
        } else if (!st) {
            (void)recordRunStatus(run, RunStatus::Failed, st.error().message);
        }
        return st;
    };
    if (auto st = attempt("loading the model", [&] { return loadModel(run); }); !st)
        return st;
    if (auto st = attempt("building the data", [&] { return buildData(run); }); !st)
        return st;
    if (auto st = attempt("resuming from the checkpoint", [&] { return resumeFromCheckpoint(run); }); !st)
        return st;
    if (auto st = attempt("training", [&] { return trainSteps(run, cancel); }); !st)
        return st;
    if (run.lease->lost()) // another process took the run over: its status and files are its own now
        return makeError("train: run " + std::to_string(run.runId)
                         + " was taken over by another process while this one could not reach the project file; "
                           "this process stopped");

    if (run.state.step < run.config.maxSteps) {
        // Cancelled (or stopped on request): keep a checkpoint to resume from.
        if (auto st = attempt("saving a checkpoint", [&] { return saveRunCheckpoint(run); }); !st)
            return st;
        m_result.cancelled = true;
        (void)recordRunStatus(run, RunStatus::Cancelled);
        return cancelledError();
    }

    if (auto st = attempt("writing the output", [&] { return writeOutput(run); }); !st)
        return st;
    if (auto st = recordRunStatus(run, RunStatus::Succeeded); !st)
        return st;
    progress.report({run.state.step, run.config.maxSteps,
                     "Finished: " + outputKind(run.config) + " in " + m_result.outputDir.string()});
    return {};
}

} // namespace ts

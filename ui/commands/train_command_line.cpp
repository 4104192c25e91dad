// The training command line: one flag per TrainConfig field that differs from the default the CLI starts from.
#include "commands/train_command_line.h"

#include "commands/shell_command.h"
#include "train/train_config_json.h"

namespace ts::ui {

namespace {

QString intText(int64_t value)
{
    return QString::number(value);
}

} // namespace

QStringList trainCommandArguments(const QString& projectPath, const QString& modelDir, const ts::TrainConfig& c,
                                  const QString& runName)
{
    const ts::TrainConfig d; // what `tunesmith-cli train` uses without flags
    QStringList args {QStringLiteral("train"), QStringLiteral("--project"), projectPath, QStringLiteral("--model"),
                      modelDir};
    const auto number = [&](const char* flag, double value, double fallback) {
        if (value != fallback)
            args << QLatin1String(flag) << exactNumberText(value);
    };
    const auto integer = [&](const char* flag, int64_t value, int64_t fallback) {
        if (value != fallback)
            args << QLatin1String(flag) << intText(value);
    };
    const auto text = [&](const char* flag, const std::string& value, const std::string& fallback) {
        if (value != fallback)
            args << QLatin1String(flag) << QString::fromStdString(value);
    };
    if (c.fullParameter)
        args << QStringLiteral("--full-parameter");
    if (!c.quantizeBase)
        args << QStringLiteral("--no-quantize");
    integer("--lora-r", c.lora.r, d.lora.r);
    number("--lora-alpha", c.lora.alpha, d.lora.alpha);
    number("--lora-dropout", c.lora.dropout, d.lora.dropout);
    if (c.lora.useRsLora)
        args << QStringLiteral("--rslora");
    if (c.lora.targetModules != d.lora.targetModules) {
        QStringList targets;
        for (const std::string& target : c.lora.targetModules)
            targets << QString::fromStdString(target);
        args << QStringLiteral("--targets") << targets.join(QLatin1Char(','));
    }
    integer("--max-seq-len", c.maxSeqLen, d.maxSeqLen);
    text("--over-long", c.overLong == ts::OverLongPolicy::Truncate ? "truncate" : "drop",
         d.overLong == ts::OverLongPolicy::Truncate ? "truncate" : "drop");
    if (c.packing)
        args << QStringLiteral("--packing");
    integer("--micro-batch", c.microBatch, d.microBatch);
    integer("--grad-accum", c.gradAccum, d.gradAccum);
    integer("--max-steps", c.maxSteps, d.maxSteps);
    number("--lr", c.learningRate, d.learningRate);
    text("--schedule", std::string(ts::lrScheduleName(c.schedule)), std::string(ts::lrScheduleName(d.schedule)));
    number("--warmup-ratio", c.warmupRatio, d.warmupRatio);
    number("--weight-decay", c.weightDecay, d.weightDecay);
    number("--adam-beta1", c.adamBeta1, d.adamBeta1);
    number("--adam-beta2", c.adamBeta2, d.adamBeta2);
    number("--adam-eps", c.adamEps, d.adamEps);
    number("--max-grad-norm", c.maxGradNorm, d.maxGradNorm);
    if (c.gradientCheckpointing != d.gradientCheckpointing)
        args << (c.gradientCheckpointing ? QStringLiteral("--gradient-checkpointing")
                                         : QStringLiteral("--no-gradient-checkpointing"));
    integer("--log-every", c.logEvery, d.logEvery);
    integer("--eval-every", c.evalEvery, d.evalEvery);
    integer("--checkpoint-every", c.checkpointEvery, d.checkpointEvery);
    if (c.seed != d.seed)
        args << QStringLiteral("--seed") << QString::number(c.seed);
    integer("--threads", c.threads, d.threads);
    text("--device", c.device, d.device);
    text("--dtype", c.computeDtype, d.computeDtype);
    if (!runName.isEmpty())
        args << QStringLiteral("--name") << runName;
    return args;
}

QString trainCommandLine(const QString& projectPath, const QString& modelDir, const ts::TrainConfig& config,
                         const QString& runName)
{
    return shellCommandLine(QStringList {QLatin1String(kCliProgram)}
                            + trainCommandArguments(projectPath, modelDir, config, runName));
}

QString trainResumeCommandLine(const QString& projectPath, qint64 runId)
{
    return shellCommandLine({QLatin1String(kCliProgram), QStringLiteral("train"), QStringLiteral("--project"),
                             projectPath, QStringLiteral("--resume"), QString::number(runId)});
}

} // namespace ts::ui

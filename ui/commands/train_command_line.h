// The tunesmith-cli command line that runs a training run headless: `tunesmith-cli train --project … --model …` with
// every setting that differs from the CLI's defaults (ts::TrainConfig {}) as a flag, or `--resume ID` for a stopped
// run.
#pragma once

#include <QString>
#include <QStringList>

#include "train/train_config.h"

namespace ts::ui {

// The arguments after the program name; `runName` "" leaves --name out.
QStringList trainCommandArguments(const QString& projectPath, const QString& modelDir, const ts::TrainConfig& config,
                                  const QString& runName);
// The whole line, quoted for a POSIX shell, starting with kCliProgram.
QString trainCommandLine(const QString& projectPath, const QString& modelDir, const ts::TrainConfig& config,
                         const QString& runName);
QString trainResumeCommandLine(const QString& projectPath, qint64 runId);

} // namespace ts::ui

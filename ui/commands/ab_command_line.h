// The tunesmith-cli command line that runs an A/B test headless: `tunesmith-cli ab --project … --variants …` with every
// setting that differs from the CLI's defaults (ts::promptlab::AbTestConfig {}) as a flag, or `--resume ID`.
#pragma once

#include <QString>
#include <QStringList>

#include "promptlab/ab_test_config.h"

namespace ts::ui {

// The arguments after the program name; `runName` "" leaves --name out. Scorers are passed inline only when the config
// names them (an empty list means the project's own scorer list, for the CLI as for the GUI).
QStringList abCommandArguments(const QString& projectPath, const ts::promptlab::AbTestConfig& config,
                               const QString& runName);
// The whole line, quoted for a POSIX shell, starting with kCliProgram.
QString abCommandLine(const QString& projectPath, const ts::promptlab::AbTestConfig& config, const QString& runName);
QString abResumeCommandLine(const QString& projectPath, qint64 runId);

} // namespace ts::ui

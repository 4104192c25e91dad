// The A/B test command line: one flag per AbTestConfig field that differs from the default the CLI starts from.
#include "commands/ab_command_line.h"

#include "commands/shell_command.h"
#include "eval/scorer.h"

namespace ts::ui {

QStringList abCommandArguments(const QString& projectPath, const ts::promptlab::AbTestConfig& c, const QString& runName)
{
    const ts::promptlab::AbTestConfig d; // what `tunesmith-cli ab` uses without flags
    QStringList variants;
    for (const std::string& variant : c.variants)
        variants << QString::fromStdString(variant);
    QStringList args {QStringLiteral("ab"), QStringLiteral("--project"), projectPath, QStringLiteral("--variants"),
                      variants.join(QLatin1Char(','))};
    const auto integer = [&](const char* flag, int64_t value, int64_t fallback) {
        if (value != fallback)
            args << QLatin1String(flag) << QString::number(value);
    };
    if (c.split != d.split)
        args << QStringLiteral("--split") << QString::fromStdString(std::string(ts::splitName(c.split)));
    integer("--repeats", c.repeats, d.repeats);
    if (c.seed != d.seed)
        args << QStringLiteral("--seed") << QString::number(c.seed);
    integer("--concurrency", c.concurrency, d.concurrency);
    if (c.limit)
        args << QStringLiteral("--limit") << QString::number(*c.limit);
    if (c.spendCapUsd)
        args << QStringLiteral("--spend-cap") << exactNumberText(*c.spendCapUsd);
    if (!c.scorers.empty())
        args << QStringLiteral("--scorers-json") << QString::fromStdString(ts::eval::scorersToJson(c.scorers).dump());
    if (!c.judgeEndpoint.empty()) {
        args << QStringLiteral("--judge") << QString::fromStdString(c.judgeEndpoint);
        if (!c.judgeCriteria.empty())
            args << QStringLiteral("--judge-criteria") << QString::fromStdString(c.judgeCriteria);
        if (c.pairwiseJudge)
            args << QStringLiteral("--pairwise");
    }
    integer("--judge-max-tokens", c.judgeMaxTokens, d.judgeMaxTokens);
    if (!runName.isEmpty())
        args << QStringLiteral("--name") << runName;
    return args;
}

QString abCommandLine(const QString& projectPath, const ts::promptlab::AbTestConfig& config, const QString& runName)
{
    return shellCommandLine(QStringList {QLatin1String(kCliProgram)}
                            + abCommandArguments(projectPath, config, runName));
}

QString abResumeCommandLine(const QString& projectPath, qint64 runId)
{
    return shellCommandLine({QLatin1String(kCliProgram), QStringLiteral("ab"), QStringLiteral("--project"), projectPath,
                             QStringLiteral("--resume"), QString::number(runId)});
}

} // namespace ts::ui

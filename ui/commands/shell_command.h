// Shell command lines: words quoted for a POSIX shell, and numbers written so that they read back exactly.
#pragma once

#include <QString>
#include <QStringList>

namespace ts::ui {

// The program every "Copy as command" line starts with (found on PATH).
inline constexpr const char* kCliProgram = "tunesmith-cli";

// `word` as one word for sh/bash: unchanged when it holds only safe characters, else in single quotes.
QString shellQuoted(const QString& word);
// The words quoted and joined with spaces.
QString shellCommandLine(const QStringList& words);
// The shortest decimal text that parses back to exactly `value` ("0.0002", "1e-08").
QString exactNumberText(double value);

} // namespace ts::ui

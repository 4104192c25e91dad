// JSON output check: whether an ideal output that looks like JSON parses, where it breaks (line and column in plain
// words), and its pretty-printed form with the keys in their original order.
#pragma once

#include <QString>

namespace ts::ui {

struct JsonOutputCheck
{
    bool looksLikeJson = false; // the first non-blank character is { or [
    bool valid = false;
    int line = 0; // 1-based; where it stops parsing (when not valid)
    int column = 0; // 1-based, in characters
    QString problem; // e.g. "Line 3, column 14: a comma or } is missing before “"name"”."
    QString formatted; // indented by 2 spaces, when valid
};

JsonOutputCheck checkJsonOutput(const QString& text);

} // namespace ts::ui

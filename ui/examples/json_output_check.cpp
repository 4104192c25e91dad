// JSON output check over nlohmann::ordered_json (keys keep their order); its error offset becomes a line and column.
#include "examples/json_output_check.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include <QCoreApplication>

namespace ts::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("JsonOutputCheck", text);
}

// The 1-based line and column (in characters, not bytes) of the byte at `offset`.
void locate(const std::string& utf8, size_t offset, int& line, int& column)
{
    line = 1;
    column = 1;
    for (size_t i = 0; i < offset && i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
}

QString describe(const std::string& utf8, size_t offset)
{
    if (offset >= utf8.size())
        return tr("the text ends before the JSON is complete (a closing }, ] or \" may be missing).");
    const char c = utf8[offset];
    size_t end = offset + 1;
    while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80)
        ++end;
    const QString shown = QString::fromUtf8(utf8.data() + offset, static_cast<qsizetype>(end - offset));
    if (c == '\'')
        return tr("unexpected ' (JSON strings and names use double quotes).");
    if (c == '}' || c == ']')
        return tr("unexpected %1 (a value is missing, or there is a comma too many before it).").arg(shown);
    if (c == '"')
        return tr("unexpected \" (a comma or a colon may be missing before it).");
    size_t before = offset;
    while (before > 0 && std::isspace(static_cast<unsigned char>(utf8[before - 1])))
        --before;
    const char previous = before > 0 ? utf8[before - 1] : '\0';
    if (previous == '"' || previous == ']' || previous == '}' || std::isdigit(static_cast<unsigned char>(previous)))
        return tr("unexpected %1 (a comma or a colon may be missing before it).").arg(shown);
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
        return tr("unexpected %1 (names and text need double quotes; true, false and null are lower case).").arg(shown);
    return tr("unexpected %1.").arg(shown);
}

} // namespace

JsonOutputCheck checkJsonOutput(const QString& text)
{
    JsonOutputCheck check;
    const QString trimmed = text.trimmed();
    check.looksLikeJson = trimmed.startsWith(QLatin1Char('{')) || trimmed.startsWith(QLatin1Char('['));
    if (!check.looksLikeJson)
        return check;
    const std::string utf8 = text.toStdString();
    try {
        const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(utf8);
        check.valid = true;
        check.formatted
            = QString::fromStdString(parsed.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    } catch (const nlohmann::json::parse_error& error) {
        // error.byte is 1-based: the character it stopped at.
        const size_t offset = error.byte > 0 ? error.byte - 1 : 0;
        locate(utf8, offset, check.line, check.column);
        check.problem = tr("Line %1, column %2: %3").arg(check.line).arg(check.column).arg(describe(utf8, offset));
    }
    return check;
}

} // namespace ts::ui

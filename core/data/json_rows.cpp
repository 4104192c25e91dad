// Rows of the JSON formats: one object per line (JSONL), or the elements of one top-level array; each row is
// checked for UTF-8, parsed and read on its own so a bad row becomes a problem naming its line.
#include "data/format_detail.h"

#include <algorithm>
#include <string>

#include "common/utf8.h"
#include "data/json_array_scanner.h"

namespace ts::detail {

namespace {

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while parsing
// value - invalid literal; last read: '...'; expected ..." becomes "invalid literal; expected ...".
std::string briefJsonError(std::string_view what)
{
    if (size_t dash = what.find(" - "); dash != std::string_view::npos)
        what.remove_prefix(dash + 3);
    else if (size_t colon = what.rfind(": "); colon != std::string_view::npos)
        what.remove_prefix(colon + 2);
    const size_t lastRead = what.find("; last read: ");
    if (lastRead == std::string_view::npos)
        return std::string(what);
    std::string brief(what.substr(0, lastRead));
    if (size_t expected = what.rfind("; expected "); expected != std::string_view::npos && expected > lastRead)
        brief += what.substr(expected);
    return brief;
}

std::optional<std::string> parseJson(std::string_view text, nlohmann::json& out)
{
    try {
        out = nlohmann::json::parse(text.begin(), text.end());
    } catch (const std::exception& e) {
        return briefJsonError(e.what());
    }
    return std::nullopt;
}

// One row's text: UTF-8 check, JSON parse, then the format's reader.
void parseJsonRow(std::string_view text, size_t line, JsonRowReader read, RowCollector& rows)
{
    if (auto bad = utf8::findInvalid(text)) {
        rows.addProblem(line, "", "not UTF-8 (byte offset " + std::to_string(*bad) + ")");
        return;
    }
    nlohmann::json value;
    if (auto error = parseJson(text, value)) {
        rows.addProblem(line, "", "invalid JSON: " + *error);
        return;
    }
    if (!value.is_object()) {
        rows.addProblem(line, "", "not an object");
        return;
    }
    Example example;
    if (auto problem = read(value, example))
        rows.addProblem(line, std::move(problem->field), std::move(problem->reason));
    else
        rows.addExample(std::move(example), line);
}

} // namespace

void parseJsonLines(std::string_view text, JsonRowReader read, RowCollector& rows)
{
    size_t pos = 0;
    size_t line = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view row = text.substr(pos, end - pos);
        ++line;
        pos = end + 1;
        if (isBlank(row))
            continue;
        if (row.back() == '\r')
            row.remove_suffix(1);
        parseJsonRow(row, line, read, rows);
        if (!rows.keepGoing(std::min(pos, text.size())))
            return;
    }
}

void parseJsonArray(std::string_view text, JsonRowReader read, RowCollector& rows)
{
    JsonArrayScanner scanner(text);
    if (!scanner.open()) {
        rows.addFileProblem(0, "", "invalid JSON: expected an array of examples ('[')");
        return;
    }
    while (auto element = scanner.next()) {
        parseJsonRow(element->text, element->line, read, rows);
        if (!rows.keepGoing(scanner.offset()))
            return;
    }
    if (!scanner.closed())
        rows.addFileProblem(scanner.line(), "", "invalid JSON: unexpected end of input; expected ']'");
    else if (!scanner.onlySpaceLeft())
        rows.addFileProblem(scanner.line(), "", "invalid JSON: unexpected text after the closing ']'");
}

} // namespace ts::detail

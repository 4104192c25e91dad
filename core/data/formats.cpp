// Dataset formats: names, problem text, shared JSON row helpers, format detection, and file/text parse and write.
#include "data/formats.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/utf8.h"
#include "data/format_detail.h"

namespace ts {

namespace {

struct FormatInfo
{
    DataFormat format;
    std::string_view name;
    std::string_view label;
};

constexpr std::array<FormatInfo, 6> kFormats = {{
    {DataFormat::OpenAiJsonl, "openai-jsonl", "OpenAI chat (JSONL)"},
    {DataFormat::AlpacaJson, "alpaca-json", "Alpaca (JSON)"},
    {DataFormat::AlpacaJsonl, "alpaca-jsonl", "Alpaca (JSONL)"},
    {DataFormat::ShareGptJson, "sharegpt-json", "ShareGPT (JSON)"},
    {DataFormat::ShareGptJsonl, "sharegpt-jsonl", "ShareGPT (JSONL)"},
    {DataFormat::Csv, "csv", "CSV"},
}};

const FormatInfo& infoOf(DataFormat format)
{
    for (const FormatInfo& info : kFormats)
        if (info.format == format)
            return info;
    return kFormats.front();
}

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

} // namespace

std::string_view formatName(DataFormat format)
{
    return infoOf(format).name;
}

std::optional<DataFormat> formatFromName(std::string_view name)
{
    const std::string wanted = lowercase(name);
    for (const FormatInfo& info : kFormats)
        if (info.name == wanted)
            return info.format;
    return std::nullopt;
}

std::string_view formatLabel(DataFormat format)
{
    return infoOf(format).label;
}

std::string describe(const ImportProblem& problem)
{
    std::string text = problem.line == 0 ? std::string("file") : "line " + std::to_string(problem.line);
    if (!problem.field.empty())
        text += ", field \"" + problem.field + "\"";
    return text + ": " + problem.reason;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared row helpers (format_detail.h)

namespace detail {

using nlohmann::json;

RowError missingField(std::string field)
{
    return RowError {std::move(field), "missing field"};
}

RowError wrongType(std::string field, std::string_view expected)
{
    return RowError {std::move(field), "wrong type (expected " + std::string(expected) + ")"};
}

RowCollector::RowCollector(ParsedFile& out, const CancelToken* cancel, ProgressSink* progress, size_t totalBytes)
    : m_out(out)
    , m_cancel(cancel)
    , m_progress(progress)
    , m_totalBytes(totalBytes)
{ }

void RowCollector::addExample(Example example, size_t line)
{
    example.id = 0;
    example.source = Source::Imported;
    m_out.examples.push_back(std::move(example));
    m_out.lines.push_back(line);
    ++m_out.rows;
}

void RowCollector::addProblem(size_t line, std::string field, std::string reason)
{
    m_out.problems.push_back(ImportProblem {line, std::move(field), std::move(reason)});
    ++m_out.rows;
}

void RowCollector::addFileProblem(size_t line, std::string field, std::string reason)
{
    m_out.problems.push_back(ImportProblem {line, std::move(field), std::move(reason)});
}

bool RowCollector::keepGoing(size_t bytesDone)
{
    if (++m_sinceCheck < kCheckEvery)
        return true;
    m_sinceCheck = 0;
    if (m_cancel && m_cancel->stopRequested()) {
        m_cancelled = true;
        return false;
    }
    if (m_progress)
        m_progress->report(
            Progress {static_cast<int64_t>(bytesDone), static_cast<int64_t>(m_totalBytes), "Reading file"});
    return true;
}

std::string indexedField(std::string_view name, size_t index, std::string_view member)
{
    std::string field = std::string(name) + "[" + std::to_string(index) + "]";
    if (!member.empty())
        field += "." + std::string(member);
    return field;
}

RowCheck readRequiredString(const json& row, const char* key, std::string& out)
{
    auto it = row.find(key);
    if (it == row.end())
        return missingField(key);
    if (!it->is_string())
        return wrongType(key, "string");
    out = it->get<std::string>();
    return std::nullopt;
}

RowCheck readOptionalString(const json& row, const char* key, std::string& out)
{
    auto it = row.find(key);
    if (it == row.end() || it->is_null())
        return std::nullopt;
    return readRequiredString(row, key, out);
}

RowCheck readSplitAndTags(const json& row, Example& out)
{
    std::string split;
    if (auto problem = readOptionalString(row, "split", split))
        return problem;
    if (!split.empty()) {
        auto value = splitFromName(split);
        if (!value)
            return RowError {"split", "unknown split \"" + split + "\""};
        out.split = *value;
    }
    auto tags = row.find("tags");
    if (tags == row.end() || tags->is_null())
        return std::nullopt;
    if (!tags->is_array())
        return wrongType("tags", "array of strings");
    for (size_t i = 0; i < tags->size(); ++i) {
        if (!(*tags)[i].is_string())
            return wrongType(indexedField("tags", i), "string");
        out.tags.push_back((*tags)[i].get<std::string>());
    }
    return std::nullopt;
}

RowCheck checkConversation(const std::vector<Message>& messages, const std::string& field)
{
    const auto has = [&](std::string_view role) {
        return std::any_of(messages.begin(), messages.end(), [&](const Message& m) { return m.role == role; });
    };
    if (messages.empty())
        return RowError {field, "empty conversation"};
    if (!has("user"))
        return RowError {field, "no user message"};
    if (!has("assistant"))
        return RowError {field, "no assistant message"};
    return std::nullopt;
}

void putSplitAndTags(nlohmann::ordered_json& row, const Example& example)
{
    row["split"] = splitName(example.split);
    row["tags"] = example.tags;
}

std::string dumpJson(const nlohmann::ordered_json& value)
{
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string_view stripBom(std::string_view text)
{
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (text.substr(0, bom.size()) == bom)
        text.remove_prefix(bom.size());
    return text;
}

Expected<std::string> readFileText(const std::filesystem::path& path, size_t maxBytes)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return Error {"Cannot open \"" + path.string() + "\": " + ec.message()};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error {"Cannot open \"" + path.string() + "\""};
    std::string text(static_cast<size_t>(std::min<uintmax_t>(size, maxBytes)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        return Error {"Cannot read \"" + path.string() + "\""};
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

} // namespace detail

// ---------------------------------------------------------------------------------------------------------------
// JSON rows: one object per line, or the elements of one top-level array

namespace {

using detail::JsonRowReader;
using detail::RowCollector;

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

bool isBlank(std::string_view text)
{
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

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

// Cuts a top-level JSON array into element texts without parsing them, counting lines on the way, so each
// element is parsed and reported on its own and the whole pass stays linear.
class JsonArrayScanner
{
public:
    struct Element
    {
        std::string_view text;
        size_t line = 0;
    };

    explicit JsonArrayScanner(std::string_view text)
        : m_text(text)
    { }

    bool open(); // skips to and past the opening '['; false when the text does not start an array
    std::optional<Element> next(); // nullopt at the closing ']' or at the end of the text
    bool closed() const { return m_closed; }
    bool onlySpaceLeft();
    size_t offset() const { return m_pos; }
    size_t line() const { return m_line; }

private:
    void skipSpace();
    void skipString();

    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_line = 1;
    bool m_closed = false;
};

bool JsonArrayScanner::open()
{
    skipSpace();
    if (m_pos >= m_text.size() || m_text[m_pos] != '[')
        return false;
    ++m_pos;
    return true;
}

std::optional<JsonArrayScanner::Element> JsonArrayScanner::next()
{
    skipSpace();
    if (m_closed || m_pos >= m_text.size())
        return std::nullopt;
    if (m_text[m_pos] == ']') {
        ++m_pos;
        m_closed = true;
        return std::nullopt;
    }
    const size_t begin = m_pos;
    const size_t line = m_line;
    size_t depth = 0;
    for (; m_pos < m_text.size(); ++m_pos) {
        const char c = m_text[m_pos];
        if (c == '"') {
            skipString();
            --m_pos; // the loop steps past the closing quote again
        } else if (c == '\n') {
            ++m_line;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        } else if ((c == ']' || c == ',') && depth == 0) {
            break;
        }
    }
    Element element {m_text.substr(begin, m_pos - begin), line};
    if (m_pos < m_text.size() && m_text[m_pos] == ',')
        ++m_pos; // a ']' is left for the next call
    return element;
}

bool JsonArrayScanner::onlySpaceLeft()
{
    skipSpace();
    return m_pos >= m_text.size();
}

void JsonArrayScanner::skipSpace()
{
    for (; m_pos < m_text.size(); ++m_pos) {
        const char c = m_text[m_pos];
        if (c == '\n')
            ++m_line;
        else if (c != ' ' && c != '\t' && c != '\r')
            return;
    }
}

// From an opening quote to just past the closing one. A raw newline (never valid inside a JSON string) also
// ends it, so one unterminated string cannot swallow the rest of the file.
void JsonArrayScanner::skipString()
{
    ++m_pos;
    while (m_pos < m_text.size()) {
        const size_t stop = m_text.find_first_of("\"\\\n", m_pos);
        if (stop == std::string_view::npos)
            break;
        m_pos = stop + 1;
        if (m_text[stop] == '"')
            return;
        if (m_text[stop] == '\n') {
            ++m_line;
            return;
        }
        if (m_pos < m_text.size() && m_text[m_pos] != '\n')
            ++m_pos; // the escaped character
    }
    m_pos = m_text.size();
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

void parseInto(std::string_view text, DataFormat format, const CsvMapping& mapping, RowCollector& rows)
{
    text = detail::stripBom(text);
    switch (format) {
    case DataFormat::OpenAiJsonl:
        return parseJsonLines(text, detail::openAiFromJson, rows);
    case DataFormat::AlpacaJson:
        return parseJsonArray(text, detail::alpacaFromJson, rows);
    case DataFormat::AlpacaJsonl:
        return parseJsonLines(text, detail::alpacaFromJson, rows);
    case DataFormat::ShareGptJson:
        return parseJsonArray(text, detail::shareGptFromJson, rows);
    case DataFormat::ShareGptJsonl:
        return parseJsonLines(text, detail::shareGptFromJson, rows);
    case DataFormat::Csv:
        return detail::parseCsv(text, mapping, rows);
    }
}

} // namespace

ParsedFile parseText(std::string_view text, DataFormat format, const CsvMapping& mapping)
{
    ParsedFile parsed;
    RowCollector rows(parsed, nullptr, nullptr, text.size());
    parseInto(text, format, mapping, rows);
    return parsed;
}

Expected<ParsedFile> parseFile(const std::filesystem::path& path, DataFormat format, const CsvMapping& mapping,
                               const CancelToken& cancel, ProgressSink& progress)
{
    if (cancel.stopRequested())
        return Error {"cancelled"};
    auto text = detail::readFileText(path);
    if (!text)
        return text.error();
    const auto total = static_cast<int64_t>(text->size());
    progress.report(Progress {0, total, {}});
    ParsedFile parsed;
    RowCollector rows(parsed, &cancel, &progress, text->size());
    parseInto(*text, format, mapping, rows);
    if (rows.cancelled() || cancel.stopRequested())
        return Error {"cancelled"};
    progress.report(Progress {total, total, {}});
    return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

namespace {

bool isJsonArray(DataFormat format)
{
    return format == DataFormat::AlpacaJson || format == DataFormat::ShareGptJson;
}

std::string encodeRow(DataFormat format, const Example& example)
{
    switch (format) {
    case DataFormat::OpenAiJsonl:
        return detail::dumpJson(detail::openAiToJson(example));
    case DataFormat::AlpacaJson:
    case DataFormat::AlpacaJsonl:
        return detail::dumpJson(detail::alpacaToJson(example));
    case DataFormat::ShareGptJson:
    case DataFormat::ShareGptJsonl:
        return detail::dumpJson(detail::shareGptToJson(example));
    case DataFormat::Csv:
        return detail::csvRow(example);
    }
    return {};
}

std::optional<std::string> refusal(DataFormat format, const Example& example)
{
    if (format == DataFormat::AlpacaJson || format == DataFormat::AlpacaJsonl)
        return detail::alpacaRefusal(example);
    if (format == DataFormat::Csv)
        return detail::csvRefusal(example);
    return std::nullopt;
}

std::string exampleName(const Example& example, size_t index)
{
    if (example.id != 0)
        return "example " + std::to_string(example.id);
    return "the example at position " + std::to_string(index + 1);
}

// Arrays are written one element per line ("[", rows joined by ",\n", "]"); the rest one row per line.
Status writeRows(std::ostream& out, DataFormat format, const std::vector<Example>& examples, const CancelToken* cancel,
                 ProgressSink* progress)
{
    const auto total = static_cast<int64_t>(examples.size());
    if (format == DataFormat::Csv)
        out << detail::csvHeaderLine() << '\n';
    if (isJsonArray(format))
        out << '[';
    for (size_t i = 0; i < examples.size(); ++i) {
        if (i % RowCollector::kCheckEvery == 0) {
            if (cancel && cancel->stopRequested())
                return Error {"cancelled"};
            if (progress)
                progress->report(Progress {static_cast<int64_t>(i), total, {}});
        }
        if (isJsonArray(format))
            out << (i == 0 ? "\n" : ",\n") << encodeRow(format, examples[i]);
        else
            out << encodeRow(format, examples[i]) << '\n';
    }
    if (isJsonArray(format))
        out << "\n]\n";
    if (progress)
        progress->report(Progress {total, total, {}});
    return {};
}

} // namespace

std::string writeText(DataFormat format, const std::vector<Example>& examples)
{
    std::ostringstream out;
    (void)writeRows(out, format, examples, nullptr, nullptr);
    return out.str();
}

Status writeFile(const std::filesystem::path& path, DataFormat format, const std::vector<Example>& examples,
                 const CancelToken& cancel, ProgressSink& progress)
{
    for (size_t i = 0; i < examples.size(); ++i)
        if (auto reason = refusal(format, examples[i]))
            return Error {"Cannot export " + exampleName(examples[i], i) + " as " + std::string(formatLabel(format))
                          + ": " + *reason};
    std::filesystem::path temp = path;
    temp += ".part";
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
        return Error {"Cannot create \"" + temp.string() + "\""};
    Status status = writeRows(out, format, examples, &cancel, &progress);
    out.close();
    if (status.ok() && out.fail())
        status = Error {"Cannot write \"" + temp.string() + "\""};
    std::error_code ec;
    if (status.ok())
        std::filesystem::rename(temp, path, ec);
    if (status.ok() && ec)
        status = Error {"Cannot rename \"" + temp.string() + "\" to \"" + path.string() + "\": " + ec.message()};
    if (!status.ok())
        std::filesystem::remove(temp, ec);
    return status;
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

namespace {

enum class Family { OpenAi, Alpaca, ShareGpt };

constexpr size_t kDetectBytes = 1 << 20;

std::optional<Family> familyOfObject(const nlohmann::json& value)
{
    if (!value.is_object())
        return std::nullopt;
    if (value.contains("messages"))
        return Family::OpenAi;
    if (value.contains("conversations"))
        return Family::ShareGpt;
    if (value.contains("instruction"))
        return Family::Alpaca;
    return std::nullopt;
}

// For an object that does not parse (cut off by the peek limit, bad bytes): the key that comes first.
std::optional<Family> familyFromKeys(std::string_view text)
{
    constexpr std::pair<std::string_view, Family> keys[] = {
        {"\"messages\"", Family::OpenAi}, {"\"conversations\"", Family::ShareGpt}, {"\"instruction\"", Family::Alpaca}};
    std::optional<Family> found;
    size_t first = std::string_view::npos;
    for (const auto& [key, family] : keys) {
        const size_t at = text.find(key);
        if (at < first) {
            first = at;
            found = family;
        }
    }
    return found;
}

std::optional<Family> familyOf(std::string_view objectText)
{
    const auto value = nlohmann::json::parse(objectText.begin(), objectText.end(), nullptr, false);
    if (!value.is_discarded())
        return familyOfObject(value);
    return familyFromKeys(objectText);
}

std::optional<DataFormat> detectLines(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (isBlank(line))
            continue;
        const auto family = familyOf(line);
        if (family == Family::OpenAi)
            return DataFormat::OpenAiJsonl;
        if (family == Family::Alpaca)
            return DataFormat::AlpacaJsonl;
        if (family == Family::ShareGpt)
            return DataFormat::ShareGptJsonl;
        return std::nullopt; // only the first non-blank line counts
    }
    return std::nullopt;
}

std::optional<DataFormat> detectArray(std::string_view text)
{
    JsonArrayScanner scanner(text);
    if (!scanner.open())
        return std::nullopt;
    const auto element = scanner.next();
    if (!element)
        return std::nullopt;
    const auto family = familyOf(element->text);
    if (family == Family::Alpaca)
        return DataFormat::AlpacaJson;
    if (family == Family::ShareGpt)
        return DataFormat::ShareGptJson;
    return std::nullopt; // there is no OpenAI JSON-array format
}

} // namespace

std::optional<DataFormat> detectFormat(const std::filesystem::path& path)
{
    const std::string extension = lowercase(path.extension().string());
    if (extension == ".csv")
        return DataFormat::Csv;
    const auto head = detail::readFileText(path, kDetectBytes);
    if (!head)
        return std::nullopt;
    const std::string_view text = detail::stripBom(*head);
    if (extension == ".jsonl" || extension == ".ndjson")
        return detectLines(text);
    // .json or unknown: an array holds one example per element, a leading object suggests JSON lines.
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return std::nullopt;
    if (text[first] == '[')
        return detectArray(text);
    if (text[first] == '{')
        return detectLines(text);
    return std::nullopt;
}

} // namespace ts

// CSV datasets (RFC 4180): record reader, column mapping to examples, writer and the import preview.
#include "data/format_detail.h"

#include <algorithm>
#include <cctype>

#include "common/file_io.h"
#include "common/utf8.h"

namespace ts {

namespace detail {

namespace {

struct CsvRecord
{
    std::vector<std::string> fields;
    size_t line = 0; // physical line where the record starts
    size_t begin = 0; // byte range of the record in the text, newline included
    size_t end = 0;
    bool unterminated = false; // a quoted field ran to the end of the text
    bool terminated = false; // ended by a newline (false: by the end of the text)
};

// Reads one record at a time: "" escapes a quote, quoted fields may span lines, LF or CRLF ends a record.
// Lenient where RFC 4180 is strict: a stray quote inside an unquoted field is kept as text.
class CsvReader
{
public:
    explicit CsvReader(std::string_view text)
        : m_text(text)
    { }

    bool next(CsvRecord& record);
    size_t offset() const { return m_pos; }

private:
    void readQuoted(std::string& field, CsvRecord& record);
    void readPlain(std::string& field);
    void endLine();

    std::string_view m_text;
    size_t m_pos = 0;
    size_t m_line = 1;
};

bool CsvReader::next(CsvRecord& record)
{
    if (m_pos >= m_text.size())
        return false;
    record.fields.clear();
    record.line = m_line;
    record.begin = m_pos;
    record.unterminated = false;
    record.terminated = false;
    while (true) {
        std::string field;
        if (m_text[m_pos] == '"')
            readQuoted(field, record);
        readPlain(field);
        record.fields.push_back(std::move(field));
        if (m_pos >= m_text.size())
            break;
        if (m_text[m_pos] == ',') {
            ++m_pos;
            if (m_pos < m_text.size())
                continue;
            record.fields.emplace_back(); // "a,b," at the very end: a last empty field
            break;
        }
        endLine();
        record.terminated = true;
        break;
    }
    record.end = m_pos;
    return true;
}

void CsvReader::readQuoted(std::string& field, CsvRecord& record)
{
    ++m_pos; // opening quote
    while (true) {
        const size_t quote = m_text.find('"', m_pos);
        const size_t stop = quote == std::string_view::npos ? m_text.size() : quote;
        const std::string_view chunk = m_text.substr(m_pos, stop - m_pos);
        m_line += static_cast<size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
        field.append(chunk);
        if (quote == std::string_view::npos) {
            m_pos = m_text.size();
            record.unterminated = true;
            return;
        }
        m_pos = quote + 1;
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            field += '"';
            ++m_pos;
            continue;
        }
        return;
    }
}

void CsvReader::readPlain(std::string& field)
{
    size_t stop = m_text.find_first_of(",\r\n", m_pos);
    if (stop == std::string_view::npos)
        stop = m_text.size();
    field.append(m_text.substr(m_pos, stop - m_pos));
    m_pos = stop;
}

void CsvReader::endLine()
{
    if (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n')
        ++m_pos;
    ++m_pos;
    ++m_line;
}

bool isBlankRecord(std::string_view text, const CsvRecord& record)
{
    return text.substr(record.begin, record.end - record.begin).find_first_not_of("\r\n") == std::string_view::npos;
}

std::string_view trimmed(std::string_view text)
{
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Maps one record to an example, naming columns by their header (or target) names in problems.
class RowMapper
{
public:
    RowMapper(const CsvMapping& mapping, std::vector<std::string> header)
        : m_mapping(mapping)
        , m_header(std::move(header))
        , m_minColumns(static_cast<size_t>(
                           std::max({mapping.input, mapping.output, mapping.system, mapping.split, mapping.tags}))
                       + 1)
    { }

    RowCheck toExample(std::string_view text, const CsvRecord& record, Example& out) const;

private:
    std::string columnName(int index, const char* target) const
    {
        if (index >= 0 && static_cast<size_t>(index) < m_header.size() && !m_header[index].empty())
            return m_header[index];
        return target;
    }
    RowCheck readSplit(const CsvRecord& record, Example& out) const;

    CsvMapping m_mapping;
    std::vector<std::string> m_header;
    size_t m_minColumns;
};

RowCheck RowMapper::toExample(std::string_view text, const CsvRecord& record, Example& out) const
{
    if (record.unterminated)
        return RowError {"", "unterminated quoted field"};
    if (auto bad = utf8::findInvalid(text.substr(record.begin, record.end - record.begin)))
        return RowError {"", "not UTF-8 (byte offset " + std::to_string(*bad) + ")"};
    const auto& cells = record.fields;
    if (cells.size() < m_minColumns)
        return RowError {"",
                         "wrong number of columns (expected at least " + std::to_string(m_minColumns) + ", got "
                             + std::to_string(cells.size()) + ")"};
    const std::string& input = cells[m_mapping.input];
    const std::string& output = cells[m_mapping.output];
    if (input.empty())
        return missingField(columnName(m_mapping.input, "input"));
    if (output.empty())
        return missingField(columnName(m_mapping.output, "output"));
    if (m_mapping.system >= 0 && !cells[m_mapping.system].empty())
        out.messages.push_back(Message {"system", cells[m_mapping.system]});
    out.messages.push_back(Message {"user", input});
    out.messages.push_back(Message {"assistant", output});
    if (m_mapping.tags >= 0)
        out.tags = parseTagList(cells[m_mapping.tags]);
    return readSplit(record, out);
}

RowCheck RowMapper::readSplit(const CsvRecord& record, Example& out) const
{
    if (m_mapping.split < 0)
        return std::nullopt;
    const std::string_view cell = trimmed(record.fields[m_mapping.split]);
    if (cell.empty())
        return std::nullopt; // Split::Train
    auto split = splitFromName(cell);
    if (!split)
        return RowError {columnName(m_mapping.split, "split"), "unknown split \"" + std::string(cell) + "\""};
    out.split = *split;
    return std::nullopt;
}

std::string csvCell(std::string_view value)
{
    if (value.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(value);
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

} // namespace

void parseCsv(std::string_view text, const CsvMapping& mapping, RowCollector& rows)
{
    bool mapped = true;
    if (mapping.input < 0) {
        rows.addFileProblem(0, "mapping", "no column is mapped to input");
        mapped = false;
    }
    if (mapping.output < 0) {
        rows.addFileProblem(0, "mapping", "no column is mapped to output");
        mapped = false;
    }
    if (!mapped)
        return;
    CsvReader reader(text);
    CsvRecord record;
    std::vector<std::string> header;
    if (mapping.hasHeader) {
        while (reader.next(record) && isBlankRecord(text, record)) { }
        header = std::move(record.fields);
    }
    const RowMapper mapper(mapping, std::move(header));
    while (reader.next(record)) {
        if (isBlankRecord(text, record))
            continue;
        Example example;
        if (auto problem = mapper.toExample(text, record, example))
            rows.addProblem(record.line, std::move(problem->field), std::move(problem->reason));
        else
            rows.addExample(std::move(example), record.line);
        if (!rows.keepGoing(reader.offset()))
            return;
    }
}

std::string csvHeaderLine()
{
    return "system,input,output,split,tags";
}

std::string csvRow(const Example& example)
{
    // The table view of the conversation; csvRefusal() tells writeFile when that would lose turns.
    return csvCell(example.system()) + ',' + csvCell(example.input()) + ',' + csvCell(example.output()) + ','
        + std::string(splitName(example.split)) + ',' + csvCell(joinTags(example.tags));
}

std::optional<std::string> csvRefusal(const Example& example)
{
    const auto& messages = example.messages;
    const size_t first = !messages.empty() && messages[0].role == "system" ? 1 : 0;
    if (messages.size() != first + 2 || messages[first].role != "user" || messages[first + 1].role != "assistant")
        return "a CSV row holds one system prompt, one input and one output, and this conversation has other turns";
    if (messages[first].content.empty() || messages[first + 1].content.empty())
        return "a CSV row needs a non-empty input and output";
    if (parseTagList(joinTags(example.tags)) != example.tags)
        return "its tags do not survive the comma-separated tags cell (a tag with a comma, outer spaces or a repeat)";
    return std::nullopt;
}

} // namespace detail

namespace {

constexpr size_t kPreviewBytes = 4 << 20;

struct HeaderRule
{
    std::string_view name;
    int CsvMapping::*target;
};

constexpr HeaderRule kHeaderRules[] = {
    {"input", &CsvMapping::input},
    {"prompt", &CsvMapping::input},
    {"question", &CsvMapping::input},
    {"instruction", &CsvMapping::input},
    {"text", &CsvMapping::input},
    {"output", &CsvMapping::output},
    {"response", &CsvMapping::output},
    {"answer", &CsvMapping::output},
    {"completion", &CsvMapping::output},
    {"ideal", &CsvMapping::output},
    {"ideal_output", &CsvMapping::output},
    {"system", &CsvMapping::system},
    {"system_prompt", &CsvMapping::system},
    {"split", &CsvMapping::split},
    {"tags", &CsvMapping::tags},
    {"tag", &CsvMapping::tags},
    {"labels", &CsvMapping::tags},
};

// "Ideal Output" -> "ideal_output"
std::string normalizedHeader(std::string_view name)
{
    std::string out(detail::trimmed(name));
    for (char& c : out)
        c = (c == ' ' || c == '-') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Fills the mapping from known header names; false if no name is known (probably no header row).
bool suggestFromHeader(const std::vector<std::string>& header, CsvMapping& mapping)
{
    bool matched = false;
    for (size_t column = 0; column < header.size(); ++column) {
        const std::string name = normalizedHeader(header[column]);
        for (const HeaderRule& rule : kHeaderRules) {
            if (rule.name == name && mapping.*rule.target < 0) {
                mapping.*rule.target = static_cast<int>(column);
                matched = true;
            }
        }
    }
    return matched;
}

} // namespace

Expected<CsvPreview> previewCsv(const std::filesystem::path& path, size_t maxRows)
{
    auto content = readFilePrefix(path, kPreviewBytes);
    if (!content)
        return content.error();
    const std::string_view text = detail::stripBom(*content);
    const bool truncated = content->size() >= kPreviewBytes;
    std::vector<std::vector<std::string>> records;
    detail::CsvReader reader(text);
    detail::CsvRecord record;
    while (records.size() <= maxRows && reader.next(record)) {
        if (truncated && !record.terminated)
            break; // cut off by the preview limit
        if (!detail::isBlankRecord(text, record))
            records.push_back(std::move(record.fields));
    }

    CsvPreview preview;
    CsvMapping& mapping = preview.suggested;
    mapping.hasHeader = !records.empty() && suggestFromHeader(records.front(), mapping);
    if (mapping.hasHeader) {
        preview.header = std::move(records.front());
        records.erase(records.begin());
    } else {
        size_t columns = 0;
        for (const auto& row : records)
            columns = std::max(columns, row.size());
        for (size_t i = 0; i < columns; ++i)
            preview.header.push_back("Column " + std::to_string(i + 1));
    }
    if (records.size() > maxRows)
        records.resize(maxRows);
    preview.rows = std::move(records);
    return preview;
}

} // namespace ts

// Private helpers shared by the dataset format readers and writers in core/data (not part of the API).
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/formats.h"

namespace ts::detail {

// What is wrong with one row; the caller knows the line.
struct RowError
{
    std::string field;
    std::string reason;
};
using RowCheck = std::optional<RowError>;

RowError missingField(std::string field);
RowError wrongType(std::string field, std::string_view expected);

// Receives the rows of one file in order, counts them, and every kCheckEvery rows checks the
// cancel token and reports progress (bytes). Token and sink may be null (parseText).
class RowCollector
{
public:
    static constexpr size_t kCheckEvery = 1000;

    RowCollector(ParsedFile& out, const CancelToken* cancel, ProgressSink* progress, size_t totalBytes);

    void addExample(Example example, size_t line);
    void addProblem(size_t line, std::string field, std::string reason); // a bad row
    void addFileProblem(size_t line, std::string field, std::string reason); // not a row (file structure)
    // Call after each row with the bytes consumed so far; false once cancelled.
    bool keepGoing(size_t bytesDone);
    bool cancelled() const { return m_cancelled; }

private:
    ParsedFile& m_out;
    const CancelToken* m_cancel;
    ProgressSink* m_progress;
    size_t m_totalBytes;
    size_t m_sinceCheck = 0;
    bool m_cancelled = false;
};

// --- JSON rows (formats.cpp) ---
using JsonRowReader = RowCheck (*)(const nlohmann::json& row, Example& out);

RowCheck readRequiredString(const nlohmann::json& row, const char* key, std::string& out);
RowCheck readOptionalString(const nlohmann::json& row, const char* key, std::string& out); // absent/null: unchanged
RowCheck readSplitAndTags(const nlohmann::json& row, Example& out);
RowCheck checkConversation(const std::vector<Message>& messages, const std::string& field);
void putSplitAndTags(nlohmann::ordered_json& row, const Example& example);
std::string dumpJson(const nlohmann::ordered_json& value); // compact, UTF-8 left unescaped
std::string indexedField(std::string_view name, size_t index, std::string_view member = {}); // "messages[2].role"

// --- Per-format row codecs ---
RowCheck openAiFromJson(const nlohmann::json& row, Example& out);
nlohmann::ordered_json openAiToJson(const Example& example);

RowCheck alpacaFromJson(const nlohmann::json& row, Example& out);
nlohmann::ordered_json alpacaToJson(const Example& example);
std::optional<std::string> alpacaRefusal(const Example& example); // why it cannot be Alpaca, if so

RowCheck shareGptFromJson(const nlohmann::json& row, Example& out);
nlohmann::ordered_json shareGptToJson(const Example& example);

void parseCsv(std::string_view text, const CsvMapping& mapping, RowCollector& rows);
std::string csvHeaderLine(); // "system,input,output,split,tags"
std::string csvRow(const Example& example);
std::optional<std::string> csvRefusal(const Example& example); // why it cannot be a CSV row, if so

// --- Files and text ---
std::string_view stripBom(std::string_view text);
Expected<std::string> readFileText(const std::filesystem::path& path,
                                   size_t maxBytes = std::numeric_limits<size_t>::max());

} // namespace ts::detail

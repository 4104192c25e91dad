// Private helpers shared by the dataset format readers and writers in core/data (not part of the API).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/formats.h"
#include "data/row_collector.h"

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

// --- JSON rows (row_fields.cpp, json_rows.cpp) ---
using JsonRowReader = RowCheck (*)(const nlohmann::json& row, Example& out);

RowCheck readRequiredString(const nlohmann::json& row, const char* key, std::string& out);
RowCheck readOptionalString(const nlohmann::json& row, const char* key, std::string& out); // absent/null: unchanged
RowCheck readSplitAndTags(const nlohmann::json& row, Example& out);
RowCheck checkConversation(const std::vector<Message>& messages, const std::string& field);
void putSplitAndTags(nlohmann::ordered_json& row, const Example& example);
std::string dumpJson(const nlohmann::ordered_json& value); // compact, UTF-8 left unescaped
std::string indexedField(std::string_view name, size_t index, std::string_view member = {}); // "messages[2].role"

// Each row of JSON lines, or each element of a top-level JSON array, through `read` into `rows`.
void parseJsonLines(std::string_view text, JsonRowReader read, RowCollector& rows);
void parseJsonArray(std::string_view text, JsonRowReader read, RowCollector& rows);

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

// --- Text (format_text.cpp) ---
std::string_view stripBom(std::string_view text);
bool isBlank(std::string_view text); // only spaces, tabs and line breaks
std::string lowercase(std::string_view text); // ASCII only

} // namespace ts::detail

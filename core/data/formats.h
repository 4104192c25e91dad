// Dataset file formats: OpenAI chat JSONL, Alpaca (JSON array or JSONL), ShareGPT (JSON
// array or JSONL) and CSV with a column mapping. Parsing never throws: every bad row becomes
// an ImportProblem naming its line, field and reason, so a caller can refuse the whole file
// or keep only the valid rows.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"
#include "store/example.h"

namespace ts {

enum class DataFormat { OpenAiJsonl, AlpacaJson, AlpacaJsonl, ShareGptJson, ShareGptJsonl, Csv };

std::string_view formatName(DataFormat format); // "openai-jsonl", "alpaca-json", ...
std::optional<DataFormat> formatFromName(std::string_view name);
std::string_view formatLabel(DataFormat format); // "OpenAI chat (JSONL)", ...
// Guess from extension and the first non-blank bytes; nullopt when unsure.
std::optional<DataFormat> detectFormat(const std::filesystem::path& path);

struct ImportProblem
{
    size_t line = 0; // 1-based line where the row starts (0 = whole file)
    std::string field; // e.g. "messages[1].content", "output", column name; "" if none
    std::string reason; // e.g. "invalid JSON: unexpected end of input", "missing field", "not UTF-8"
};
std::string describe(const ImportProblem& problem); // "line 12, field \"output\": missing field"

// CSV column mapping: 0-based column index per target, -1 = not mapped.
struct CsvMapping
{
    int input = -1; // required
    int output = -1; // required
    int system = -1;
    int split = -1;
    int tags = -1; // comma-separated tags in one cell
    bool hasHeader = true;
};

struct CsvPreview
{
    std::vector<std::string> header; // column names (or "Column 1".. without header)
    std::vector<std::vector<std::string>> rows; // first few data rows
    CsvMapping suggested; // guessed from header names
};
Expected<CsvPreview> previewCsv(const std::filesystem::path& path, size_t maxRows = 5);

struct ParsedFile
{
    std::vector<Example> examples; // valid rows, in file order (source = Imported, id = 0)
    std::vector<size_t> lines; // line of each valid example
    std::vector<ImportProblem> problems; // every bad row, in file order
    size_t rows = 0; // rows seen (valid + bad)
};

// Reads and validates the whole file. Fails only for I/O errors or cancellation
// (cancelledError()); bad rows go to `problems`. Progress counts bytes.
Expected<ParsedFile> parseFile(const std::filesystem::path& path, DataFormat format, const CsvMapping& mapping,
                               const CancelToken& cancel, ProgressSink& progress);
// Same for in-memory text (tests, clipboard).
ParsedFile parseText(std::string_view text, DataFormat format, const CsvMapping& mapping = {});

// Writes examples; the file is written to a temporary name and renamed, so a failure or
// cancel never leaves a half-written file. Alpaca puts earlier turns in "history"; every
// format carries "split" and "tags" so a re-import gives identical examples.
Status writeFile(const std::filesystem::path& path, DataFormat format, const std::vector<Example>& examples,
                 const CancelToken& cancel, ProgressSink& progress);
std::string writeText(DataFormat format, const std::vector<Example>& examples);

} // namespace ts

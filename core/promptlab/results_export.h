// An A/B test run's results as a file to read elsewhere: one record per cell (variant × example × repeat) with the
// example's input and reference, the output or the call's error, whether it passed its checks, usage, latency,
// cost, and every scorer's value — as CSV (RFC 4180: text fields quoted, quotes doubled, line breaks kept inside
// quotes) or JSON Lines.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/expected.h"
#include "promptlab/cell_repository.h"

namespace ts::promptlab {

enum class ResultsFormat { Csv, Jsonl };

struct ExampleText
{
    std::string input;
    std::string reference;
};

// "yes" when the call succeeded and every pass/fail score passed, "no" when the call failed or a check failed,
// "" when the cell has no pass/fail score.
std::string passedText(const Cell& cell);

// Header: variant, example_id, repeat (from 1), input, reference, output, passed, error, error_kind, attempts,
// tokens_in, tokens_out, latency_ms, cost_usd, then per scorer (in the order they first appear) "<scorer>" and
// "<scorer> passed". Unknown numbers are empty fields.
std::string resultsToCsv(const std::vector<Cell>& cells, const std::map<int64_t, ExampleText>& examples);
// One JSON object per line with the same fields, "scores" as [{"scorer", "value", "passed", "detail"}], unknown
// numbers as null. Bytes that are not UTF-8 become U+FFFD.
std::string resultsToJsonl(const std::vector<Cell>& cells, const std::map<int64_t, ExampleText>& examples);

// Writes next to `path` first and renames, so a failed export leaves no half file. Error: "Cannot write <path>: …".
Status writeResults(const std::filesystem::path& path, ResultsFormat format, const std::vector<Cell>& cells,
                    const std::map<int64_t, ExampleText>& examples);

} // namespace ts::promptlab

// promptlab results export: CSV read back by an RFC 4180 reader (quotes, commas, line breaks inside fields), JSON
// Lines read back with nlohmann, unknown numbers empty / null, and the file written whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "promptlab/results_export.h"

using namespace ts;
using namespace ts::promptlab;

namespace {

// RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold commas, CRLF / LF and "" for ".
std::vector<std::vector<std::string>> readCsv(const std::string& text)
{
    std::vector<std::vector<std::string>> records(1);
    std::string field;
    bool inQuotes = false, wasQuoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inQuotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                inQuotes = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            EXPECT_TRUE(field.empty()) << "a quote inside an unquoted field at byte " << i;
            inQuotes = wasQuoted = true;
        } else if (c == ',') {
            records.back().push_back(field);
            field.clear();
            wasQuoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            records.back().push_back(field);
            field.clear();
            wasQuoted = false;
            records.emplace_back();
            ++i;
        } else {
            EXPECT_NE(c, '\n') << "a bare line break outside quotes at byte " << i;
            field += c;
        }
    }
    EXPECT_FALSE(inQuotes) << "the text ends inside a quoted field";
    EXPECT_TRUE(field.empty() && !wasQuoted);
    records.pop_back(); // after the last CRLF
    return records;
}

std::vector<Cell> sampleCells()
{
    Cell a;
    a.variant = "A, \"terse\" v1";
    a.exampleId = 7;
    a.repeat = 1;
    a.output = "line one\nline \"two\", with a comma\r\nline three";
    a.tokensIn = 12;
    a.tokensOut = 4;
    a.latencyMs = 3.5;
    a.cost = 0.00025;
    a.scores = {{"exact_match", 0, false, "differs"}, {"length_words", 9, std::nullopt, "9 words"}};
    Cell b;
    b.variant = "B v1";
    b.exampleId = 8;
    b.error = "the model refused";
    b.errorKind = "bad_request";
    b.attempts = 3;
    return {a, b};
}

const std::map<int64_t, ExampleText> kExamples = {{7, {"What is 7, \"roughly\"?", "14\n(fourteen)"}}};

} // namespace

TEST(ResultsExport, CsvQuotesCommasQuotesAndLineBreaks)
{
    const auto records = readCsv(resultsToCsv(sampleCells(), kExamples));
    ASSERT_EQ(records.size(), 3u);
    const std::vector<std::string> header = {"variant",      "example_id",
                                             "repeat",       "input",
                                             "reference",    "output",
                                             "passed",       "error",
                                             "error_kind",   "attempts",
                                             "tokens_in",    "tokens_out",
                                             "latency_ms",   "cost_usd",
                                             "exact_match",  "exact_match passed",
                                             "length_words", "length_words passed"};
    EXPECT_EQ(records[0], header);
    const std::vector<std::string> first = {"A, \"terse\" v1",
                                            "7",
                                            "2",
                                            "What is 7, \"roughly\"?",
                                            "14\n(fourteen)",
                                            "line one\nline \"two\", with a comma\r\nline three",
                                            "no",
                                            "",
                                            "",
                                            "1",
                                            "12",
                                            "4",
                                            "3.5",
                                            "0.00025",
                                            "0.0",
                                            "no",
                                            "9.0",
                                            ""};
    EXPECT_EQ(records[1], first);
    const std::vector<std::string> second
        = {"B v1", "8", "1", "", "", "", "no", "the model refused", "bad_request", "3", "", "", "", "", "", "", "", ""};
    EXPECT_EQ(records[2], second);
}

TEST(ResultsExport, JsonLinesHoldTheSameFields)
{
    std::istringstream lines(resultsToJsonl(sampleCells(), kExamples));
    std::string line;
    std::vector<nlohmann::json> records;
    while (std::getline(lines, line))
        records.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0]["variant"], "A, \"terse\" v1");
    EXPECT_EQ(records[0]["repeat"], 2);
    EXPECT_EQ(records[0]["input"], "What is 7, \"roughly\"?");
    EXPECT_EQ(records[0]["output"], "line one\nline \"two\", with a comma\r\nline three");
    EXPECT_EQ(records[0]["passed"], false);
    EXPECT_EQ(records[0]["cost_usd"], 0.00025);
    ASSERT_EQ(records[0]["scores"].size(), 2u);
    EXPECT_EQ(
        records[0]["scores"][1],
        (nlohmann::json {{"scorer", "length_words"}, {"value", 9.0}, {"passed", nullptr}, {"detail", "9 words"}}));
    EXPECT_EQ(records[1]["error_kind"], "bad_request");
    EXPECT_TRUE(records[1]["tokens_in"].is_null());
    EXPECT_TRUE(records[1]["cost_usd"].is_null());
    EXPECT_EQ(records[1]["input"], ""); // an example not given
}

TEST(ResultsExport, WritesTheWholeFileOrSaysWhy)
{
    const auto dir = std::filesystem::temp_directory_path() / ("ts-results-export-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "results.jsonl";
    ASSERT_TRUE(writeResults(file, ResultsFormat::Jsonl, sampleCells(), kExamples).ok());
    std::ifstream in(file, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(written, resultsToJsonl(sampleCells(), kExamples));
    EXPECT_FALSE(std::filesystem::exists(dir / "results.jsonl.part"));
    const auto status = writeResults(dir / "no-such-folder" / "r.csv", ResultsFormat::Csv, sampleCells(), kExamples);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message.find("Cannot write "), 0u) << status.error().message;
    std::filesystem::remove_all(dir);
}

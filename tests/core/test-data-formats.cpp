// Dataset formats: round trips in every format, bad rows reported by line/field/reason, detection, CSV preview,
// UTF-8 validation, and a 100,000-row file that parses quickly and can be cancelled.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/utf8.h"
#include "data/formats.h"
#include "test_support.h"

using namespace ts;

namespace {

const std::vector<DataFormat> kAllFormats
    = {DataFormat::OpenAiJsonl,  DataFormat::AlpacaJson,    DataFormat::AlpacaJsonl,
       DataFormat::ShareGptJson, DataFormat::ShareGptJsonl, DataFormat::Csv};

// The mapping for files written by writeFile/writeText in CSV: system,input,output,split,tags.
CsvMapping writtenCsvMapping()
{
    CsvMapping mapping;
    mapping.system = 0;
    mapping.input = 1;
    mapping.output = 2;
    mapping.split = 3;
    mapping.tags = 4;
    return mapping;
}

Example makeExample(std::vector<Message> messages, Split split = Split::Train, std::vector<std::string> tags = {})
{
    Example example;
    example.messages = std::move(messages);
    example.split = split;
    example.tags = std::move(tags);
    return example;
}

// One system/user/assistant turn each: representable in every format, CSV included.
std::vector<Example> singleTurnExamples()
{
    return {
        makeExample({{"system", "You are terse."},
                     {"user", "Héllo, \"world\"\nline two"},
                     {"assistant", "Ça va? 日本語 🎉, \"quoted\", a,b"}},
                    Split::Train, {"greeting", "unicode"}),
        makeExample({{"user", "a,b,c"}, {"assistant", "windows\r\nline break"}}, Split::Eval),
        makeExample({{"user", "  spaces around  "}, {"assistant", "\"starts with a quote"}}, Split::Test,
                    {"t1", "t2", "t3"}),
        makeExample({{"system", "Σύστημα\nmulti-line"}, {"user", "tab\there"}, {"assistant", "back\\slash {json}"}},
                    Split::Eval, {"edge case"}),
    };
}

// Strict user/assistant pairs after an optional system message: representable in JSON formats and Alpaca.
std::vector<Example> multiTurnExamples()
{
    return {
        makeExample({{"system", "Be kind."},
                     {"user", "u1"},
                     {"assistant", "a1"},
                     {"user", "u2 ✓"},
                     {"assistant", "a2\nwith newline"}},
                    Split::Test, {"multi"}),
        makeExample({{"user", "first"},
                     {"assistant", "1"},
                     {"user", "second"},
                     {"assistant", "2"},
                     {"user", "third"},
                     {"assistant", "3"}},
                    Split::Train),
    };
}

// Conversations only OpenAI and ShareGPT can hold.
std::vector<Example> irregularExamples()
{
    return {
        makeExample({{"user", "part one"}, {"user", "part two"}, {"assistant", "answer"}}, Split::Eval, {"odd"}),
        makeExample({{"user", "q"}, {"assistant", "a"}, {"assistant", "and more"}}),
    };
}

std::vector<Example> representableExamples(DataFormat format)
{
    std::vector<Example> examples = singleTurnExamples();
    if (format == DataFormat::Csv)
        return examples;
    for (auto& e : multiTurnExamples())
        examples.push_back(e);
    if (format == DataFormat::AlpacaJson || format == DataFormat::AlpacaJsonl)
        return examples;
    for (auto& e : irregularExamples())
        examples.push_back(e);
    return examples;
}

CsvMapping mappingFor(DataFormat format)
{
    return format == DataFormat::Csv ? writtenCsvMapping() : CsvMapping {};
}

std::string problemsText(const ParsedFile& parsed)
{
    std::string text;
    for (const auto& p : parsed.problems)
        text += describe(p) + "\n";
    return text;
}

void expectSameExamples(const std::vector<Example>& expected, const ParsedFile& parsed)
{
    EXPECT_TRUE(parsed.problems.empty()) << problemsText(parsed);
    ASSERT_EQ(parsed.examples.size(), expected.size());
    EXPECT_EQ(parsed.rows, expected.size());
    EXPECT_EQ(parsed.lines.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        const Example& got = parsed.examples[i];
        EXPECT_TRUE(got.sameContent(expected[i])) << "example " << i << ": " << messagesToJson(got.messages) << " "
                                                  << splitName(got.split) << " " << tagsToJson(got.tags);
        EXPECT_EQ(got.source, Source::Imported);
        EXPECT_EQ(got.id, 0);
    }
}

void writeBytes(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

const ImportProblem* problemAt(const ParsedFile& parsed, size_t line)
{
    for (const auto& p : parsed.problems)
        if (p.line == line)
            return &p;
    return nullptr;
}

// Asserts there is a problem at `line` with this field and a reason starting with `reasonStart`.
void expectProblem(const ParsedFile& parsed, size_t line, const std::string& field, const std::string& reasonStart)
{
    const ImportProblem* p = problemAt(parsed, line);
    ASSERT_NE(p, nullptr) << "no problem at line " << line << "; problems:\n" << problemsText(parsed);
    EXPECT_EQ(p->field, field) << describe(*p);
    EXPECT_EQ(p->reason.rfind(reasonStart, 0), 0u) << "line " << line << ": " << describe(*p);
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// UTF-8

TEST(Utf8Validation, AcceptsWellFormedText)
{
    EXPECT_TRUE(utf8::isValid(""));
    EXPECT_TRUE(utf8::isValid("plain ASCII text that is longer than eight bytes"));
    EXPECT_TRUE(utf8::isValid("é Ω 日本語 🎉"));
    EXPECT_TRUE(utf8::isValid("\xC2\x80")); // U+0080, smallest 2-byte
    EXPECT_TRUE(utf8::isValid("\xED\x9F\xBF")); // U+D7FF, just below the surrogates
    EXPECT_TRUE(utf8::isValid("\xEE\x80\x80")); // U+E000, just above
    EXPECT_TRUE(utf8::isValid("\xF4\x8F\xBF\xBF")); // U+10FFFF
}

TEST(Utf8Validation, ReportsOffsetOfFirstBadSequence)
{
    EXPECT_EQ(utf8::findInvalid("abc\xFF"), 3u);
    EXPECT_EQ(utf8::findInvalid("\x80"), 0u); // lone continuation byte
    EXPECT_EQ(utf8::findInvalid("ok \xC0\xAF"), 3u); // overlong '/'
    EXPECT_EQ(utf8::findInvalid("\xC1\xBF"), 0u); // overlong
    EXPECT_EQ(utf8::findInvalid("x\xE0\x80\xAF"), 1u); // overlong 3-byte
    EXPECT_EQ(utf8::findInvalid("\xF0\x80\x80\xAF"), 0u); // overlong 4-byte
    EXPECT_EQ(utf8::findInvalid("é\xED\xA0\x80"), 2u); // surrogate U+D800
    EXPECT_EQ(utf8::findInvalid("\xED\xBF\xBF"), 0u); // surrogate U+DFFF
    EXPECT_EQ(utf8::findInvalid("\xF4\x90\x80\x80"), 0u); // U+110000
    EXPECT_EQ(utf8::findInvalid("\xF5\x80\x80\x80"), 0u); // lead byte beyond U+10FFFF
    EXPECT_EQ(utf8::findInvalid("0123456789\xE6\x97"), 10u); // truncated at the end
    EXPECT_EQ(utf8::findInvalid("\xE6\x97(after)"), 0u); // bad continuation
    EXPECT_EQ(utf8::findInvalid("0123456789abcdef\xFE longer text"), 16u); // after the 8-byte ASCII fast path
}

// ---------------------------------------------------------------------------------------------------------------
// Names and problem text

TEST(DataFormatNames, NamesRoundTripAndLabelsAreDistinct)
{
    EXPECT_EQ(formatName(DataFormat::OpenAiJsonl), "openai-jsonl");
    EXPECT_EQ(formatName(DataFormat::AlpacaJson), "alpaca-json");
    EXPECT_EQ(formatName(DataFormat::AlpacaJsonl), "alpaca-jsonl");
    EXPECT_EQ(formatName(DataFormat::ShareGptJson), "sharegpt-json");
    EXPECT_EQ(formatName(DataFormat::ShareGptJsonl), "sharegpt-jsonl");
    EXPECT_EQ(formatName(DataFormat::Csv), "csv");
    EXPECT_EQ(formatLabel(DataFormat::OpenAiJsonl), "OpenAI chat (JSONL)");
    EXPECT_EQ(formatLabel(DataFormat::AlpacaJson), "Alpaca (JSON)");
    for (DataFormat a : kAllFormats) {
        EXPECT_EQ(formatFromName(formatName(a)), a);
        for (DataFormat b : kAllFormats)
            if (a != b)
                EXPECT_NE(formatLabel(a), formatLabel(b));
    }
    EXPECT_EQ(formatFromName("CSV"), DataFormat::Csv);
    EXPECT_EQ(formatFromName("xml"), std::nullopt);
    EXPECT_EQ(formatFromName(""), std::nullopt);
}

TEST(DataFormatDescribe, NamesLineFieldAndReason)
{
    EXPECT_EQ(describe({12, "output", "missing field"}), "line 12, field \"output\": missing field");
    EXPECT_EQ(describe({3, "", "not UTF-8 (byte offset 4)"}), "line 3: not UTF-8 (byte offset 4)");
    EXPECT_EQ(describe({0, "mapping", "no column is mapped to input"}),
              "file, field \"mapping\": no column is mapped to input");
    EXPECT_EQ(describe({0, "", "invalid JSON"}), "file: invalid JSON");
}

// ---------------------------------------------------------------------------------------------------------------
// Round trips

class FormatRoundTrip : public ::testing::TestWithParam<DataFormat>
{
};

TEST_P(FormatRoundTrip, WriteTextThenParseTextGivesSameExamples)
{
    const DataFormat format = GetParam();
    const auto examples = representableExamples(format);
    const std::string text = writeText(format, examples);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    const ParsedFile parsed = parseText(text, format, mappingFor(format));
    expectSameExamples(examples, parsed);
}

TEST_P(FormatRoundTrip, WriteFileThenParseFileGivesSameExamples)
{
    const DataFormat format = GetParam();
    const auto examples = representableExamples(format);
    tstest::TempDir dir;
    const auto path = dir / ("out." + std::string(formatName(format)));
    CancelToken cancel;
    std::vector<Progress> writeReports;
    CallbackProgress writeProgress([&](const Progress& p) { writeReports.push_back(p); });
    const Status written = writeFile(path, format, examples, cancel, writeProgress);
    ASSERT_TRUE(written.ok()) << written.error().message;
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
    ASSERT_FALSE(writeReports.empty());
    EXPECT_EQ(writeReports.back().done, static_cast<int64_t>(examples.size()));
    EXPECT_EQ(writeReports.back().total, static_cast<int64_t>(examples.size()));

    NullProgress progress;
    auto parsed = parseFile(path, format, mappingFor(format), cancel, progress);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    expectSameExamples(examples, *parsed);
}

TEST_P(FormatRoundTrip, EmptyListRoundTrips)
{
    const DataFormat format = GetParam();
    const ParsedFile parsed = parseText(writeText(format, {}), format, mappingFor(format));
    EXPECT_TRUE(parsed.examples.empty());
    EXPECT_TRUE(parsed.problems.empty()) << problemsText(parsed);
    EXPECT_EQ(parsed.rows, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, FormatRoundTrip, ::testing::ValuesIn(kAllFormats), [](const auto& info) {
    std::string name(formatName(info.param));
    std::erase(name, '-');
    return name;
});

TEST(OpenAiJsonlFormat, WritesOneCompactUnescapedObjectPerLine)
{
    const auto examples = singleTurnExamples();
    const std::string text = writeText(DataFormat::OpenAiJsonl, examples);
    std::istringstream in(text);
    std::string line;
    size_t lines = 0;
    while (std::getline(in, line)) {
        ++lines;
        EXPECT_EQ(line.front(), '{');
        EXPECT_EQ(line.back(), '}');
        EXPECT_NE(line.find("\"split\":"), std::string::npos);
        EXPECT_NE(line.find("\"tags\":"), std::string::npos);
    }
    EXPECT_EQ(lines, examples.size());
    EXPECT_NE(text.find("日本語"), std::string::npos); // not \u-escaped
    EXPECT_NE(text.find("\"split\":\"test\""), std::string::npos);
    EXPECT_NE(text.find("\"tags\":[\"greeting\",\"unicode\"]"), std::string::npos);
}

TEST(AlpacaFormat, WritesHistorySystemAndEmptyInput)
{
    const auto multi = multiTurnExamples();
    const std::string text = writeText(DataFormat::AlpacaJsonl, {multi[0]});
    EXPECT_NE(text.find("\"system\":\"Be kind.\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"instruction\":\"u2 ✓\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"input\":\"\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"history\":[[\"u1\",\"a1\"]]"), std::string::npos) << text;
    const std::string noSystem = writeText(DataFormat::AlpacaJsonl, {multi[1]});
    EXPECT_EQ(noSystem.find("\"system\""), std::string::npos) << noSystem;
}

TEST(ShareGptFormat, WritesHumanAndGptSpeakers)
{
    const std::string text = writeText(DataFormat::ShareGptJsonl, {singleTurnExamples()[0]});
    EXPECT_NE(text.find("{\"from\":\"system\",\"value\":\"You are terse.\"}"), std::string::npos) << text;
    EXPECT_NE(text.find("\"from\":\"human\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"from\":\"gpt\""), std::string::npos) << text;
}

TEST(CsvFormat, WritesHeaderAndQuotesOnlyWhenNeeded)
{
    const std::string text = writeText(
        DataFormat::Csv,
        {makeExample({{"user", "plain"}, {"assistant", "say \"hi\", then\nleave"}}, Split::Eval, {"a", "b"})});
    EXPECT_EQ(text, "system,input,output,split,tags\n,plain,\"say \"\"hi\"\", then\nleave\",eval,\"a, b\"\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Bad rows

TEST(OpenAiJsonlFormat, ReportsEachKindOfBadRowWithItsLine)
{
    const std::string text
        = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":"
          "\"hello\"}]}\n" // 1
          "\n" // 2
          "{\"messages\": [\n" // 3
          "[1, 2]\n" // 4
          "{\"prompt\": \"x\"}\n" // 5
          "{\"messages\": \"hi\"}\n" // 6
          "{\"messages\":[{\"role\":\"user\",\"content\":5}]}\n" // 7
          "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}\n" // 8
          "{\"messages\":[]}\n" // 9
          "{\"messages\":[{\"role\":\"user\",\"content\":\"only me\"}]}\n" // 10
          "{\"messages\":[{\"role\":\"assistant\",\"content\":\"only me\"}]}\n" // 11
          "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\xff\"}]}\n" // 12
          "   \t\n" // 13
          "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
          "\"content\":\"a\"}],\"split\":\"bogus\"}\n" // 14
          "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
          "\"content\":\"a\"}],\"tags\":[\"ok\", 1]}\n" // 15
          "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
          "\"content\":\"a\"}],\"split\":3}\n" // 16
          "{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n" // 17
          "{\"messages\":[{\"content\":\"x\"}]}\n" // 18
          "{\"messages\":[\"text\"]}\n" // 19
          "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
          "\"content\":\"a\"}],\"tags\":\"ok\"}\n" // 20
          "{\"id\": 7, \"messages\":[{\"role\":\"system\",\"content\":\"sys\"},"
          "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"part 1, \"},"
          "{\"type\":\"text\",\"text\":\"part 2\"}]},{\"role\":\"assistant\",\"content\":\"a\"}],"
          "\"split\":\"validation\",\"tags\":[\"x\"]}\r\n"; // 21
    const ParsedFile parsed = parseText(text, DataFormat::OpenAiJsonl);

    expectProblem(parsed, 3, "", "invalid JSON: ");
    EXPECT_NE(problemAt(parsed, 3)->reason.find("unexpected end of input"), std::string::npos);
    EXPECT_EQ(problemAt(parsed, 3)->reason.find("json.exception"), std::string::npos); // brief message
    expectProblem(parsed, 4, "", "not an object");
    expectProblem(parsed, 5, "messages", "missing field");
    expectProblem(parsed, 6, "messages", "wrong type");
    expectProblem(parsed, 7, "messages[0].content", "wrong type");
    expectProblem(parsed, 8, "messages[0].role", "unknown role \"robot\"");
    expectProblem(parsed, 9, "messages", "empty conversation");
    expectProblem(parsed, 10, "messages", "no assistant message");
    expectProblem(parsed, 11, "messages", "no user message");
    expectProblem(parsed, 12, "", "not UTF-8 (byte offset 42)");
    expectProblem(parsed, 14, "split", "unknown split \"bogus\"");
    expectProblem(parsed, 15, "tags[1]", "wrong type");
    expectProblem(parsed, 16, "split", "wrong type");
    expectProblem(parsed, 17, "messages[0].content", "missing field");
    expectProblem(parsed, 18, "messages[0].role", "missing field");
    expectProblem(parsed, 19, "messages[0]", "wrong type");
    expectProblem(parsed, 20, "tags", "wrong type");
    EXPECT_EQ(parsed.problems.size(), 17u) << problemsText(parsed);
    EXPECT_EQ(parsed.rows, 19u); // blank lines 2 and 13 are not rows

    ASSERT_EQ(parsed.examples.size(), 2u);
    EXPECT_EQ(parsed.lines, (std::vector<size_t> {1, 21}));
    const Example& last = parsed.examples[1];
    EXPECT_EQ(last.messages,
              (std::vector<Message> {{"system", "sys"}, {"user", "part 1, part 2"}, {"assistant", "a"}}));
    EXPECT_EQ(last.split, Split::Eval);
    EXPECT_EQ(last.tags, std::vector<std::string> {"x"});
    EXPECT_EQ(last.id, 0); // the file's "id" key is ignored
    EXPECT_EQ(parsed.examples[0].split, Split::Train);
    EXPECT_EQ(parsed.examples[0].source, Source::Imported);
}

TEST(OpenAiJsonlFormat, ProblemsComeInFileOrderAndBomIsSkipped)
{
    const std::string ok = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
                           "\"content\":\"a\"}]}";
    const ParsedFile parsed = parseText("\xEF\xBB\xBF" + ok + "\nnope\n" + ok + "\n{}\n", DataFormat::OpenAiJsonl);
    ASSERT_EQ(parsed.problems.size(), 2u) << problemsText(parsed);
    EXPECT_EQ(parsed.problems[0].line, 2u);
    EXPECT_EQ(parsed.problems[1].line, 4u);
    EXPECT_EQ(parsed.lines, (std::vector<size_t> {1, 3}));
}

TEST(OpenAiJsonlFormat, RejectsNonTextContentParts)
{
    const ParsedFile parsed = parseText("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]},"
                                        "{\"role\":\"assistant\",\"content\":\"a\"}]}",
                                        DataFormat::OpenAiJsonl);
    ASSERT_EQ(parsed.problems.size(), 1u);
    EXPECT_EQ(parsed.problems[0].field, "messages[0].content[0].type");
    EXPECT_TRUE(parsed.examples.empty());
}

TEST(AlpacaFormat, MapsInstructionInputHistoryAndSystem)
{
    const std::string text
        = "{\"instruction\":\"Translate\",\"input\":\"chat\",\"output\":\"cat\"}\n"
          "{\"instruction\":\"Sum\",\"output\":\"2\",\"system\":\"math\",\"history\":[[\"1+0?\",\"1\"],[\"0+0?\","
          "\"0\"]],\"split\":\"test\",\"tags\":[\"m\"]}\n"
          "{\"instruction\":\"I\",\"input\":\"\",\"output\":\"O\",\"system\":\"\",\"unknown\":true}\n";
    const ParsedFile parsed = parseText(text, DataFormat::AlpacaJsonl);
    EXPECT_TRUE(parsed.problems.empty()) << problemsText(parsed);
    ASSERT_EQ(parsed.examples.size(), 3u);
    EXPECT_EQ(parsed.examples[0].messages,
              (std::vector<Message> {{"user", "Translate\n\nchat"}, {"assistant", "cat"}}));
    EXPECT_EQ(parsed.examples[1].messages,
              (std::vector<Message> {{"system", "math"},
                                     {"user", "1+0?"},
                                     {"assistant", "1"},
                                     {"user", "0+0?"},
                                     {"assistant", "0"},
                                     {"user", "Sum"},
                                     {"assistant", "2"}}));
    EXPECT_EQ(parsed.examples[1].split, Split::Test);
    EXPECT_EQ(parsed.examples[1].tags, std::vector<std::string> {"m"});
    EXPECT_EQ(parsed.examples[2].messages, (std::vector<Message> {{"user", "I"}, {"assistant", "O"}}));
}

TEST(AlpacaFormat, JsonArrayReportsEachBadElementAtItsStartLine)
{
    const std::string text
        = "[\n" // 1
          "  {\"instruction\": \"i1\", \"output\": \"o1\"},\n" // 2
          "  {\n" // 3
          "    \"instruction\": \"i2, with [brackets] and {braces}\",\n" // 4
          "    \"input\": \"quote \\\" and backslash \\\\\",\n" // 5
          "    \"output\": \"o2\",\n" // 6
          "    \"split\": \"eval\"\n" // 7
          "  },\n" // 8
          "  {\"instruction\": \"i3\"},\n" // 9
          "  {\"instruction\": 3, \"output\": \"x\"},\n" // 10
          "  {\"instruction\": \"i5\", \"output\": \"o5\" \"oops\"},\n" // 11
          "  \"just a string\",\n" // 12
          "  {\"instruction\": \"i7\", \"output\": \"o7\", \"history\": [[\"u\", \"a\"], [\"u2\"]]},\n" // 13
          "  {\"instruction\": \"i8\", \"output\": \"o8 \xff\"},\n" // 14
          "  {\"instruction\": \"i9\", \"output\": \"o9\", \"system\": \"sys\",\n" // 15
          "   \"history\": [[\"hu\", \"ha\"]], \"tags\": [\"x\"]}\n" // 16
          "]\n";
    const ParsedFile parsed = parseText(text, DataFormat::AlpacaJson);
    expectProblem(parsed, 9, "output", "missing field");
    expectProblem(parsed, 10, "instruction", "wrong type");
    expectProblem(parsed, 11, "", "invalid JSON: ");
    expectProblem(parsed, 12, "", "not an object");
    expectProblem(parsed, 13, "history[1]", "wrong type");
    expectProblem(parsed, 14, "", "not UTF-8");
    EXPECT_EQ(parsed.problems.size(), 6u) << problemsText(parsed);
    EXPECT_EQ(parsed.rows, 9u);

    EXPECT_EQ(parsed.lines, (std::vector<size_t> {2, 3, 15}));
    ASSERT_EQ(parsed.examples.size(), 3u);
    EXPECT_EQ(parsed.examples[1].messages,
              (std::vector<Message> {{"user", "i2, with [brackets] and {braces}\n\nquote \" and backslash \\"},
                                     {"assistant", "o2"}}));
    EXPECT_EQ(parsed.examples[1].split, Split::Eval);
    EXPECT_EQ(parsed.examples[2].messages,
              (std::vector<Message> {
                  {"system", "sys"}, {"user", "hu"}, {"assistant", "ha"}, {"user", "i9"}, {"assistant", "o9"}}));
}

TEST(AlpacaFormat, JsonFileThatIsNotAnArrayIsOneFileProblem)
{
    const ParsedFile object = parseText("{\"instruction\":\"i\",\"output\":\"o\"}", DataFormat::AlpacaJson);
    ASSERT_EQ(object.problems.size(), 1u);
    EXPECT_EQ(object.problems[0].line, 0u);
    EXPECT_EQ(object.problems[0].reason.rfind("invalid JSON", 0), 0u);
    EXPECT_EQ(object.rows, 0u);

    const ParsedFile empty = parseText("", DataFormat::AlpacaJson);
    ASSERT_EQ(empty.problems.size(), 1u);
    EXPECT_EQ(empty.problems[0].line, 0u);
}

TEST(AlpacaFormat, TruncatedJsonArrayIsReported)
{
    const ParsedFile parsed
        = parseText("[\n{\"instruction\":\"i\",\"output\":\"o\"},\n{\"instruction\":\"i2\",", DataFormat::AlpacaJson);
    ASSERT_EQ(parsed.examples.size(), 1u);
    expectProblem(parsed, 3, "", "invalid JSON: ");
    EXPECT_FALSE(parsed.problems.empty());

    const ParsedFile unclosed = parseText("[\n{\"instruction\":\"i\",\"output\":\"o\"}\n", DataFormat::AlpacaJson);
    EXPECT_EQ(unclosed.examples.size(), 1u);
    ASSERT_EQ(unclosed.problems.size(), 1u);
    EXPECT_NE(unclosed.problems[0].reason.find("expected ']'"), std::string::npos) << problemsText(unclosed);

    const ParsedFile trailing
        = parseText("[{\"instruction\":\"i\",\"output\":\"o\"}]\n\nextra", DataFormat::AlpacaJson);
    EXPECT_EQ(trailing.examples.size(), 1u);
    expectProblem(trailing, 3, "", "invalid JSON");
}

TEST(AlpacaFormat, UnterminatedStringIsReportedAtItsElement)
{
    const std::string text = "[\n{\"instruction\":\"i0\",\"output\":\"o0\"},\n"
                             "{\"instruction\":\"i1\",\"output\":\"never closed},\n"
                             "{\"instruction\":\"i2\",\"output\":\"o2\"}\n]\n";
    const ParsedFile parsed = parseText(text, DataFormat::AlpacaJson);
    expectProblem(parsed, 3, "", "invalid JSON");
    ASSERT_EQ(parsed.examples.size(), 1u);
    EXPECT_EQ(parsed.lines, std::vector<size_t> {2});
}

TEST(ShareGptFormat, AcceptsSpeakerSynonymsAndReportsUnknownOnes)
{
    const std::string text
        = "{\"conversations\":[{\"from\":\"system\",\"value\":\"s\"},{\"from\":\"human\",\"value\":\"h\"},"
          "{\"from\":\"gpt\",\"value\":\"g\"},{\"from\":\"user\",\"value\":\"u\"},{\"from\":\"assistant\","
          "\"value\":\"a\"}],\"split\":\"dev\",\"tags\":[\"t\"]}\n" // 1
          "{\"conversations\":[{\"from\":\"human\",\"value\":\"h\"},{\"from\":\"bot\",\"value\":\"b\"}]}\n" // 2
          "{\"conversations\":[{\"from\":\"human\"},{\"from\":\"gpt\",\"value\":\"b\"}]}\n" // 3
          "{\"messages\":[]}\n" // 4
          "{\"conversations\":{}}\n" // 5
          "{\"conversations\":[{\"from\":\"human\",\"value\":\"only\"}]}\n" // 6
          "{\"system\":\"top\",\"conversations\":[{\"from\":\"human\",\"value\":\"h\"},{\"from\":\"gpt\","
          "\"value\":\"g\"}]}\n"; // 7
    const ParsedFile parsed = parseText(text, DataFormat::ShareGptJsonl);
    expectProblem(parsed, 2, "conversations[1].from", "unknown role \"bot\"");
    expectProblem(parsed, 3, "conversations[0].value", "missing field");
    expectProblem(parsed, 4, "conversations", "missing field");
    expectProblem(parsed, 5, "conversations", "wrong type");
    expectProblem(parsed, 6, "conversations", "no assistant message");
    EXPECT_EQ(parsed.problems.size(), 5u) << problemsText(parsed);
    ASSERT_EQ(parsed.examples.size(), 2u);
    EXPECT_EQ(
        parsed.examples[0].messages,
        (std::vector<Message> {{"system", "s"}, {"user", "h"}, {"assistant", "g"}, {"user", "u"}, {"assistant", "a"}}));
    EXPECT_EQ(parsed.examples[0].split, Split::Eval);
    EXPECT_EQ(parsed.examples[0].tags, std::vector<std::string> {"t"});
    EXPECT_EQ(parsed.examples[1].messages,
              (std::vector<Message> {{"system", "top"}, {"user", "h"}, {"assistant", "g"}}));
}

TEST(ShareGptFormat, JsonArrayElementsKeepTheirLines)
{
    const std::string text = "[{\"conversations\":[{\"from\":\"human\",\"value\":\"h\"},{\"from\":\"gpt\",\"value\":"
                             "\"g\"}]},\n"
                             "\n"
                             " {\"conversations\":[{\"from\":\"human\",\"value\":\"h\"}]},\n"
                             " {\"conversations\":[{\"from\":\"human\",\"value\":\"line\\nbreak\"},\n"
                             "   {\"from\":\"gpt\",\"value\":\"g\"}]}]";
    const ParsedFile parsed = parseText(text, DataFormat::ShareGptJson);
    expectProblem(parsed, 3, "conversations", "no assistant message");
    EXPECT_EQ(parsed.lines, (std::vector<size_t> {1, 4}));
    ASSERT_EQ(parsed.examples.size(), 2u);
    EXPECT_EQ(parsed.examples[1].input(), "line\nbreak");
}

TEST(CsvFormat, QuotedNewlinesShiftLaterRowLines)
{
    const std::string text = "input,output,split\n" // 1
                             "\"first\nsecond\",out1,train\n" // 2-3
                             ",out2,\n" // 4
                             "in3,\"multi\r\nline\nout\",eval\n" // 5-7
                             "in4\n" // 8
                             "\n" // 9
                             "in5,out5,nope\n" // 10
                             "\"in \"\"6\"\"\",out6,\n" // 11
                             "in7,\"never closed\n" // 12
                             "more,rows\n"; // 13
    CsvMapping mapping;
    mapping.input = 0;
    mapping.output = 1;
    mapping.split = 2;
    const ParsedFile parsed = parseText(text, DataFormat::Csv, mapping);
    expectProblem(parsed, 4, "input", "missing field");
    expectProblem(parsed, 8, "", "wrong number of columns (expected at least 3, got 1)");
    expectProblem(parsed, 10, "split", "unknown split \"nope\"");
    expectProblem(parsed, 12, "", "unterminated quoted field");
    EXPECT_EQ(parsed.problems.size(), 4u) << problemsText(parsed);
    EXPECT_EQ(parsed.rows, 7u);
    EXPECT_EQ(parsed.lines, (std::vector<size_t> {2, 5, 11}));
    ASSERT_EQ(parsed.examples.size(), 3u);
    EXPECT_EQ(parsed.examples[0].messages, (std::vector<Message> {{"user", "first\nsecond"}, {"assistant", "out1"}}));
    EXPECT_EQ(parsed.examples[1].output(), "multi\r\nline\nout");
    EXPECT_EQ(parsed.examples[1].split, Split::Eval);
    EXPECT_EQ(parsed.examples[2].input(), "in \"6\"");
    EXPECT_EQ(parsed.examples[2].split, Split::Train);
}

TEST(CsvFormat, HandlesCrlfBomSystemTagsAndNoHeader)
{
    const std::string text = "\xEF\xBB\xBFsys one,q1,a1,\" x, y ,x\"\r\n"
                             ",q2,a2,\r\n"
                             "sys,q3,\"a\xff\"\r\n";
    CsvMapping mapping;
    mapping.system = 0;
    mapping.input = 1;
    mapping.output = 2;
    mapping.tags = 3;
    mapping.hasHeader = false;
    const ParsedFile parsed = parseText(text, DataFormat::Csv, mapping);
    ASSERT_EQ(parsed.examples.size(), 2u) << problemsText(parsed);
    EXPECT_EQ(parsed.examples[0].messages,
              (std::vector<Message> {{"system", "sys one"}, {"user", "q1"}, {"assistant", "a1"}}));
    EXPECT_EQ(parsed.examples[0].tags, (std::vector<std::string> {"x", "y"}));
    EXPECT_EQ(parsed.examples[1].messages, (std::vector<Message> {{"user", "q2"}, {"assistant", "a2"}}));
    EXPECT_TRUE(parsed.examples[1].tags.empty());
    EXPECT_EQ(parsed.lines, (std::vector<size_t> {1, 2}));
    // Row 3 has only 3 columns, but the UTF-8 check comes first.
    expectProblem(parsed, 3, "", "not UTF-8 (byte offset 9)");
}

TEST(CsvFormat, HeaderNamesNameTheColumnInProblems)
{
    CsvMapping mapping;
    mapping.input = 1;
    mapping.output = 0;
    const ParsedFile parsed = parseText("Completion,Prompt\n,question\n", DataFormat::Csv, mapping);
    expectProblem(parsed, 2, "Completion", "missing field");
}

TEST(CsvFormat, MissingMappingIsAFileProblem)
{
    CsvMapping mapping;
    mapping.input = 0;
    const ParsedFile parsed = parseText("input,output\na,b\n", DataFormat::Csv, mapping);
    ASSERT_EQ(parsed.problems.size(), 1u);
    EXPECT_EQ(parsed.problems[0].line, 0u);
    EXPECT_EQ(parsed.problems[0].field, "mapping");
    EXPECT_TRUE(parsed.examples.empty());
    EXPECT_EQ(parsed.rows, 0u);
    EXPECT_EQ(parseText("input,output\na,b\n", DataFormat::Csv).problems.size(), 2u); // neither is mapped
}

// ---------------------------------------------------------------------------------------------------------------
// Unrepresentable examples

TEST(AlpacaFormat, WriteFileRefusesConversationsThatAreNotUserAssistantPairs)
{
    tstest::TempDir dir;
    CancelToken cancel;
    NullProgress progress;
    for (const Example& irregular : irregularExamples()) {
        Example example = irregular;
        example.id = 42;
        std::vector<Example> examples = singleTurnExamples();
        examples.push_back(example);
        for (DataFormat format : {DataFormat::AlpacaJson, DataFormat::AlpacaJsonl}) {
            const auto path = dir / "alpaca.json";
            const Status status = writeFile(path, format, examples, cancel, progress);
            ASSERT_FALSE(status.ok());
            EXPECT_NE(status.error().message.find("example 42"), std::string::npos) << status.error().message;
            EXPECT_NE(status.error().message.find("Alpaca"), std::string::npos) << status.error().message;
            EXPECT_FALSE(std::filesystem::exists(path));
            EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
        }
    }
}

TEST(CsvFormat, WriteFileRefusesMultiTurnExamples)
{
    tstest::TempDir dir;
    CancelToken cancel;
    NullProgress progress;
    Example multi = multiTurnExamples()[0];
    multi.id = 7;
    const auto path = dir / "out.csv";
    const Status status = writeFile(path, DataFormat::Csv, {singleTurnExamples()[0], multi}, cancel, progress);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("example 7"), std::string::npos) << status.error().message;
    EXPECT_NE(status.error().message.find("CSV"), std::string::npos) << status.error().message;
    EXPECT_FALSE(std::filesystem::exists(path));

    // Unsaved examples are named by position.
    Example unsaved = multiTurnExamples()[1];
    const Status byPosition = writeFile(path, DataFormat::Csv, {singleTurnExamples()[0], unsaved}, cancel, progress);
    ASSERT_FALSE(byPosition.ok());
    EXPECT_NE(byPosition.error().message.find("position 2"), std::string::npos) << byPosition.error().message;

    // Empty cells and tags that the comma-separated cell cannot carry would not read back the same.
    const Example emptyOutput = makeExample({{"user", "q"}, {"assistant", ""}});
    EXPECT_FALSE(writeFile(path, DataFormat::Csv, {emptyOutput}, cancel, progress).ok());
    const Example commaTag = makeExample({{"user", "q"}, {"assistant", "a"}}, Split::Train, {"a,b"});
    EXPECT_FALSE(writeFile(path, DataFormat::Csv, {commaTag}, cancel, progress).ok());
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(writeFile(path, DataFormat::OpenAiJsonl, {emptyOutput, commaTag}, cancel, progress).ok());
}

TEST(FormatWriteFile, ExistingFileIsKeptWhenWriteIsRefusedOrCancelled)
{
    tstest::TempDir dir;
    const auto path = dir / "keep.csv";
    writeBytes(path, "old content");
    CancelToken cancel;
    NullProgress progress;
    EXPECT_FALSE(writeFile(path, DataFormat::Csv, multiTurnExamples(), cancel, progress).ok());
    cancel.requestStop();
    const Status cancelled = writeFile(path, DataFormat::OpenAiJsonl, singleTurnExamples(), cancel, progress);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().message, "cancelled");
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".part"));
    std::ifstream in(path);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "old content");
}

// ---------------------------------------------------------------------------------------------------------------
// Detection and preview

TEST(FormatDetect, UsesExtensionAndFirstRow)
{
    tstest::TempDir dir;
    const auto put = [&](const std::string& name, const std::string& content) {
        writeBytes(dir / name, content);
        return dir / name;
    };
    const auto single = singleTurnExamples();
    EXPECT_EQ(detectFormat(put("a.jsonl", writeText(DataFormat::OpenAiJsonl, single))), DataFormat::OpenAiJsonl);
    EXPECT_EQ(detectFormat(put("b.jsonl", "\n\n" + writeText(DataFormat::AlpacaJsonl, single))),
              DataFormat::AlpacaJsonl);
    EXPECT_EQ(detectFormat(put("c.JSONL", writeText(DataFormat::ShareGptJsonl, single))), DataFormat::ShareGptJsonl);
    EXPECT_EQ(detectFormat(put("d.json", writeText(DataFormat::AlpacaJson, single))), DataFormat::AlpacaJson);
    EXPECT_EQ(detectFormat(put("e.json", writeText(DataFormat::ShareGptJson, single))), DataFormat::ShareGptJson);
    EXPECT_EQ(detectFormat(put("f.csv", "anything")), DataFormat::Csv);
    EXPECT_EQ(detectFormat(put("g.json", "\xEF\xBB\xBF [\n  {\"output\": \"o\", \"instruction\": \"i\"}]")),
              DataFormat::AlpacaJson);
    // An object per line in a .json file is JSON lines.
    EXPECT_EQ(detectFormat(put("h.json", writeText(DataFormat::OpenAiJsonl, single))), DataFormat::OpenAiJsonl);
    // A first row cut short still shows its key.
    EXPECT_EQ(detectFormat(put("i.jsonl", "{\"conversations\": [{\"from\": \"hum")), DataFormat::ShareGptJsonl);

    EXPECT_EQ(detectFormat(put("j.json", "[{\"messages\": []}]")), std::nullopt); // no OpenAI JSON array format
    EXPECT_EQ(detectFormat(put("k.jsonl", "{\"foo\": 1}\n")), std::nullopt);
    EXPECT_EQ(detectFormat(put("l.jsonl", "")), std::nullopt);
    EXPECT_EQ(detectFormat(put("m.txt", "hello")), std::nullopt);
    EXPECT_EQ(detectFormat(put("n.json", "[]")), std::nullopt);
    EXPECT_EQ(detectFormat(dir / "missing.jsonl"), std::nullopt);
}

TEST(CsvPreview, SuggestsMappingFromHeaderNames)
{
    tstest::TempDir dir;
    const auto path = dir / "p.csv";
    writeBytes(path,
               "\xEF\xBB\xBF"
               "id,System_Prompt,Question,Ideal Output,Labels,Split,notes\r\n"
               "1,s,\"q\nmultiline\",a,\"x,y\",train,n\r\n"
               "2,s,q2,a2,,eval,\r\n"
               "3,s,q3,a3,,test,\r\n");
    auto preview = previewCsv(path, 2);
    ASSERT_TRUE(preview.ok()) << preview.error().message;
    EXPECT_EQ(
        preview->header,
        (std::vector<std::string> {"id", "System_Prompt", "Question", "Ideal Output", "Labels", "Split", "notes"}));
    ASSERT_EQ(preview->rows.size(), 2u);
    EXPECT_EQ(preview->rows[0][2], "q\nmultiline");
    EXPECT_EQ(preview->rows[1][0], "2");
    const CsvMapping& m = preview->suggested;
    EXPECT_TRUE(m.hasHeader);
    EXPECT_EQ(m.system, 1);
    EXPECT_EQ(m.input, 2);
    EXPECT_EQ(m.output, 3);
    EXPECT_EQ(m.tags, 4);
    EXPECT_EQ(m.split, 5);

    // The suggestion parses the file.
    NullProgress progress;
    auto parsed = parseFile(path, DataFormat::Csv, m, CancelToken(), progress);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->problems.empty()) << problemsText(*parsed);
    ASSERT_EQ(parsed->examples.size(), 3u);
    EXPECT_EQ(parsed->examples[0].tags, (std::vector<std::string> {"x", "y"}));
    EXPECT_EQ(parsed->examples[2].split, Split::Test);
}

TEST(CsvPreview, OtherSynonymsAndFirstMatchWins)
{
    tstest::TempDir dir;
    const auto path = dir / "p.csv";
    writeBytes(path, "PROMPT,completion,response,tag\nq,a,b,t\n");
    auto preview = previewCsv(path);
    ASSERT_TRUE(preview.ok());
    EXPECT_EQ(preview->suggested.input, 0);
    EXPECT_EQ(preview->suggested.output, 1);
    EXPECT_EQ(preview->suggested.tags, 3);
    EXPECT_EQ(preview->suggested.system, -1);
    EXPECT_EQ(preview->suggested.split, -1);
    EXPECT_EQ(preview->rows.size(), 1u);
}

TEST(CsvPreview, WithoutKnownHeaderNamesColumnsAreNumbered)
{
    tstest::TempDir dir;
    const auto path = dir / "p.csv";
    writeBytes(path, "what is 2+2,4\nwhat is 3+3,6,extra\n");
    auto preview = previewCsv(path);
    ASSERT_TRUE(preview.ok());
    EXPECT_FALSE(preview->suggested.hasHeader);
    EXPECT_EQ(preview->header, (std::vector<std::string> {"Column 1", "Column 2", "Column 3"}));
    ASSERT_EQ(preview->rows.size(), 2u);
    EXPECT_EQ(preview->rows[0], (std::vector<std::string> {"what is 2+2", "4"}));
    EXPECT_EQ(preview->suggested.input, -1);

    EXPECT_FALSE(previewCsv(dir / "missing.csv").ok());
}

// ---------------------------------------------------------------------------------------------------------------
// Files: errors, size, progress, cancel

TEST(FormatParseFile, MissingFileIsAClearError)
{
    tstest::TempDir dir;
    NullProgress progress;
    auto parsed = parseFile(dir / "nope.jsonl", DataFormat::OpenAiJsonl, {}, CancelToken(), progress);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message.find("nope.jsonl"), std::string::npos) << parsed.error().message;
}

namespace {

std::vector<Example> manyExamples(size_t count)
{
    std::vector<Example> examples;
    examples.reserve(count);
    const std::string filler(100, 'x');
    const Split splits[] = {Split::Train, Split::Eval, Split::Test};
    for (size_t i = 0; i < count; ++i) {
        examples.push_back(makeExample({{"system", "You answer support questions."},
                                        {"user", "Question " + std::to_string(i) + ": " + filler},
                                        {"assistant", "Answer " + std::to_string(i) + ", é: " + filler}},
                                       splits[i % 3], {"bulk"}));
    }
    return examples;
}

} // namespace

class FormatLargeFile : public ::testing::TestWithParam<DataFormat>
{
};

TEST_P(FormatLargeFile, HundredThousandRowsParseQuicklyAndCancelStops)
{
    const DataFormat format = GetParam();
    constexpr size_t kRows = 100000;
    const auto examples = manyExamples(kRows);
    tstest::TempDir dir;
    const auto path = dir / "big.data";
    CancelToken cancel;
    NullProgress quiet;
    ASSERT_TRUE(writeFile(path, format, examples, cancel, quiet).ok());
    const auto fileSize = static_cast<int64_t>(std::filesystem::file_size(path));
    EXPECT_GT(fileSize, 25'000'000);

    std::vector<Progress> reports;
    CallbackProgress progress([&](const Progress& p) { reports.push_back(p); });
    const auto start = std::chrono::steady_clock::now();
    auto parsed = parseFile(path, format, mappingFor(format), cancel, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "[ parse ] " << formatName(format) << ": " << kRows << " rows, " << fileSize / 1e6 << " MB in "
              << seconds << " s\n";
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->rows, kRows);
    EXPECT_TRUE(parsed->problems.empty()) << problemsText(*parsed);
    ASSERT_EQ(parsed->examples.size(), kRows);
    EXPECT_TRUE(parsed->examples[54321].sameContent(examples[54321]));
    EXPECT_LT(seconds, 10.0); // about half a second in Release; generous for sanitizer/debug builds
    ASSERT_GE(reports.size(), 50u); // every 1000 rows
    for (size_t i = 1; i < reports.size(); ++i)
        EXPECT_LE(reports[i - 1].done, reports[i].done);
    EXPECT_EQ(reports.back().done, fileSize);
    EXPECT_EQ(reports.back().total, fileSize);

    // Cancel from the progress callback once some rows are done.
    CancelToken stop;
    int64_t doneAtCancel = 0;
    size_t reportsAfterCancel = 0;
    CallbackProgress canceller([&](const Progress& p) {
        if (stop.stopRequested())
            ++reportsAfterCancel;
        if (p.done > fileSize / 10 && !stop.stopRequested()) {
            doneAtCancel = p.done;
            stop.requestStop();
        }
    });
    auto cancelled = parseFile(path, format, mappingFor(format), stop, canceller);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().message, "cancelled");
    EXPECT_GT(doneAtCancel, 0);
    EXPECT_LT(doneAtCancel, fileSize);
    EXPECT_EQ(reportsAfterCancel, 0u);

    // Writing stops too: no file, no leftover temporary.
    const auto out = dir / "written.data";
    CancelToken writeStop;
    CallbackProgress writeCanceller([&](const Progress& p) {
        if (p.done >= 5000)
            writeStop.requestStop();
    });
    const Status written = writeFile(out, format, examples, writeStop, writeCanceller);
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().message, "cancelled");
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".part"));
}

INSTANTIATE_TEST_SUITE_P(SomeFormats, FormatLargeFile,
                         ::testing::Values(DataFormat::OpenAiJsonl, DataFormat::AlpacaJson, DataFormat::Csv),
                         [](const auto& info) {
                             std::string name(formatName(info.param));
                             std::erase(name, '-');
                             return name;
                         });

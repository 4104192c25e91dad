// Scorers (core/eval/scorer.h) on hand-made outputs: every kind passing and failing, edge cases,
// the JSON form of specs and its validation messages, and the helpers they rest on (normalization,
// JSON in fenced blocks, field F1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eval/field_f1.h"
#include "eval/json_output.h"
#include "eval/normalize.h"
#include "eval/pattern.h"
#include "eval/scorer.h"

using namespace ts::eval;
using nlohmann::json;

namespace {

ScorerSpec specOf(ScorerKind kind)
{
    ScorerSpec spec;
    spec.kind = kind;
    return spec;
}

std::string fromJsonError(const json& j)
{
    auto spec = scorerFromJson(j, "scorers[0]");
    EXPECT_FALSE(spec.ok());
    return spec.ok() ? std::string() : spec.error().message;
}

} // namespace

TEST(EvalNormalize, TrimsCollapsesAndStripsEdgePunctuation)
{
    EXPECT_EQ(normalizeText("  **Paris.**  "), "Paris");
    EXPECT_EQ(normalizeText("\"The  answer\tis\n 42\""), "The answer is 42");
    EXPECT_EQ(normalizeText("\u201CQuoted\u201D"), "Quoted");
    EXPECT_EQ(normalizeText("-5"), "-5"); // a sign is not punctuation to strip
    EXPECT_EQ(normalizeText("(a) b"), "a) b"); // only the edges are stripped
    EXPECT_EQ(normalizeText(" ... "), "");
    EXPECT_TRUE(normalizedEquals("ÉTÉ", "été")); // Unicode case folding
    EXPECT_FALSE(normalizedEquals("Paris", "Pariss"));
}

TEST(EvalJsonOutput, WholeTextOrFencedBlock)
{
    auto whole = parseJsonOutput("  {\"a\": 1}\n");
    ASSERT_TRUE(whole);
    EXPECT_FALSE(whole->fromFence);
    EXPECT_EQ(whole->value, json({{"a", 1}}));

    auto fenced = parseJsonOutput("Here it is:\n```json\n{\"a\": [1, 2]}\n```\nDone.");
    ASSERT_TRUE(fenced);
    EXPECT_TRUE(fenced->fromFence);
    EXPECT_EQ(fenced->value, json({{"a", {1, 2}}}));

    // An untagged fence counts; a python block does not; the first parsing block wins.
    EXPECT_TRUE(parseJsonOutput("```\n[1]\n```"));
    EXPECT_FALSE(parseJsonOutput("```python\n[1]\n```"));
    auto second = parseJsonOutput("```json\nnot json\n```\ntext\n```JSON\n{\"b\": true}\n```");
    ASSERT_TRUE(second);
    EXPECT_EQ(second->value, json({{"b", true}}));

    EXPECT_FALSE(parseJsonOutput(""));
    EXPECT_FALSE(parseJsonOutput("{\"a\": 1"));
    EXPECT_FALSE(parseJsonOutput("```json\n{\"a\": 1}\n")); // unclosed fence
}

TEST(EvalScorer, ExactMatch)
{
    const ScorerSpec spec = specOf(ScorerKind::ExactMatch);
    ScoreResult r = score(spec, "Paris", "Paris");
    EXPECT_EQ(r.value, 1.0);
    EXPECT_TRUE(r.pass);
    r = score(spec, "Paris ", "Paris");
    EXPECT_EQ(r.value, 0.0);
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "differs from the reference at byte 5");
    EXPECT_FALSE(score(spec, "paris", "Paris").pass);
    EXPECT_TRUE(score(spec, "", "").pass);
}

TEST(EvalScorer, NormalizedMatch)
{
    const ScorerSpec spec = specOf(ScorerKind::NormalizedMatch);
    EXPECT_TRUE(score(spec, "  the ANSWER  is:\nParis. ", "The answer is: Paris").pass);
    EXPECT_TRUE(score(spec, "'yes'", "Yes").pass);
    // JSON-equal although the text differs (spacing, key order, 1 vs 1.0).
    ScoreResult r = score(spec, "{\"b\": [1, 2], \"a\": 1.0}", "{\"a\":1,\"b\":[1,2]}");
    EXPECT_TRUE(r.pass);
    EXPECT_EQ(r.detail, "equal as JSON");
    r = score(spec, "{\"a\": 2}", "{\"a\": 1}");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.value, 0.0);
    EXPECT_FALSE(score(spec, "Paris, France", "Paris").pass);
    // Only the edges are stripped: quotes inside the text stay.
    r = score(spec, "It is \"Paris\".", "It is Paris");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "after normalization 'It is \"Paris' differs from 'It is Paris'");
}

TEST(EvalScorer, Contains)
{
    ScorerSpec spec = specOf(ScorerKind::Contains);
    EXPECT_TRUE(score(spec, "The capital is Paris.", "Paris").pass);
    EXPECT_FALSE(score(spec, "The capital is paris.", "Paris").pass); // case-sensitive by default
    spec.caseSensitive = false;
    EXPECT_TRUE(score(spec, "The capital is PARIS.", "Paris").pass);
    EXPECT_TRUE(score(spec, "STRASSE ÜBER", "über").pass); // Unicode case folding

    spec.substring = "refund";
    ScoreResult r = score(spec, "We will issue a Refund.", "unrelated reference");
    EXPECT_TRUE(r.pass);
    EXPECT_EQ(r.detail, "contains 'refund'");
    EXPECT_FALSE(score(spec, "No money back.", "refund").pass);

    r = score(specOf(ScorerKind::Contains), "anything", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "nothing to look for: the reference is empty");
}

TEST(EvalScorer, Regex)
{
    ScorerSpec spec = specOf(ScorerKind::Regex);
    spec.pattern = R"(\b\d{3}-\d{4}\b)";
    EXPECT_TRUE(score(spec, "call 555-1234 now", "").pass);
    EXPECT_FALSE(score(spec, "call 5551234 now", "").pass);

    spec.pattern = "yes|no";
    spec.fullMatch = true;
    EXPECT_TRUE(score(spec, "yes", "").pass);
    EXPECT_FALSE(score(spec, "yes, no", "").pass);
    spec.caseSensitive = false;
    EXPECT_TRUE(score(spec, "YES", "").pass);

    // Output that is not valid UTF-8 is searched, not rejected.
    ScorerSpec digits = specOf(ScorerKind::Regex);
    digits.pattern = "[0-9]+";
    EXPECT_TRUE(score(digits, std::string("\xff\xfe 42"), "").pass);
    EXPECT_FALSE(score(digits, std::string("\xff\xfe"), "").pass);
}

TEST(EvalScorer, BadRegexIsAValidationErrorWithPatternAndOffset)
{
    ScorerSpec spec = specOf(ScorerKind::Regex);
    spec.name = "phone";
    spec.pattern = "ab(c";
    ts::Status status = validateScorer(spec);
    ASSERT_FALSE(status.ok());
    const std::string& message = status.error().message;
    EXPECT_EQ(message.find("scorer 'phone': pattern: invalid regex 'ab(c' at offset 4:"), 0u) << message;

    // Scoring with it does not throw or pretend: value 0 and the reason.
    ScoreResult r = score(spec, "abc", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail.find("invalid scorer: pattern: invalid regex 'ab(c'"), 0u) << r.detail;

    spec.pattern = "";
    ASSERT_FALSE(validateScorer(spec).ok());
    EXPECT_EQ(validateScorer(spec).error().message, "scorer 'phone': pattern: a regex scorer needs a pattern");

    const std::string fromJson = fromJsonError({{"kind", "regex"}, {"pattern", "[a-"}});
    EXPECT_EQ(fromJson.find("scorers[0].pattern: invalid regex '[a-' at offset 3:"), 0u) << fromJson;
}

TEST(EvalScorer, JsonParses)
{
    const ScorerSpec spec = specOf(ScorerKind::JsonParses);
    ScoreResult r = score(spec, "{\"a\": 1}", "");
    EXPECT_TRUE(r.pass);
    EXPECT_EQ(r.detail, "valid JSON");
    r = score(spec, "Sure!\n```json\n{\"a\": 1}\n```", "");
    EXPECT_TRUE(r.pass);
    EXPECT_EQ(r.detail, "JSON inside a ``` fenced block");
    r = score(spec, "{\"a\": 1,}", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.value, 0.0);
    EXPECT_EQ(r.detail, "output is not valid JSON: unexpected '}' at line 1, column 9");
    r = score(spec, "", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "output is not valid JSON: it is empty");
}

// Scorer details are read by people in the grid's tooltips and the CLI: plain words naming what failed and where,
// never the JSON library's own message.
TEST(EvalScorer, NotJsonSaysWhatAndWhereInPlainWords)
{
    EXPECT_EQ(jsonErrorText("{\"a\": 1}"), "");
    EXPECT_EQ(jsonErrorText("  \n "), "it is empty");
    EXPECT_EQ(jsonErrorText("{\"a\": x}"), "unexpected 'x' at line 1, column 7");
    // Columns count characters: "é" is two bytes and one column.
    EXPECT_EQ(jsonErrorText("{\n  \"é\": ü}"), "unexpected 'ü' at line 2, column 8");
    EXPECT_EQ(jsonErrorText("{\"a\": [1, 2"), "it ends before the JSON is complete (line 1, column 12)");
    EXPECT_EQ(jsonErrorText("{\"a\": \"x\ty\"}"), "unexpected tab at line 1, column 9");
    EXPECT_EQ(jsonErrorText("1e999"), "a number in it is too large");
    const ScorerSpec parses = specOf(ScorerKind::JsonParses);
    const ScorerSpec f1 = specOf(ScorerKind::FieldF1);
    for (const std::string& output : {std::string("Sure: {\"a\": 1}"), std::string("{\"a\": tru}"), std::string("{")})
        for (const ScorerSpec& spec : {parses, f1}) {
            const std::string detail = score(spec, output, "{\"a\": 1}").detail;
            EXPECT_EQ(detail.find("output is not valid JSON: "), 0u) << detail;
            EXPECT_EQ(detail.find("json.exception"), std::string::npos) << detail;
            EXPECT_EQ(detail.find("parse error"), std::string::npos) << detail;
        }
}

TEST(EvalScorer, JsonSchemaValidNamesThePointer)
{
    ScorerSpec spec = specOf(ScorerKind::JsonSchemaValid);
    spec.schema = json::parse(R"({
        "type": "object",
        "required": ["label", "items"],
        "properties": {
            "label": {"enum": ["spam", "ham"]},
            "items": {"type": "array", "items": {"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}}}}
        }
    })");
    ASSERT_TRUE(validateScorer(spec).ok());
    EXPECT_TRUE(score(spec, R"({"label": "spam", "items": [{"qty": 2}]})", "").pass);
    EXPECT_TRUE(score(spec, "```json\n{\"label\": \"ham\", \"items\": []}\n```", "").pass);

    ScoreResult r = score(spec, R"({"label": "spam", "items": [{"qty": 2}, {"qty": 0}]})", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "/items/1/qty: 0 is less than the minimum 1");
    r = score(spec, R"({"label": "spam"})", "");
    EXPECT_EQ(r.detail, "/items: required property 'items' is missing");
    r = score(spec, "not json", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "output is not valid JSON: unexpected 'o' at line 1, column 2");

    const std::string message = fromJsonError({{"kind", "json_schema_valid"}, {"schema", {{"type", "text"}}}});
    EXPECT_EQ(message,
              "scorers[0].schema: schema #/type: unknown type \"text\" (expected null, boolean, object, "
              "array, number, integer or string)");
}

TEST(EvalScorer, FieldF1)
{
    ScorerSpec spec = specOf(ScorerKind::FieldF1);
    const std::string reference = R"({"name": "Ada Lovelace", "age": 36, "city": "London", "tags": ["math"]})";
    ScoreResult r
        = score(spec, R"({"name": " ada lovelace ", "age": 36.0, "city": "London", "tags": ["math"]})", reference);
    EXPECT_DOUBLE_EQ(r.value, 1.0);
    EXPECT_TRUE(r.pass);

    // 2 correct (name, age) of 3 output fields and 4 reference fields:
    // P = 2/3, R = 2/4, F1 = 2 * (2/3) * (1/2) / (2/3 + 1/2) = 4/7.
    r = score(spec, R"({"name": "Ada Lovelace", "age": 36, "city": "Paris"})", reference);
    EXPECT_NEAR(r.value, 4.0 / 7.0, 1e-12);
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "P 0.667 (2/3), R 0.500 (2/4); wrong: /city; missing: /tags/0");

    // An extra field lowers precision only: P = 4/5, R = 1, F1 = 8/9.
    r = score(spec, R"({"name": "Ada Lovelace", "age": 36, "city": "London", "tags": ["math"], "x": 1})", reference);
    EXPECT_NEAR(r.value, 8.0 / 9.0, 1e-12);
    EXPECT_NE(r.detail.find("extra: /x"), std::string::npos);
    spec.passThreshold = 0.8;
    EXPECT_TRUE(
        score(spec, R"({"name": "Ada Lovelace", "age": 36, "city": "London", "tags": ["math"], "x": 1})", reference)
            .pass);

    r = score(spec, "I don't know", reference);
    EXPECT_EQ(r.value, 0.0);
    EXPECT_EQ(r.detail, "output is not valid JSON: unexpected 'I' at line 1, column 1");
    EXPECT_EQ(score(spec, "{}", "plain text").detail,
              "reference is not valid JSON: unexpected 'p' at line 1, column 1");
    // A number and the same digits as a string are different values.
    EXPECT_EQ(score(spec, R"({"age": "36"})", R"({"age": 36})").value, 0.0);
}

TEST(EvalFieldF1, FlattensToLeafPaths)
{
    const auto leaves = flattenJson(json::parse(R"({"a": {"b": [1, {"c": null}]}, "d": {}, "e/f": []})"));
    ASSERT_EQ(leaves.size(), 4u);
    EXPECT_EQ(leaves[0].first, "/a/b/0");
    EXPECT_EQ(leaves[1].first, "/a/b/1/c");
    EXPECT_EQ(leaves[2].first, "/d");
    EXPECT_EQ(leaves[2].second, json::object());
    EXPECT_EQ(leaves[3].first, "/e~1f");
    EXPECT_EQ(flattenJson(json(5)).at(0).first, "");

    const FieldScore same = fieldF1(json::object(), json::object());
    EXPECT_EQ(same.f1, 1.0);
    const FieldScore none = fieldF1(json({{"a", 1}}), json({{"b", 1}}));
    EXPECT_EQ(none.f1, 0.0);
    EXPECT_EQ(none.precision, 0.0);
}

TEST(EvalScorer, Length)
{
    ScorerSpec spec = specOf(ScorerKind::Length);
    ScoreResult r = score(spec, "héllo  wide\nworld", "");
    EXPECT_EQ(r.value, 17.0); // code points, not bytes
    EXPECT_TRUE(r.pass); // no bounds
    EXPECT_EQ(r.detail, "17 characters, 3 words");

    spec.unit = LengthUnit::Words;
    spec.maxWords = 2;
    spec.minChars = 5;
    r = score(spec, "héllo  wide\nworld", "");
    EXPECT_EQ(r.value, 3.0);
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "17 characters, 3 words; above max_words 2");
    r = score(spec, "hi", "");
    EXPECT_FALSE(r.pass);
    EXPECT_EQ(r.detail, "2 characters, 1 words; below min_chars 5");
    EXPECT_TRUE(score(spec, "hello there", "").pass);
    EXPECT_EQ(score(spec, "", "").value, 0.0);

    spec.minWords = 3;
    ASSERT_FALSE(validateScorer(spec).ok());
    EXPECT_EQ(validateScorer(spec).error().message, "scorer 'length': min_words: 3 is greater than max_words 2");
}

TEST(EvalScorerJson, RoundTripsEveryKind)
{
    const json list = json::parse(R"([
        {"kind": "exact_match"},
        {"kind": "normalized_match", "name": "loose"},
        {"kind": "contains", "substring": "refund", "case_sensitive": false},
        {"kind": "regex", "pattern": "^\\d+$", "case_sensitive": true, "full_match": false},
        {"kind": "json_parses"},
        {"kind": "json_schema_valid", "schema": {"type": "object", "required": ["a"]}},
        {"kind": "field_f1", "pass_threshold": 0.8},
        {"kind": "length", "unit": "words", "min_words": 1, "max_words": 50}
    ])");
    auto specs = scorersFromJson(list);
    ASSERT_TRUE(specs.ok()) << specs.error().message;
    ASSERT_EQ(specs->size(), 8u);
    EXPECT_EQ((*specs)[1].displayName(), "loose");
    EXPECT_EQ((*specs)[2].substring, "refund");
    EXPECT_FALSE((*specs)[2].caseSensitive);
    EXPECT_EQ((*specs)[3].pattern, "^\\d+$");
    EXPECT_EQ((*specs)[6].passThreshold, 0.8);
    EXPECT_EQ((*specs)[7].maxWords, 50);
    EXPECT_FALSE((*specs)[7].maxChars.has_value());

    const json written = scorersToJson(*specs);
    auto again = scorersFromJson(written);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(scorersToJson(*again), written);
    // Options the input left at their defaults are written out explicitly; what was given is kept.
    EXPECT_EQ(written[0], json({{"kind", "exact_match"}}));
    EXPECT_EQ(written[2], list[2]);
    EXPECT_EQ(written[7], list[7]);
    EXPECT_EQ(written[3], list[3]);
}

TEST(EvalScorerJson, ErrorsNameTheField)
{
    EXPECT_EQ(fromJsonError({{"name", "x"}}), "scorers[0].kind: missing");
    EXPECT_EQ(fromJsonError({{"kind", "bleu"}}),
              "scorers[0].kind: unknown kind \"bleu\" (expected one of exact_match, normalized_match, contains, "
              "regex, json_parses, json_schema_valid, field_f1, length)");
    EXPECT_EQ(fromJsonError({{"kind", "contains"}, {"pattern", "x"}}),
              "scorers[0].pattern: not a field of a contains scorer (fields: kind, name, substring, case_sensitive)");
    EXPECT_EQ(fromJsonError({{"kind", "contains"}, {"case_sensitive", "no"}}),
              "scorers[0].case_sensitive: expected true or false, got \"no\"");
    EXPECT_EQ(fromJsonError({{"kind", "length"}, {"unit", "tokens"}}),
              "scorers[0].unit: expected \"characters\" or \"words\", got \"tokens\"");
    EXPECT_EQ(fromJsonError({{"kind", "length"}, {"max_chars", -1}}), "scorers[0].max_chars: must not be negative");
    EXPECT_EQ(fromJsonError({{"kind", "field_f1"}, {"pass_threshold", 2}}),
              "scorers[0].pass_threshold: must be between 0 and 1");
    EXPECT_EQ(fromJsonError(json("exact_match")),
              "scorers[0]: expected an object like {\"kind\": \"exact_match\"}, got \"exact_match\"");

    auto duplicate = scorersFromJson(json::parse(R"([{"kind": "exact_match"}, {"kind": "exact_match"}])"));
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().message,
              "scorers[1].name: 'exact_match' is already used by another scorer (names must be unique)");
    auto notArray = scorersFromJson(json::object());
    ASSERT_FALSE(notArray.ok());
    EXPECT_EQ(notArray.error().message, "scorers: expected an array of scorers, got {}");
    auto empty = scorersFromJson(json::array());
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->empty());
}

TEST(EvalScorerJson, DefaultSetIsValidAndRoundTrips)
{
    const auto defaults = defaultScorers();
    ASSERT_EQ(defaults.size(), 4u);
    for (const ScorerSpec& spec : defaults)
        EXPECT_TRUE(validateScorer(spec).ok()) << spec.displayName();
    auto again = scorersFromJson(scorersToJson(defaults));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(scorersToJson(*again), scorersToJson(defaults));
    EXPECT_TRUE(score(defaults[2], "It is PARIS.", "Paris").pass);
}

TEST(EvalScorer, KindProperties)
{
    EXPECT_TRUE(isPassFail(ScorerKind::Regex));
    EXPECT_FALSE(isPassFail(ScorerKind::FieldF1));
    EXPECT_FALSE(isPassFail(ScorerKind::Length));
    EXPECT_EQ(pointsPerUnit(ScorerKind::ExactMatch), 100.0);
    EXPECT_EQ(pointsPerUnit(ScorerKind::Length), 1.0);
    for (ScorerKind kind :
         {ScorerKind::ExactMatch, ScorerKind::NormalizedMatch, ScorerKind::Contains, ScorerKind::Regex,
          ScorerKind::JsonParses, ScorerKind::JsonSchemaValid, ScorerKind::FieldF1, ScorerKind::Length})
        EXPECT_EQ(scorerKindFromName(scorerKindName(kind)), kind);
    EXPECT_FALSE(scorerKindFromName("Exact_Match").has_value());
}

TEST(EvalPattern, CompileErrorsAndMatching)
{
    auto bad = Pattern::compile("a)");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message.find("invalid regex 'a)' at offset 1: "), 0u) << bad.error().message;
    auto literal = Pattern::literal("a.b");
    ASSERT_TRUE(literal.ok());
    EXPECT_TRUE(literal->matches("xa.by"));
    EXPECT_FALSE(literal->matches("axb"));
    EXPECT_TRUE(containsIgnoringCase("anything", ""));
    EXPECT_TRUE(equalsIgnoringCase("", ""));
    EXPECT_FALSE(equalsIgnoringCase("ab", "a"));
}

// Deterministic scorers for the Prompt lab and Evaluation: a ScorerSpec (kind + options, stored per
// project as JSON) and score(spec, output, reference).
//
// Kinds (JSON "kind"), what value means, and the options each takes (JSON names):
//   exact_match        1 when output == reference byte for byte, else 0.
//   normalized_match   1 when both parse as equal JSON (json_output.h), or when equal after normalizeText
//                      and Unicode case folding (normalize.h), else 0.
//   contains           1 when the output contains `substring` (or the reference when substring is empty).
//                      Options: substring, case_sensitive (default true).
//   regex              1 when `pattern` (PCRE2, UTF-8) matches somewhere in the output (the whole output
//                      with full_match). Options: pattern (required), case_sensitive, full_match.
//   json_parses        1 when the output is JSON, also inside a ```json fenced block (json_output.h).
//   json_schema_valid  1 when the output is JSON (as above) valid against `schema` (json_schema.h);
//                      detail names the JSON Pointer of the first violation. Option: schema (required).
//   field_f1           F1 of the output's JSON fields against the reference's (field_f1.h), 0..1;
//                      pass when F1 >= pass_threshold (default 1). Option: pass_threshold.
//   length             the output's length in `unit` ("characters" = Unicode code points, or "words" =
//                      whitespace-separated runs); pass when within every bound given.
//                      Options: unit (default "characters"), min_chars, max_chars, min_words, max_words.
// All kinds but field_f1 and length are pass/fail: value is 1 or 0 and pass == (value == 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace ts::eval {

enum class ScorerKind { ExactMatch, NormalizedMatch, Contains, Regex, JsonParses, JsonSchemaValid, FieldF1, Length };

const char* scorerKindName(ScorerKind kind); // "exact_match", ...
std::optional<ScorerKind> scorerKindFromName(std::string_view name);

enum class LengthUnit { Characters, Words };

struct ScorerSpec
{
    ScorerKind kind = ScorerKind::ExactMatch;
    std::string name; // shown in the UI and unique in a project's list; empty: the kind's name

    bool caseSensitive = true; // contains, regex
    std::string substring; // contains: looked for instead of the reference when not empty
    std::string pattern; // regex
    bool fullMatch = false; // regex
    nlohmann::json schema = nlohmann::json::object(); // json_schema_valid
    double passThreshold = 1.0; // field_f1
    LengthUnit unit = LengthUnit::Characters; // length
    std::optional<int64_t> minChars, maxChars, minWords, maxWords; // length

    std::string displayName() const { return name.empty() ? scorerKindName(kind) : name; }
};

struct ScoreResult
{
    double value = 0;
    bool pass = false;
    std::string detail; // why, in a few words: "matches", "/items/0/id: expected type string, got integer", ...
};

// Options that the kind needs are present and usable (the regex compiles, the schema is a schema, bounds
// are non-negative and min <= max, pass_threshold in [0, 1]). Errors read
// "scorer 'NAME': FIELD: problem", FIELD being the JSON name.
Status validateScorer(const ScorerSpec& spec);

// Scores one output. An invalid spec gives value 0, pass false and a detail starting "invalid scorer: ";
// validate specs when they are configured (scorersFromJson does) so that this does not happen.
ScoreResult score(const ScorerSpec& spec, std::string_view output, std::string_view reference);

// Pass/fail kinds produce 0/1 values (McNemar's test applies to their pass flags).
bool isPassFail(ScorerKind kind);
// "Points" in verdicts: 100 per unit for 0..1 scores (0.12 -> 12 points), 1 for length.
double pointsPerUnit(ScorerKind kind);
// The unit of those points in verdicts: "words" or "characters" for length, else "points".
std::string verdictUnit(const ScorerSpec& spec);

// JSON: {"kind": "regex", "name": "...", "pattern": "...", ...}; only the options of the kind are allowed.
// Errors name the field: "scorers[2].pattern: invalid regex '(' at offset 1: missing closing parenthesis".
nlohmann::json scorerToJson(const ScorerSpec& spec);
Expected<ScorerSpec> scorerFromJson(const nlohmann::json& json, const std::string& where = "scorer");

// A project's scorer list: a JSON array of specs with unique display names.
nlohmann::json scorersToJson(const std::vector<ScorerSpec>& specs);
Expected<std::vector<ScorerSpec>> scorersFromJson(const nlohmann::json& json);

// For a project that has configured none: exact_match, normalized_match, contains (the reference, case
// insensitive) and length in words (no bounds, so it only reports).
std::vector<ScorerSpec> defaultScorers();

} // namespace ts::eval

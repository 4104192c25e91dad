// Scorer specs, their JSON form and scoring; see scorer.h.
#include "eval/scorer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "common/utf8.h"
#include "eval/field_f1.h"
#include "eval/json_output.h"
#include "eval/json_schema.h"
#include "eval/normalize.h"
#include "eval/pattern.h"

namespace ts::eval {

using nlohmann::json;

namespace {

struct KindInfo
{
    ScorerKind kind;
    const char* name;
    std::vector<std::string_view> options; // JSON fields besides "kind" and "name"
};

const std::array<KindInfo, 8>& kinds()
{
    static const std::array<KindInfo, 8> table = {{
        {ScorerKind::ExactMatch, "exact_match", {}},
        {ScorerKind::NormalizedMatch, "normalized_match", {}},
        {ScorerKind::Contains, "contains", {"substring", "case_sensitive"}},
        {ScorerKind::Regex, "regex", {"pattern", "case_sensitive", "full_match"}},
        {ScorerKind::JsonParses, "json_parses", {}},
        {ScorerKind::JsonSchemaValid, "json_schema_valid", {"schema"}},
        {ScorerKind::FieldF1, "field_f1", {"pass_threshold"}},
        {ScorerKind::Length, "length", {"unit", "min_chars", "max_chars", "min_words", "max_words"}},
    }};
    return table;
}

const KindInfo& infoOf(ScorerKind kind)
{
    for (const KindInfo& info : kinds())
        if (info.kind == kind)
            return info;
    return kinds()[0];
}

Status fieldError(std::string_view field, const std::string& message)
{
    return makeError(std::string(field) + ": " + message);
}

// ---- validation ----

Status checkBounds(std::string_view minField, const std::optional<int64_t>& min, std::string_view maxField,
                   const std::optional<int64_t>& max)
{
    if (min && *min < 0)
        return fieldError(minField, "must not be negative");
    if (max && *max < 0)
        return fieldError(maxField, "must not be negative");
    if (min && max && *min > *max)
        return fieldError(
            minField, std::to_string(*min) + " is greater than " + std::string(maxField) + " " + std::to_string(*max));
    return {};
}

// Errors read "FIELD: problem".
Status validateFields(const ScorerSpec& spec)
{
    switch (spec.kind) {
    case ScorerKind::Regex: {
        if (spec.pattern.empty())
            return fieldError("pattern", "a regex scorer needs a pattern");
        if (auto pattern = Pattern::compile(spec.pattern); !pattern)
            return fieldError("pattern", pattern.error().message);
        return {};
    }
    case ScorerKind::JsonSchemaValid:
        if (auto status = checkSchema(spec.schema); !status)
            return fieldError("schema", status.error().message);
        return {};
    case ScorerKind::FieldF1:
        if (!(spec.passThreshold >= 0 && spec.passThreshold <= 1))
            return fieldError("pass_threshold", "must be between 0 and 1");
        return {};
    case ScorerKind::Length:
        if (auto status = checkBounds("min_chars", spec.minChars, "max_chars", spec.maxChars); !status)
            return status;
        return checkBounds("min_words", spec.minWords, "max_words", spec.maxWords);
    default:
        return {};
    }
}

// ---- scoring ----

ScoreResult passFail(bool pass, std::string detail)
{
    return ScoreResult {pass ? 1.0 : 0.0, pass, std::move(detail)};
}

std::string excerpt(std::string_view text)
{
    constexpr size_t kMax = 40;
    if (text.size() <= kMax)
        return "'" + std::string(text) + "'";
    return "'" + std::string(utf8::prefixWithinBytes(text, kMax)) + "...'";
}

std::string fixed3(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.3f", value);
    return buffer;
}

ScoreResult scoreExact(std::string_view output, std::string_view reference)
{
    if (output == reference)
        return passFail(true, "exact match");
    const auto [o, r] = std::mismatch(output.begin(), output.end(), reference.begin(), reference.end());
    return passFail(false, "differs from the reference at byte " + std::to_string(o - output.begin()));
}

ScoreResult scoreNormalized(std::string_view output, std::string_view reference)
{
    const auto outputJson = parseJsonOutput(output);
    const auto referenceJson = parseJsonOutput(reference);
    if (outputJson && referenceJson && outputJson->value == referenceJson->value)
        return passFail(true, "equal as JSON");
    const std::string a = normalizeText(output);
    const std::string b = normalizeText(reference);
    if (equalsIgnoringCase(a, b))
        return passFail(true, "equal after normalization");
    return passFail(false, "after normalization " + excerpt(a) + " differs from " + excerpt(b));
}

ScoreResult scoreContains(const ScorerSpec& spec, std::string_view output, std::string_view reference)
{
    const std::string_view needle = spec.substring.empty() ? reference : std::string_view(spec.substring);
    if (needle.empty())
        return passFail(false, "nothing to look for: the reference is empty");
    const bool found
        = spec.caseSensitive ? output.find(needle) != std::string_view::npos : containsIgnoringCase(output, needle);
    return passFail(found, (found ? "contains " : "does not contain ") + excerpt(needle));
}

ScoreResult scoreRegex(const ScorerSpec& spec, std::string_view output)
{
    auto pattern = Pattern::compile(spec.pattern, {.caseSensitive = spec.caseSensitive, .fullMatch = spec.fullMatch});
    if (!pattern)
        return passFail(false, "invalid scorer: pattern: " + pattern.error().message);
    const bool found = pattern->matches(output);
    return passFail(found, (found ? "matches /" : "does not match /") + spec.pattern + "/");
}

// "output is not valid JSON: unexpected 'x' at line 1, column 5" (what failed, why and where).
std::string notJson(const char* what, std::string_view text)
{
    return std::string(what) + " is not valid JSON: " + jsonErrorText(text);
}

ScoreResult scoreJsonParses(std::string_view output)
{
    auto parsed = parseJsonOutput(output);
    if (!parsed)
        return passFail(false, notJson("output", output));
    return passFail(true, parsed->fromFence ? "JSON inside a ``` fenced block" : "valid JSON");
}

ScoreResult scoreSchema(const ScorerSpec& spec, std::string_view output)
{
    auto parsed = parseJsonOutput(output);
    if (!parsed)
        return passFail(false, notJson("output", output));
    if (auto violation = validateAgainstSchema(spec.schema, parsed->value))
        return passFail(false, violation->describe());
    return passFail(true, "valid against the schema");
}

std::string firstPaths(const char* label, const std::vector<std::string>& paths)
{
    if (paths.empty())
        return {};
    constexpr size_t kShown = 3;
    std::string text = std::string("; ") + label + ":";
    for (size_t i = 0; i < paths.size() && i < kShown; ++i)
        text += " " + (paths[i].empty() ? std::string("(root)") : paths[i]);
    if (paths.size() > kShown)
        text += " (+" + std::to_string(paths.size() - kShown) + " more)";
    return text;
}

ScoreResult scoreFieldF1(const ScorerSpec& spec, std::string_view output, std::string_view reference)
{
    auto outputJson = parseJsonOutput(output);
    if (!outputJson)
        return ScoreResult {0.0, false, notJson("output", output)};
    auto referenceJson = parseJsonOutput(reference);
    if (!referenceJson)
        return ScoreResult {0.0, false, notJson("reference", reference)};
    const FieldScore f = fieldF1(outputJson->value, referenceJson->value);
    std::string detail = "P " + fixed3(f.precision) + " (" + std::to_string(f.correct) + "/"
        + std::to_string(f.outputFields) + "), R " + fixed3(f.recall) + " (" + std::to_string(f.correct) + "/"
        + std::to_string(f.referenceFields) + ")";
    detail += firstPaths("wrong", f.wrong) + firstPaths("missing", f.missing) + firstPaths("extra", f.extra);
    return ScoreResult {f.f1, f.f1 >= spec.passThreshold, std::move(detail)};
}

size_t countWords(std::string_view text)
{
    size_t words = 0;
    bool inWord = false;
    for (unsigned char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        words += !space && !inWord;
        inWord = !space;
    }
    return words;
}

ScoreResult scoreLength(const ScorerSpec& spec, std::string_view output)
{
    const auto chars = static_cast<int64_t>(utf8::codePointCount(output));
    const auto words = static_cast<int64_t>(countWords(output));
    std::string detail = std::to_string(chars) + " characters, " + std::to_string(words) + " words";
    bool pass = true;
    auto check = [&](const std::optional<int64_t>& bound, int64_t count, bool isMin, const char* field) {
        if (bound && (isMin ? count < *bound : count > *bound)) {
            pass = false;
            detail += std::string("; ") + (isMin ? "below " : "above ") + field + " " + std::to_string(*bound);
        }
    };
    check(spec.minChars, chars, true, "min_chars");
    check(spec.maxChars, chars, false, "max_chars");
    check(spec.minWords, words, true, "min_words");
    check(spec.maxWords, words, false, "max_words");
    const double value = static_cast<double>(spec.unit == LengthUnit::Words ? words : chars);
    return ScoreResult {value, pass, std::move(detail)};
}

// ---- JSON ----

const char* unitName(LengthUnit unit)
{
    return unit == LengthUnit::Words ? "words" : "characters";
}

Status readBool(const json& j, const char* field, bool& out)
{
    if (!j.is_boolean())
        return fieldError(field, "expected true or false, got " + j.dump());
    out = j.get<bool>();
    return {};
}

Status readString(const json& j, const char* field, std::string& out)
{
    if (!j.is_string())
        return fieldError(field, "expected a string, got " + j.dump());
    out = j.get<std::string>();
    return {};
}

Status readCount(const json& j, const char* field, std::optional<int64_t>& out)
{
    if (!j.is_number_integer())
        return fieldError(field, "expected an integer, got " + j.dump());
    out = j.get<int64_t>();
    return {};
}

Status readOption(const json& value, std::string_view field, ScorerSpec& spec)
{
    if (field == "name")
        return readString(value, "name", spec.name);
    if (field == "substring")
        return readString(value, "substring", spec.substring);
    if (field == "pattern")
        return readString(value, "pattern", spec.pattern);
    if (field == "case_sensitive")
        return readBool(value, "case_sensitive", spec.caseSensitive);
    if (field == "full_match")
        return readBool(value, "full_match", spec.fullMatch);
    if (field == "schema") {
        spec.schema = value; // checked by validateFields
        return {};
    }
    if (field == "pass_threshold") {
        if (!value.is_number())
            return fieldError(field, "expected a number, got " + value.dump());
        spec.passThreshold = value.get<double>();
        return {};
    }
    if (field == "unit") {
        if (value == "characters")
            spec.unit = LengthUnit::Characters;
        else if (value == "words")
            spec.unit = LengthUnit::Words;
        else
            return fieldError(field, "expected \"characters\" or \"words\", got " + value.dump());
        return {};
    }
    if (field == "min_chars")
        return readCount(value, "min_chars", spec.minChars);
    if (field == "max_chars")
        return readCount(value, "max_chars", spec.maxChars);
    if (field == "min_words")
        return readCount(value, "min_words", spec.minWords);
    return readCount(value, "max_words", spec.maxWords);
}

std::string allowedFields(const KindInfo& info)
{
    std::string text = "kind, name";
    for (std::string_view option : info.options)
        text += ", " + std::string(option);
    return text;
}

Status parseSpec(const json& j, ScorerSpec& spec)
{
    if (!j.is_object())
        return makeError("expected an object like {\"kind\": \"exact_match\"}, got " + j.dump());
    auto kindField = j.find("kind");
    if (kindField == j.end())
        return fieldError("kind", "missing");
    std::string kindNames;
    for (const KindInfo& info : kinds())
        kindNames += std::string(kindNames.empty() ? "" : ", ") + info.name;
    if (!kindField->is_string())
        return fieldError("kind", "expected one of " + kindNames + ", got " + kindField->dump());
    auto kind = scorerKindFromName(kindField->get<std::string>());
    if (!kind)
        return fieldError("kind", "unknown kind " + kindField->dump() + " (expected one of " + kindNames + ")");
    spec.kind = *kind;
    const KindInfo& info = infoOf(*kind);
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& field = it.key();
        if (field == "kind")
            continue;
        const bool allowed
            = field == "name" || std::find(info.options.begin(), info.options.end(), field) != info.options.end();
        if (!allowed)
            return fieldError(
                field, std::string("not a field of a ") + info.name + " scorer (fields: " + allowedFields(info) + ")");
        if (auto status = readOption(it.value(), field, spec); !status)
            return status;
    }
    return validateFields(spec);
}

} // namespace

const char* scorerKindName(ScorerKind kind)
{
    return infoOf(kind).name;
}

std::optional<ScorerKind> scorerKindFromName(std::string_view name)
{
    for (const KindInfo& info : kinds())
        if (name == info.name)
            return info.kind;
    return std::nullopt;
}

Status validateScorer(const ScorerSpec& spec)
{
    if (auto status = validateFields(spec); !status)
        return makeError("scorer '" + spec.displayName() + "': " + status.error().message);
    return {};
}

ScoreResult score(const ScorerSpec& spec, std::string_view output, std::string_view reference)
{
    if (auto status = validateFields(spec); !status)
        return passFail(false, "invalid scorer: " + status.error().message);
    switch (spec.kind) {
    case ScorerKind::ExactMatch:
        return scoreExact(output, reference);
    case ScorerKind::NormalizedMatch:
        return scoreNormalized(output, reference);
    case ScorerKind::Contains:
        return scoreContains(spec, output, reference);
    case ScorerKind::Regex:
        return scoreRegex(spec, output);
    case ScorerKind::JsonParses:
        return scoreJsonParses(output);
    case ScorerKind::JsonSchemaValid:
        return scoreSchema(spec, output);
    case ScorerKind::FieldF1:
        return scoreFieldF1(spec, output, reference);
    case ScorerKind::Length:
        return scoreLength(spec, output);
    }
    return passFail(false, "invalid scorer: unknown kind");
}

bool isPassFail(ScorerKind kind)
{
    return kind != ScorerKind::FieldF1 && kind != ScorerKind::Length;
}

double pointsPerUnit(ScorerKind kind)
{
    return kind == ScorerKind::Length ? 1.0 : 100.0;
}

std::string verdictUnit(const ScorerSpec& spec)
{
    return spec.kind == ScorerKind::Length ? unitName(spec.unit) : "points";
}

json scorerToJson(const ScorerSpec& spec)
{
    json j = {{"kind", scorerKindName(spec.kind)}};
    if (!spec.name.empty())
        j["name"] = spec.name;
    switch (spec.kind) {
    case ScorerKind::Contains:
        j["substring"] = spec.substring;
        j["case_sensitive"] = spec.caseSensitive;
        break;
    case ScorerKind::Regex:
        j["pattern"] = spec.pattern;
        j["case_sensitive"] = spec.caseSensitive;
        j["full_match"] = spec.fullMatch;
        break;
    case ScorerKind::JsonSchemaValid:
        j["schema"] = spec.schema;
        break;
    case ScorerKind::FieldF1:
        j["pass_threshold"] = spec.passThreshold;
        break;
    case ScorerKind::Length: {
        j["unit"] = unitName(spec.unit);
        const std::pair<const char*, const std::optional<int64_t>*> bounds[] = {
            {"min_chars", &spec.minChars},
            {"max_chars", &spec.maxChars},
            {"min_words", &spec.minWords},
            {"max_words", &spec.maxWords},
        };
        for (const auto& [field, bound] : bounds)
            if (*bound)
                j[field] = **bound;
        break;
    }
    default:
        break;
    }
    return j;
}

Expected<ScorerSpec> scorerFromJson(const json& j, const std::string& where)
{
    ScorerSpec spec;
    if (auto status = parseSpec(j, spec); !status) {
        const std::string& message = status.error().message;
        // Field errors read "field: ..."; the object-level one has no field.
        const bool hasField = j.is_object();
        return makeError(where + (hasField ? "." : ": ") + message);
    }
    return spec;
}

json scorersToJson(const std::vector<ScorerSpec>& specs)
{
    json array = json::array();
    for (const ScorerSpec& spec : specs)
        array.push_back(scorerToJson(spec));
    return array;
}

Expected<std::vector<ScorerSpec>> scorersFromJson(const json& j)
{
    if (!j.is_array())
        return makeError("scorers: expected an array of scorers, got " + j.dump());
    std::vector<ScorerSpec> specs;
    std::set<std::string> names;
    for (size_t i = 0; i < j.size(); ++i) {
        const std::string where = "scorers[" + std::to_string(i) + "]";
        auto spec = scorerFromJson(j[i], where);
        if (!spec)
            return spec.error();
        if (!names.insert(spec->displayName()).second)
            return makeError(where + ".name: '" + spec->displayName()
                             + "' is already used by another scorer (names must be unique)");
        specs.push_back(std::move(*spec));
    }
    return specs;
}

std::vector<ScorerSpec> defaultScorers()
{
    ScorerSpec exact;
    exact.kind = ScorerKind::ExactMatch;
    ScorerSpec normalized;
    normalized.kind = ScorerKind::NormalizedMatch;
    ScorerSpec contains;
    contains.kind = ScorerKind::Contains;
    contains.name = "contains_reference";
    contains.caseSensitive = false;
    ScorerSpec length;
    length.kind = ScorerKind::Length;
    length.name = "length_words";
    length.unit = LengthUnit::Words;
    return {exact, normalized, contains, length};
}

} // namespace ts::eval

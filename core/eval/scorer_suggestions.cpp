// suggestScorers: parse every reference as model output would be parsed, then suggest from what they share.
#include "eval/scorer_suggestions.h"

#include <set>

#include "eval/json_output.h"
#include "eval/schema_inference.h"

namespace ts::eval {

namespace {

std::string plural(size_t n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "category, priority and 2 more" for the keys shared by the object references.
std::string keyList(const std::vector<nlohmann::json>& values)
{
    std::set<std::string> keys;
    for (const auto& v : values)
        if (v.is_object())
            for (auto it = v.begin(); it != v.end(); ++it)
                keys.insert(it.key());
    std::string out;
    size_t shown = 0;
    for (const std::string& k : keys) {
        if (shown == 4) {
            out += " and " + std::to_string(keys.size() - shown) + " more";
            break;
        }
        out += (shown == 0 ? "" : ", ") + k;
        ++shown;
    }
    return out;
}

} // namespace

ScorerSuggestions suggestScorers(const std::vector<std::string>& references)
{
    ScorerSuggestions out;
    std::vector<nlohmann::json> parsed;
    size_t total = 0;
    for (const std::string& reference : references) {
        if (reference.empty())
            continue;
        ++total;
        if (auto json = parseJsonOutput(reference))
            parsed.push_back(std::move(json->value));
    }
    if (total == 0) {
        out.summary = "No golden references yet: add examples with an expected output to get suggestions.";
        return out;
    }
    const std::string refs = plural(total, "reference", "references");
    if (parsed.size() < total) {
        out.summary = "The references are plain text (" + std::to_string(parsed.size()) + " of " + refs
            + " parse as JSON): no JSON scorers suggested.";
        return out;
    }
    out.summary = total == 1 ? "The 1 reference is JSON." : "All " + refs + " are JSON.";

    ScorerSpec parses;
    parses.kind = ScorerKind::JsonParses;
    out.suggestions.push_back({parses,
                               (total == 1 ? std::string("The reference is") : "All " + refs + " are")
                                   + " JSON, so answers should parse as JSON too."});

    size_t withFields = 0;
    for (const auto& v : parsed)
        if ((v.is_object() || v.is_array()) && !v.empty())
            ++withFields;
    if (withFields == parsed.size()) {
        ScorerSpec f1;
        f1.kind = ScorerKind::FieldF1;
        const std::string keys = keyList(parsed);
        out.suggestions.push_back({f1,
                                   "The references have fields" + (keys.empty() ? "" : " (" + keys + ")")
                                       + ": field F1 credits each field an answer gets right."});
    }

    ScorerSpec schema;
    schema.kind = ScorerKind::JsonSchemaValid;
    schema.schema = inferSchema(parsed);
    std::string shape = "their shape";
    if (schema.schema.is_object() && schema.schema.contains("required"))
        shape = "an object requiring " + std::to_string(schema.schema["required"].size()) + " "
            + (schema.schema["required"].size() == 1 ? "field" : "fields");
    out.suggestions.push_back(
        {schema, "Schema inferred from the " + refs + " (" + shape + "): answers must have the same structure."});
    return out;
}

} // namespace ts::eval

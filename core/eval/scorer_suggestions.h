// Scorers suggested from a project's golden references, each with the reason it was suggested: when every
// reference is JSON (also inside a ```json fence), json_parses; field_f1 when they are objects or arrays
// with fields to compare; json_schema_valid with a schema inferred from them (schema_inference.h). Plain
// text references get no suggestions (the default scorers already compare text); `summary` says why.
#pragma once

#include <string>
#include <vector>

#include "eval/scorer.h"

namespace ts::eval {

struct ScorerSuggestion
{
    ScorerSpec spec;
    std::string reason; // one line: "All 12 references are JSON, so answers should parse as JSON too."
};

struct ScorerSuggestions
{
    std::vector<ScorerSuggestion> suggestions;
    std::string summary; // one line on what the references are
};

// `references`: the expected outputs (empty ones are left out).
ScorerSuggestions suggestScorers(const std::vector<std::string>& references);

} // namespace ts::eval

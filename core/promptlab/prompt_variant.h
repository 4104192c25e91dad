// PromptVariant: one way of asking the model to do the task — a system prompt built from named
// sections (role, instructions, constraints, audience, output format or JSON schema, chain of
// thought), few-shot examples taken from the golden set by id (so edits to them flow through),
// template variables, and the model endpoint + sampling parameters. Stored as a prompt version
// (store/prompt_repository.h); rendering for one example is in promptlab/render.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace ts::promptlab {

struct SamplingSettings
{
    std::optional<double> temperature; // unset: the provider's default
    std::optional<double> topP;
    std::optional<int> maxTokens;
    std::vector<std::string> stop;
    bool operator==(const SamplingSettings&) const = default;
};

struct PromptVariant
{
    // System prompt sections, joined in this order with blank lines (empty ones left out).
    std::string role; // "You are a claims triage assistant for an insurance company."
    std::string instructions; // the task
    std::vector<std::string> constraints; // rendered as a "Constraints:" bullet list
    std::string audience; // "Write for: ..."
    std::string outputFormat; // prose: "Answer with one word: ..."
    std::optional<nlohmann::json> jsonSchema; // "Respond with only a JSON value valid against this schema"
    bool chainOfThought = false; // think inside <thinking>…</thinking> first; scorers see the rest
    std::vector<int64_t> fewShotIds; // golden examples (their user/assistant turns) before the input
    std::map<std::string, std::string> variables; // {{name}} in any section → value

    std::string endpoint; // name of a model endpoint of the project (store/model_repository.h)
    SamplingSettings sampling;

    bool operator==(const PromptVariant&) const = default;
};

// {"role": ..., "instructions": ..., "constraints": [...], "audience": ..., "output_format": ...,
//  "json_schema": {...}, "chain_of_thought": false, "few_shot_ids": [...], "variables": {...},
//  "endpoint": "...", "temperature": 0, "top_p": ..., "max_tokens": ..., "stop": [...]}
nlohmann::json variantToJson(const PromptVariant& variant);
// Missing fields take defaults; unknown fields and wrong types are errors naming the field.
Expected<PromptVariant> variantFromJson(const nlohmann::json& json);

// The text of the system prompt with variables substituted; an error names an unknown {{variable}}.
Expected<std::string> systemPrompt(const PromptVariant& variant);

} // namespace ts::promptlab

#include "promptlab/prompt_variant.h"

#include <set>

namespace ts::promptlab {

using json = nlohmann::json;

json variantToJson(const PromptVariant& v)
{
    json j = {
        {"role", v.role},
        {"instructions", v.instructions},
        {"constraints", v.constraints},
        {"audience", v.audience},
        {"output_format", v.outputFormat},
        {"chain_of_thought", v.chainOfThought},
        {"few_shot_ids", v.fewShotIds},
        {"variables", v.variables},
        {"endpoint", v.endpoint},
        {"stop", v.sampling.stop},
    };
    if (v.jsonSchema)
        j["json_schema"] = *v.jsonSchema;
    if (v.sampling.temperature)
        j["temperature"] = *v.sampling.temperature;
    if (v.sampling.topP)
        j["top_p"] = *v.sampling.topP;
    if (v.sampling.maxTokens)
        j["max_tokens"] = *v.sampling.maxTokens;
    return j;
}

namespace {

template <typename T> Status read(const json& j, const char* key, T& out)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    try {
        out = it->get<T>();
    } catch (const json::exception&) {
        return makeError(std::string("prompt variant: ") + key + ": wrong type (" + it->type_name() + ")");
    }
    return {};
}

template <typename T> Status readOptional(const json& j, const char* key, std::optional<T>& out)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    T value {};
    if (auto s = read(j, key, value); !s)
        return s;
    out = value;
    return {};
}

} // namespace

Expected<PromptVariant> variantFromJson(const json& j)
{
    if (!j.is_object())
        return makeError("prompt variant: expected a JSON object");
    static const std::set<std::string> known = {"role",          "instructions", "constraints",      "audience",
                                                "output_format", "json_schema",  "chain_of_thought", "few_shot_ids",
                                                "variables",     "endpoint",     "temperature",      "top_p",
                                                "max_tokens",    "stop"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.count(it.key()))
            return makeError("prompt variant: unknown field \"" + it.key() + "\"");
    PromptVariant v;
    for (const Status& s :
         {read(j, "role", v.role), read(j, "instructions", v.instructions), read(j, "constraints", v.constraints),
          read(j, "audience", v.audience), read(j, "output_format", v.outputFormat),
          read(j, "chain_of_thought", v.chainOfThought), read(j, "few_shot_ids", v.fewShotIds),
          read(j, "variables", v.variables), read(j, "endpoint", v.endpoint),
          readOptional(j, "temperature", v.sampling.temperature), readOptional(j, "top_p", v.sampling.topP),
          readOptional(j, "max_tokens", v.sampling.maxTokens), read(j, "stop", v.sampling.stop)})
        if (!s)
            return s.error();
    if (auto it = j.find("json_schema"); it != j.end() && !it->is_null()) {
        if (!it->is_object() && !it->is_boolean())
            return makeError("prompt variant: json_schema: expected a JSON Schema object");
        v.jsonSchema = *it;
    }
    if (v.sampling.temperature && (*v.sampling.temperature < 0 || *v.sampling.temperature > 2))
        return makeError("prompt variant: temperature: must be between 0 and 2");
    if (v.sampling.topP && (*v.sampling.topP <= 0 || *v.sampling.topP > 1))
        return makeError("prompt variant: top_p: must be in (0, 1]");
    if (v.sampling.maxTokens && *v.sampling.maxTokens < 1)
        return makeError("prompt variant: max_tokens: must be >= 1");
    return v;
}

namespace {

// {{ name }} → variables[name]; an unknown name is an error.
Expected<std::string> substitute(const std::string& text, const std::map<std::string, std::string>& variables)
{
    std::string out;
    size_t pos = 0;
    for (;;) {
        const size_t open = text.find("{{", pos);
        if (open == std::string::npos)
            break;
        const size_t close = text.find("}}", open + 2);
        if (close == std::string::npos)
            break;
        std::string name = text.substr(open + 2, close - open - 2);
        const auto first = name.find_first_not_of(" \t");
        const auto last = name.find_last_not_of(" \t");
        name = first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
        auto it = variables.find(name);
        if (it == variables.end())
            return makeError("prompt variant: unknown template variable {{" + name + "}}");
        out.append(text, pos, open - pos);
        out += it->second;
        pos = close + 2;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

} // namespace

Expected<std::string> systemPrompt(const PromptVariant& v)
{
    std::vector<std::string> sections;
    auto add = [&](const std::string& text) {
        if (!text.empty())
            sections.push_back(text);
    };
    add(v.role);
    add(v.instructions);
    if (!v.constraints.empty()) {
        std::string list = "Constraints:";
        for (const auto& c : v.constraints)
            list += "\n- " + c;
        sections.push_back(list);
    }
    if (!v.audience.empty())
        sections.push_back("Audience: " + v.audience);
    add(v.outputFormat);
    if (v.jsonSchema)
        sections.push_back("Respond with only a JSON value that is valid against this JSON Schema:\n"
                           + v.jsonSchema->dump(2));
    if (v.chainOfThought)
        sections.push_back("Think step by step inside <thinking></thinking> tags first. After the closing "
                           "</thinking> tag, give only the final answer.");
    std::string joined;
    for (const auto& s : sections)
        joined += (joined.empty() ? "" : "\n\n") + s;
    return substitute(joined, v.variables);
}

} // namespace ts::promptlab

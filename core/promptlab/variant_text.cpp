// variantText: one heading per field, multi-line values indented under it, empty fields shown as "(none)".
#include "promptlab/variant_text.h"

#include <sstream>

namespace ts::promptlab {

namespace {

void block(std::ostringstream& out, const char* heading, const std::string& value)
{
    out << heading << ':';
    if (value.empty()) {
        out << " (none)\n";
        return;
    }
    out << '\n';
    std::istringstream lines(value);
    for (std::string line; std::getline(lines, line);)
        out << "  " << line << '\n';
}

std::string number(double value)
{
    std::ostringstream s;
    s << value;
    return s.str();
}

} // namespace

std::string variantText(const PromptVariant& v)
{
    std::ostringstream out;
    block(out, "Role", v.role);
    block(out, "Instructions", v.instructions);
    std::string constraints;
    for (const std::string& c : v.constraints)
        constraints += "- " + c + "\n";
    block(out, "Constraints", constraints);
    block(out, "Audience", v.audience);
    block(out, "Output format", v.outputFormat);
    block(out, "JSON schema", v.jsonSchema ? v.jsonSchema->dump(2) : std::string());
    out << "Chain of thought: " << (v.chainOfThought ? "on" : "off") << '\n';
    std::string shots;
    for (int64_t id : v.fewShotIds)
        shots += (shots.empty() ? "#" : ", #") + std::to_string(id);
    out << "Few-shot examples: " << (shots.empty() ? "(none)" : shots) << '\n';
    std::string variables;
    for (const auto& [name, value] : v.variables)
        variables += name + " = " + value + "\n";
    block(out, "Variables", variables);
    out << "Endpoint: " << (v.endpoint.empty() ? "(none)" : v.endpoint) << '\n';
    out << "Temperature: " << (v.sampling.temperature ? number(*v.sampling.temperature) : "default") << '\n';
    out << "Top p: " << (v.sampling.topP ? number(*v.sampling.topP) : "default") << '\n';
    out << "Max tokens: " << (v.sampling.maxTokens ? std::to_string(*v.sampling.maxTokens) : "default") << '\n';
    std::string stop;
    for (const std::string& s : v.sampling.stop)
        stop += (stop.empty() ? "\"" : ", \"") + s + "\"";
    out << "Stop: " << (stop.empty() ? "(none)" : stop) << '\n';
    return out.str();
}

} // namespace ts::promptlab

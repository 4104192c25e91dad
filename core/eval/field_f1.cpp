// Field-level P/R/F1 over flattened JSON; see field_f1.h.
#include "eval/field_f1.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "eval/json_schema.h"
#include "eval/normalize.h"

namespace ts::eval {

using nlohmann::json;

namespace {

void flattenInto(const json& value, const std::string& path, std::vector<std::pair<std::string, json>>& out)
{
    if (value.is_object() && !value.empty()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            flattenInto(it.value(), path + "/" + escapePointerToken(it.key()), out);
    } else if (value.is_array() && !value.empty()) {
        for (size_t i = 0; i < value.size(); ++i)
            flattenInto(value[i], path + "/" + std::to_string(i), out);
    } else {
        out.emplace_back(path, value);
    }
}

} // namespace

std::vector<std::pair<std::string, json>> flattenJson(const json& value)
{
    std::vector<std::pair<std::string, json>> out;
    flattenInto(value, "", out);
    return out;
}

bool leafValuesEqual(const json& a, const json& b)
{
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>();
        const double y = b.get<double>();
        return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
    }
    if (a.is_string() && b.is_string())
        return normalizedEquals(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
    return a == b;
}

FieldScore fieldF1(const json& output, const json& reference)
{
    const auto outputLeaves = flattenJson(output);
    const auto referenceLeaves = flattenJson(reference);
    std::map<std::string, const json*> byPath;
    for (const auto& [path, value] : referenceLeaves)
        byPath.emplace(path, &value);

    FieldScore score;
    score.outputFields = outputLeaves.size();
    score.referenceFields = referenceLeaves.size();
    for (const auto& [path, value] : outputLeaves) {
        auto it = byPath.find(path);
        if (it == byPath.end()) {
            score.extra.push_back(path);
        } else if (leafValuesEqual(value, *it->second)) {
            ++score.correct;
        } else {
            score.wrong.push_back(path);
        }
        if (it != byPath.end())
            byPath.erase(it);
    }
    for (const auto& [path, value] : referenceLeaves)
        if (byPath.count(path))
            score.missing.push_back(path);

    score.precision = score.outputFields ? double(score.correct) / double(score.outputFields) : 0.0;
    score.recall = score.referenceFields ? double(score.correct) / double(score.referenceFields) : 0.0;
    const double sum = score.precision + score.recall;
    score.f1 = sum > 0 ? 2 * score.precision * score.recall / sum : 0.0;
    return score;
}

} // namespace ts::eval

// Field-level precision / recall / F1 of a JSON output against a reference JSON. Both are flattened to
// leaves (JSON Pointer path -> scalar value; an empty object or array is a leaf too); an output leaf is
// correct when the reference has the same path with an equal value: numbers compared numerically
// (relative tolerance 1e-9, so 3 equals 3.0), strings after normalizeText and ignoring case, everything
// else exactly. Precision = correct / output leaves, recall = correct / reference leaves.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ts::eval {

struct FieldScore
{
    size_t outputFields = 0;
    size_t referenceFields = 0;
    size_t correct = 0;
    double precision = 0;
    double recall = 0;
    double f1 = 0; // 0 when precision and recall are both 0
    std::vector<std::string> wrong; // output paths whose value differs from the reference
    std::vector<std::string> missing; // reference paths absent from the output
    std::vector<std::string> extra; // output paths absent from the reference
};

// Leaves in document order (object keys sorted), e.g. {"a":{"b":[1,2]}} -> /a/b/0 = 1, /a/b/1 = 2.
std::vector<std::pair<std::string, nlohmann::json>> flattenJson(const nlohmann::json& value);

bool leafValuesEqual(const nlohmann::json& a, const nlohmann::json& b);

FieldScore fieldF1(const nlohmann::json& output, const nlohmann::json& reference);

} // namespace ts::eval

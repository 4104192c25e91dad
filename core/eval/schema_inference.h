// A JSON Schema inferred from example values (the golden references of a project), in the subset
// json_schema.h validates: the type of each value (integer and number merge to number, other mixes give a
// list of type names), an object's properties with `required` = the keys present in every example, an
// array's items from all elements, and `enum` for a string field that repeats a few values (at most
// kMaxEnumValues distinct, each seen twice on average), like a label.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace ts::eval {

inline constexpr size_t kMaxEnumValues = 8;

// An empty list gives the schema `true` (anything is valid).
nlohmann::json inferSchema(const std::vector<nlohmann::json>& examples);

} // namespace ts::eval

// A validator for the subset of JSON Schema that people use to describe an output format:
//   type (a name or an array of names: null, boolean, object, array, number, integer, string),
//   properties, required, additionalProperties (true/false or a schema), items (a schema, or an array of
//   schemas matched by position), enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum
//   (numbers; draft-4 booleans too), minLength, maxLength (in code points), minItems, maxItems,
//   pattern (PCRE2, searched anywhere in the string as JSON Schema says), and the schemas true / false.
// Every other keyword ($schema, title, description, format, anyOf, $ref, ...) is ignored, so a schema
// using them validates less than a full implementation would. "integer" accepts 3.0 (as drafts 6+ do).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace ts::eval {

struct SchemaViolation
{
    // JSON Pointer (RFC 6901) into the checked document: "" is the whole document, "/items/2/name" a
    // field. A missing required property or a property that is not allowed points at that property.
    std::string pointer;
    std::string message; // e.g. "expected type string, got number"

    std::string describe() const; // "/items/2/name: expected type string, got number"
};

// Checks the schema itself: known keywords hold the right kind of value, type names exist, patterns
// compile. Errors name the place in the schema, e.g. "schema #/properties/id/pattern: invalid regex ...".
Status checkSchema(const nlohmann::json& schema);

// The first violation (depth first, keywords in the order listed above; properties in key order), or
// none when `document` is valid. Assumes checkSchema passed; malformed keywords are skipped.
std::optional<SchemaViolation> validateAgainstSchema(const nlohmann::json& schema, const nlohmann::json& document);

// The JSON Schema type name of a value: "null", "boolean", "object", "array", "integer" (whole numbers as parsed),
// "number" or "string".
std::string schemaTypeName(const nlohmann::json& value);

// "a~b/c" -> "a~0b~1c", for building JSON Pointers.
std::string escapePointerToken(const std::string& token);

} // namespace ts::eval

// The JSON Schema subset validator (core/eval/json_schema.h): each keyword accepting and rejecting,
// the JSON Pointer of the first violation, ignored keywords, and checks of the schema itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "eval/json_schema.h"

using namespace ts::eval;
using nlohmann::json;

namespace {

// "" when valid, else "pointer: message".
std::string check(const char* schema, const char* document)
{
    auto violation = validateAgainstSchema(json::parse(schema), json::parse(document));
    return violation ? violation->describe() : "";
}

std::string pointerOf(const char* schema, const char* document)
{
    auto violation = validateAgainstSchema(json::parse(schema), json::parse(document));
    return violation ? violation->pointer : "(valid)";
}

std::string schemaError(const char* schema)
{
    auto status = checkSchema(json::parse(schema));
    return status.ok() ? "" : status.error().message;
}

} // namespace

TEST(EvalJsonSchema, Types)
{
    EXPECT_EQ(check(R"({"type": "string"})", R"("x")"), "");
    EXPECT_EQ(check(R"({"type": "string"})", "3"), "(root): expected type string, got integer");
    EXPECT_EQ(check(R"({"type": "integer"})", "3.0"), ""); // integral number
    EXPECT_EQ(check(R"({"type": "integer"})", "3.5"), "(root): expected type integer, got number");
    EXPECT_EQ(check(R"({"type": "number"})", "3"), "");
    EXPECT_EQ(check(R"({"type": ["string", "null"]})", "null"), "");
    EXPECT_EQ(check(R"({"type": ["string", "null"]})", "false"), "(root): expected type string or null, got boolean");
    EXPECT_EQ(check(R"({"type": "object"})", "[]"), "(root): expected type object, got array");
    EXPECT_EQ(check(R"({"type": "array"})", "[]"), "");
    EXPECT_EQ(check(R"({"type": "boolean"})", "true"), "");
}

TEST(EvalJsonSchema, EnumAndConst)
{
    EXPECT_EQ(check(R"({"enum": ["a", 1, null]})", "1"), "");
    EXPECT_EQ(check(R"({"enum": ["a", 1, null]})", "null"), "");
    EXPECT_EQ(check(R"({"enum": ["a", 1]})", R"("b")"), R"((root): value "b" is not one of ["a",1])");
    EXPECT_EQ(check(R"({"const": {"k": [1]}})", R"({"k": [1]})"), "");
    EXPECT_EQ(check(R"({"const": "x"})", R"("y")"), R"((root): value "y" is not the constant "x")");
}

TEST(EvalJsonSchema, NumericBounds)
{
    EXPECT_EQ(check(R"({"minimum": 0, "maximum": 10})", "0"), "");
    EXPECT_EQ(check(R"({"minimum": 0, "maximum": 10})", "10"), "");
    EXPECT_EQ(check(R"({"minimum": 0})", "-0.5"), "(root): -0.5 is less than the minimum 0");
    EXPECT_EQ(check(R"({"maximum": 10})", "11"), "(root): 11 is greater than the maximum 10");
    EXPECT_EQ(check(R"({"exclusiveMinimum": 0})", "0"), "(root): 0 is not greater than the exclusive minimum 0");
    EXPECT_EQ(check(R"({"exclusiveMaximum": 1.5})", "1.4"), "");
    // Draft 4's boolean form.
    EXPECT_EQ(check(R"({"minimum": 0, "exclusiveMinimum": true})", "0"),
              "(root): 0 is less than or equal to the minimum 0");
    // Bounds do not apply to other types.
    EXPECT_EQ(check(R"({"minimum": 5})", R"("abc")"), "");
}

TEST(EvalJsonSchema, Strings)
{
    EXPECT_EQ(check(R"({"minLength": 2, "maxLength": 3})", R"("éé")"), ""); // code points, not bytes
    EXPECT_EQ(check(R"({"minLength": 2})", R"("a")"), "(root): string of length 1 is shorter than minLength 2");
    EXPECT_EQ(check(R"({"maxLength": 3})", R"("abcd")"), "(root): string of length 4 is longer than maxLength 3");
    EXPECT_EQ(check(R"({"pattern": "^[A-Z]{3}-\\d+$"})", R"("ABC-42")"), "");
    EXPECT_EQ(check(R"({"pattern": "\\d"})", R"("room 7")"), ""); // searched anywhere
    EXPECT_EQ(check(R"({"pattern": "^[A-Z]{3}-\\d+$"})", R"("AB-42")"),
              R"((root): string "AB-42" does not match pattern '^[A-Z]{3}-\d+$')");
}

TEST(EvalJsonSchema, Arrays)
{
    const char* schema = R"({"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}})";
    EXPECT_EQ(check(schema, "[1, 2]"), "");
    EXPECT_EQ(check(schema, "[]"), "(root): array has 0 items, fewer than minItems 1");
    EXPECT_EQ(check(schema, "[1, 2, 3, 4]"), "(root): array has 4 items, more than maxItems 3");
    EXPECT_EQ(check(schema, R"([1, "2"])"), "/1: expected type integer, got string");
    // Positional items: only the listed positions are constrained.
    const char* tuple = R"({"items": [{"type": "string"}, {"type": "number"}]})";
    EXPECT_EQ(check(tuple, R"(["a", 1, null])"), "");
    EXPECT_EQ(check(tuple, R"(["a", "b"])"), "/1: expected type number, got string");
}

TEST(EvalJsonSchema, ObjectsAndPointers)
{
    const char* schema = R"({
        "type": "object",
        "required": ["id", "customer"],
        "additionalProperties": false,
        "properties": {
            "id": {"type": "string"},
            "customer": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 1}, "emails": {"type": "array", "items": {"pattern": "@"}}}
            }
        }
    })";
    EXPECT_EQ(check(schema, R"({"id": "7", "customer": {"name": "Ada", "emails": ["a@b.c"]}})"), "");
    EXPECT_EQ(check(schema, R"({"customer": {"name": "Ada"}})"), "/id: required property 'id' is missing");
    EXPECT_EQ(check(schema, R"({"id": "7", "customer": {}})"), "/customer/name: required property 'name' is missing");
    EXPECT_EQ(pointerOf(schema, R"({"id": "7", "customer": {"name": ""}})"), "/customer/name");
    EXPECT_EQ(pointerOf(schema, R"({"id": "7", "customer": {"name": "Ada", "emails": ["ok@x", "nope"]}})"),
              "/customer/emails/1");
    EXPECT_EQ(check(schema, R"({"id": "7", "customer": {"name": "Ada"}, "note": 1})"),
              "/note: property 'note' is not allowed (additionalProperties is false)");
    // Pointer tokens are escaped (RFC 6901): "~" -> "~0", "/" -> "~1".
    EXPECT_EQ(pointerOf(R"({"properties": {"a/b~c": {"type": "string"}}})", R"({"a/b~c": 1})"), "/a~1b~0c");
    // additionalProperties as a schema; undeclared properties are free without it.
    EXPECT_EQ(check(R"({"additionalProperties": {"type": "number"}})", R"({"x": 1, "y": "2"})"),
              "/y: expected type number, got string");
    EXPECT_EQ(check(R"({"properties": {"a": {"type": "string"}}})", R"({"b": 1})"), "");
}

TEST(EvalJsonSchema, BooleanSchemasAndIgnoredKeywords)
{
    EXPECT_EQ(check("true", "[1]"), "");
    EXPECT_EQ(check(R"({"properties": {"x": false}})", R"({"x": 1})"),
              "/x: no value is allowed here (schema is false)");
    // Keywords outside the subset are ignored, not errors.
    const char* schema = R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "T",
                             "format": "email", "anyOf": [{"type": "string"}], "type": "integer"})";
    EXPECT_EQ(schemaError(schema), "");
    EXPECT_EQ(check(schema, "5"), "");
}

TEST(EvalJsonSchema, FirstViolationInOrder)
{
    // Type is checked before the object's members; required before properties; properties in key order.
    EXPECT_EQ(pointerOf(R"({"type": "object", "required": ["z"]})", "[]"), "");
    EXPECT_EQ(pointerOf(R"({"required": ["z"], "properties": {"a": {"type": "string"}}})", R"({"a": 1})"), "/z");
    EXPECT_EQ(pointerOf(R"({"properties": {"a": {"type": "string"}, "b": {"type": "string"}}})", R"({"b": 1, "a": 1})"),
              "/a");
}

TEST(EvalJsonSchema, CheckSchemaNamesThePlace)
{
    EXPECT_EQ(schemaError(R"({"type": "object", "properties": {"id": {"type": "string", "pattern": "("}}})")
                  .find("schema #/properties/id/pattern: invalid regex '(' at offset 1: "),
              0u);
    EXPECT_EQ(schemaError(R"({"type": "strin"})"),
              "schema #/type: unknown type \"strin\" (expected null, boolean, object, array, number, integer or "
              "string)");
    EXPECT_EQ(schemaError(R"({"type": []})"), "schema #/type: expected at least one type name");
    EXPECT_EQ(schemaError(R"({"required": "id"})"), "schema #/required: expected an array of property names");
    EXPECT_EQ(schemaError(R"({"items": [{"type": 1}]})"),
              "schema #/items/0/type: expected a type name or an array of type names");
    EXPECT_EQ(schemaError(R"({"minLength": -1})"), "schema #/minLength: expected a non-negative integer");
    EXPECT_EQ(schemaError(R"({"maximum": "10"})"), "schema #/maximum: expected a number");
    EXPECT_EQ(schemaError(R"({"enum": 3})"), "schema #/enum: expected an array of allowed values");
    EXPECT_EQ(schemaError(R"({"additionalProperties": 3})"),
              "schema #/additionalProperties: expected an object (or true/false), got 3");
    EXPECT_EQ(schemaError("[]"), "schema #: expected an object (or true/false), got []");
    EXPECT_EQ(schemaError("false"), "");
}

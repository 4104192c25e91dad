// JSON Schema subset validator; see json_schema.h for what is covered.
#include "eval/json_schema.h"

#include <array>
#include <cmath>

#include "common/utf8.h"
#include "eval/pattern.h"

namespace ts::eval {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 7> kTypeNames
    = {"null", "boolean", "object", "array", "number", "integer", "string"};

bool hasType(const json& value, std::string_view type)
{
    if (type == "number")
        return value.is_number();
    if (type == "integer") {
        if (value.is_number_integer())
            return true;
        if (!value.is_number_float())
            return false;
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return schemaTypeName(value) == type;
}

std::string shortJson(const json& value)
{
    std::string text = value.dump();
    if (text.size() > 60)
        text = text.substr(0, 57) + "...";
    return text;
}

// ---- validation ----

using Found = std::optional<SchemaViolation>;

Found violation(const std::string& pointer, std::string message)
{
    return SchemaViolation {pointer, std::move(message)};
}

Found validateNode(const json& schema, const json& doc, const std::string& pointer);

Found checkType(const json& schema, const json& doc, const std::string& pointer)
{
    auto it = schema.find("type");
    if (it == schema.end())
        return std::nullopt;
    std::vector<std::string> types;
    if (it->is_string())
        types.push_back(it->get<std::string>());
    else if (it->is_array())
        for (const json& t : *it)
            if (t.is_string())
                types.push_back(t.get<std::string>());
    if (types.empty())
        return std::nullopt;
    for (const std::string& t : types)
        if (hasType(doc, t))
            return std::nullopt;
    std::string expected;
    for (size_t i = 0; i < types.size(); ++i)
        expected += (i ? " or " : "") + types[i];
    return violation(pointer, "expected type " + expected + ", got " + schemaTypeName(doc));
}

Found checkValues(const json& schema, const json& doc, const std::string& pointer)
{
    if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
        bool found = false;
        for (const json& allowed : *it)
            found = found || allowed == doc;
        if (!found)
            return violation(pointer, "value " + shortJson(doc) + " is not one of " + shortJson(*it));
    }
    if (auto it = schema.find("const"); it != schema.end() && *it != doc)
        return violation(pointer, "value " + shortJson(doc) + " is not the constant " + shortJson(*it));
    return std::nullopt;
}

Found checkNumber(const json& schema, const json& doc, const std::string& pointer)
{
    if (!doc.is_number())
        return std::nullopt;
    const double value = doc.get<double>();
    auto flag = [&](const char* key) {
        auto it = schema.find(key);
        return it != schema.end() && it->is_boolean() && it->get<bool>();
    };
    // The bound as written in the schema, when it is a number.
    auto bound = [&](const char* key) -> const json* {
        auto it = schema.find(key);
        return it != schema.end() && it->is_number() ? &*it : nullptr;
    };
    if (const json* min = bound("minimum")) {
        const bool exclusive = flag("exclusiveMinimum"); // draft 4
        const double limit = min->get<double>();
        if (exclusive ? !(value > limit) : !(value >= limit))
            return violation(pointer,
                             doc.dump() + " is less than " + (exclusive ? "or equal to " : "") + "the minimum "
                                 + min->dump());
    }
    if (const json* max = bound("maximum")) {
        const bool exclusive = flag("exclusiveMaximum");
        const double limit = max->get<double>();
        if (exclusive ? !(value < limit) : !(value <= limit))
            return violation(pointer,
                             doc.dump() + " is greater than " + (exclusive ? "or equal to " : "") + "the maximum "
                                 + max->dump());
    }
    if (const json* min = bound("exclusiveMinimum"); min && !(value > min->get<double>()))
        return violation(pointer, doc.dump() + " is not greater than the exclusive minimum " + min->dump());
    if (const json* max = bound("exclusiveMaximum"); max && !(value < max->get<double>()))
        return violation(pointer, doc.dump() + " is not less than the exclusive maximum " + max->dump());
    return std::nullopt;
}

std::optional<uint64_t> countKeyword(const json& schema, const char* key)
{
    auto it = schema.find(key);
    if (it == schema.end() || !it->is_number_integer() || it->get<int64_t>() < 0)
        return std::nullopt;
    return it->get<uint64_t>();
}

Found checkString(const json& schema, const json& doc, const std::string& pointer)
{
    if (!doc.is_string())
        return std::nullopt;
    const std::string& text = doc.get_ref<const std::string&>();
    const size_t length = utf8::codePointCount(text);
    if (auto min = countKeyword(schema, "minLength"); min && length < *min)
        return violation(pointer,
                         "string of length " + std::to_string(length) + " is shorter than minLength "
                             + std::to_string(*min));
    if (auto max = countKeyword(schema, "maxLength"); max && length > *max)
        return violation(pointer,
                         "string of length " + std::to_string(length) + " is longer than maxLength "
                             + std::to_string(*max));
    if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
        const std::string& source = it->get_ref<const std::string&>();
        auto pattern = Pattern::compile(source);
        if (pattern && !pattern->matches(text))
            return violation(pointer, "string " + shortJson(doc) + " does not match pattern '" + source + "'");
    }
    return std::nullopt;
}

Found checkArray(const json& schema, const json& doc, const std::string& pointer)
{
    if (!doc.is_array())
        return std::nullopt;
    if (auto min = countKeyword(schema, "minItems"); min && doc.size() < *min)
        return violation(
            pointer, "array has " + std::to_string(doc.size()) + " items, fewer than minItems " + std::to_string(*min));
    if (auto max = countKeyword(schema, "maxItems"); max && doc.size() > *max)
        return violation(
            pointer, "array has " + std::to_string(doc.size()) + " items, more than maxItems " + std::to_string(*max));
    auto items = schema.find("items");
    if (items == schema.end())
        return std::nullopt;
    for (size_t i = 0; i < doc.size(); ++i) {
        const json* itemSchema = &*items;
        if (items->is_array()) {
            if (i >= items->size())
                break; // positional items: later elements are unconstrained
            itemSchema = &(*items)[i];
        }
        if (auto found = validateNode(*itemSchema, doc[i], pointer + "/" + std::to_string(i)))
            return found;
    }
    return std::nullopt;
}

Found checkObject(const json& schema, const json& doc, const std::string& pointer)
{
    if (!doc.is_object())
        return std::nullopt;
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
        for (const json& name : *it)
            if (name.is_string() && !doc.contains(name.get<std::string>()))
                return violation(pointer + "/" + escapePointerToken(name.get<std::string>()),
                                 "required property '" + name.get<std::string>() + "' is missing");
    }
    const auto properties = schema.find("properties");
    const bool haveProperties = properties != schema.end() && properties->is_object();
    const auto additional = schema.find("additionalProperties");
    for (auto member = doc.begin(); member != doc.end(); ++member) {
        const std::string childPointer = pointer + "/" + escapePointerToken(member.key());
        if (haveProperties) {
            if (auto declared = properties->find(member.key()); declared != properties->end()) {
                if (auto found = validateNode(*declared, member.value(), childPointer))
                    return found;
                continue;
            }
        }
        if (additional == schema.end())
            continue;
        if (additional->is_boolean() && !additional->get<bool>())
            return violation(childPointer,
                             "property '" + member.key() + "' is not allowed (additionalProperties is false)");
        if (additional->is_object())
            if (auto found = validateNode(*additional, member.value(), childPointer))
                return found;
    }
    return std::nullopt;
}

Found validateNode(const json& schema, const json& doc, const std::string& pointer)
{
    if (schema.is_boolean())
        return schema.get<bool>() ? Found {} : violation(pointer, "no value is allowed here (schema is false)");
    if (!schema.is_object())
        return std::nullopt;
    for (auto check : {checkType, checkValues, checkNumber, checkString, checkArray, checkObject})
        if (auto found = check(schema, doc, pointer))
            return found;
    return std::nullopt;
}

// ---- checking the schema ----

Status schemaError(const std::string& where, const std::string& message)
{
    return makeError("schema " + where + ": " + message);
}

Status checkNode(const json& schema, const std::string& where);

Status checkTypeKeyword(const json& type, const std::string& where)
{
    auto known = [](const json& name) {
        if (!name.is_string())
            return false;
        for (std::string_view t : kTypeNames)
            if (name.get<std::string>() == t)
                return true;
        return false;
    };
    if (type.is_string() || type.is_array()) {
        const json names = type.is_string() ? json::array({type}) : type;
        if (names.empty())
            return schemaError(where, "expected at least one type name");
        for (const json& name : names)
            if (!known(name))
                return schemaError(where,
                                   "unknown type " + shortJson(name)
                                       + " (expected null, boolean, object, array, number, integer or string)");
        return {};
    }
    return schemaError(where, "expected a type name or an array of type names");
}

Status checkNode(const json& schema, const std::string& where)
{
    if (schema.is_boolean())
        return {};
    if (!schema.is_object())
        return schemaError(where, "expected an object (or true/false), got " + shortJson(schema));
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const std::string& key = it.key();
        const json& value = it.value();
        const std::string at = where + "/" + escapePointerToken(key);
        Status status;
        if (key == "type") {
            status = checkTypeKeyword(value, at);
        } else if (key == "properties") {
            if (!value.is_object())
                return schemaError(at, "expected an object of schemas");
            for (auto p = value.begin(); p != value.end() && status; ++p)
                status = checkNode(p.value(), at + "/" + escapePointerToken(p.key()));
        } else if (key == "required") {
            if (!value.is_array())
                return schemaError(at, "expected an array of property names");
            for (const json& name : value)
                if (!name.is_string())
                    return schemaError(at, "expected property names (strings), got " + shortJson(name));
        } else if (key == "additionalProperties") {
            if (!value.is_boolean())
                status = checkNode(value, at);
        } else if (key == "items") {
            if (value.is_array()) {
                for (size_t i = 0; i < value.size() && status; ++i)
                    status = checkNode(value[i], at + "/" + std::to_string(i));
            } else {
                status = checkNode(value, at);
            }
        } else if (key == "enum") {
            if (!value.is_array())
                return schemaError(at, "expected an array of allowed values");
        } else if (key == "minimum" || key == "maximum") {
            if (!value.is_number())
                return schemaError(at, "expected a number");
        } else if (key == "exclusiveMinimum" || key == "exclusiveMaximum") {
            if (!value.is_number() && !value.is_boolean())
                return schemaError(at, "expected a number");
        } else if (key == "minLength" || key == "maxLength" || key == "minItems" || key == "maxItems") {
            if (!value.is_number_integer() || value.get<int64_t>() < 0)
                return schemaError(at, "expected a non-negative integer");
        } else if (key == "pattern") {
            if (!value.is_string())
                return schemaError(at, "expected a regex string");
            if (auto pattern = Pattern::compile(value.get<std::string>()); !pattern)
                return schemaError(at, pattern.error().message);
        }
        if (!status)
            return status;
    }
    return {};
}

} // namespace

std::string schemaTypeName(const json& value)
{
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "boolean";
    case json::value_t::object:
        return "object";
    case json::value_t::array:
        return "array";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "integer";
    case json::value_t::number_float:
        return "number";
    case json::value_t::string:
        return "string";
    default:
        return "unknown";
    }
}

std::string SchemaViolation::describe() const
{
    return (pointer.empty() ? std::string("(root)") : pointer) + ": " + message;
}

Status checkSchema(const json& schema)
{
    return checkNode(schema, "#");
}

std::optional<SchemaViolation> validateAgainstSchema(const json& schema, const json& document)
{
    return validateNode(schema, document, "");
}

std::string escapePointerToken(const std::string& token)
{
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

} // namespace ts::eval

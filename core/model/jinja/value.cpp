// The dynamic value of the Jinja interpreter: truthiness, equality, str(), repr() and JSON output.
#include "model/jinja/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/utf8.h"
#include "model/jinja/error.h"

namespace ts::jinja {

const Value* ValueMap::find(std::string_view key) const
{
    for (const auto& [k, v] : m_entries)
        if (k == key)
            return &v;
    return nullptr;
}

Value* ValueMap::find(std::string_view key)
{
    for (auto& [k, v] : m_entries)
        if (k == key)
            return &v;
    return nullptr;
}

void ValueMap::set(const std::string& key, Value value)
{
    if (Value* existing = find(key))
        *existing = std::move(value);
    else
        m_entries.emplace_back(key, std::move(value));
}

Value Value::undefined(std::string hint)
{
    Value v;
    v.m_data = std::move(hint);
    return v;
}

Value Value::none()
{
    Value v;
    v.m_kind = Kind::None;
    v.m_data = std::monostate {};
    return v;
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_kind = Kind::Bool;
    v.m_data = b;
    return v;
}

Value Value::integer(int64_t i)
{
    Value v;
    v.m_kind = Kind::Int;
    v.m_data = i;
    return v;
}

Value Value::number(double d)
{
    Value v;
    v.m_kind = Kind::Float;
    v.m_data = d;
    return v;
}

Value Value::string(std::string s)
{
    Value v;
    v.m_kind = Kind::String;
    v.m_data = std::move(s);
    return v;
}

Value Value::list(ValueList items)
{
    Value v;
    v.m_kind = Kind::List;
    v.m_data = std::make_shared<ValueList>(std::move(items));
    return v;
}

Value Value::map(ValueMap entries)
{
    Value v;
    v.m_kind = Kind::Map;
    v.m_data = std::make_shared<ValueMap>(std::move(entries));
    return v;
}

Value Value::nameSpace(ValueMap entries)
{
    Value v;
    v.m_kind = Kind::Namespace;
    v.m_data = std::make_shared<ValueMap>(std::move(entries));
    return v;
}

Value Value::callable(std::string name, NativeFunction function)
{
    Value v;
    v.m_kind = Kind::Callable;
    v.m_data = std::make_shared<Callable>(Callable {std::move(name), std::move(function)});
    return v;
}

namespace {

constexpr int kMaxDepth = 256; // nesting of JSON input and of printed values

} // namespace

Value Value::fromJson(const nlohmann::ordered_json& json)
{
    return fromJson(json, 0);
}

Value Value::fromJson(const nlohmann::ordered_json& json, int depth)
{
    if (depth > kMaxDepth)
        throw JinjaError("JSON input nested deeper than " + std::to_string(kMaxDepth) + " levels");
    switch (json.type()) {
    case nlohmann::ordered_json::value_t::null:
    case nlohmann::ordered_json::value_t::discarded:
        return none();
    case nlohmann::ordered_json::value_t::boolean:
        return boolean(json.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
        return integer(json.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
        const auto u = json.get<uint64_t>();
        if (u > static_cast<uint64_t>(INT64_MAX))
            return number(static_cast<double>(u));
        return integer(static_cast<int64_t>(u));
    }
    case nlohmann::ordered_json::value_t::number_float:
        return number(json.get<double>());
    case nlohmann::ordered_json::value_t::string:
        return string(json.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        ValueList items;
        items.reserve(json.size());
        for (const auto& item : json)
            items.push_back(fromJson(item, depth + 1));
        return list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        ValueMap entries;
        for (const auto& [key, item] : json.items())
            entries.set(key, fromJson(item, depth + 1));
        return map(std::move(entries));
    }
    case nlohmann::ordered_json::value_t::binary:
        break;
    }
    return none();
}

int64_t Value::asInt() const
{
    if (m_kind == Kind::Bool)
        return asBool() ? 1 : 0;
    return std::get<int64_t>(m_data);
}

double Value::asFloat() const
{
    if (m_kind == Kind::Float)
        return std::get<double>(m_data);
    return static_cast<double>(asInt());
}

bool Value::truthy() const
{
    switch (m_kind) {
    case Kind::Undefined:
    case Kind::None:
        return false;
    case Kind::Bool:
        return asBool();
    case Kind::Int:
        return asInt() != 0;
    case Kind::Float:
        return asFloat() != 0.0;
    case Kind::String:
        return !asString().empty();
    case Kind::List:
        return !asList().empty();
    case Kind::Map:
        return !asMap().empty();
    case Kind::Namespace:
    case Kind::Callable:
        return true;
    }
    return false;
}

std::string formatFloat(double d)
{
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d < 0 ? "-inf" : "inf";
    if (d == 0.0)
        return std::signbit(d) ? "-0.0" : "0.0";
    // Shortest round-trip digits, then Python's repr layout: fixed for 1e-4 <= |d| < 1e16.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const bool negative = sci[0] == '-';
    if (negative)
        sci.erase(0, 1);
    const size_t e = sci.find('e');
    std::string digits = sci.substr(0, e);
    const int exponent = std::stoi(sci.substr(e + 1));
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    std::string out;
    if (exponent >= -4 && exponent < 16) { // Python's repr switches to exponents outside
        if (exponent < 0) {
            out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
        } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
            out = digits + std::string(static_cast<size_t>(exponent) + 1 - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, static_cast<size_t>(exponent) + 1) + "."
                + digits.substr(static_cast<size_t>(exponent) + 1);
        }
    }
    if (out.empty()) {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += exp;
    }
    return negative ? "-" + out : out;
}

namespace {

std::string reprString(const std::string& s)
{
    const bool hasSingle = s.find('\'') != std::string::npos;
    const bool hasDouble = s.find('"') != std::string::npos;
    const char quote = (hasSingle && !hasDouble) ? '"' : '\'';
    std::string out(1, quote);
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == quote || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7F) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    out += quote;
    return out;
}

void jsonString(std::string& out, const std::string& s)
{
    out += '"';
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (u < 0x20) {
                char buf[16];
                std::snprintf(buf, sizeof buf, "\\u%04x", u);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void jsonValue(std::string& out, const Value& v, const JsonOptions& options, int depth)
{
    const int indent = options.indent;
    const std::string& itemSeparator
        = options.itemSeparator.empty() ? std::string(indent >= 0 ? "," : ", ") : options.itemSeparator;
    if (depth > kMaxDepth)
        throw JinjaError("tojson: value nested too deeply");
    auto newline = [&](int level) {
        out += '\n';
        out.append(static_cast<size_t>(indent) * static_cast<size_t>(level), ' ');
    };
    switch (v.kind()) {
    case Value::Kind::None:
        out += "null";
        return;
    case Value::Kind::Bool:
        out += v.asBool() ? "true" : "false";
        return;
    case Value::Kind::Int:
        out += std::to_string(v.asInt());
        return;
    case Value::Kind::Float: {
        const double d = v.asFloat();
        out += std::isnan(d) ? "NaN" : std::isinf(d) ? (d < 0 ? "-Infinity" : "Infinity") : formatFloat(d);
        return;
    }
    case Value::Kind::String:
        jsonString(out, v.asString());
        return;
    case Value::Kind::List: {
        const auto& items = v.asList();
        if (items.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (size_t i = 0; i < items.size(); ++i) {
            if (i > 0)
                out += itemSeparator;
            if (indent >= 0)
                newline(depth + 1);
            jsonValue(out, items[i], options, depth + 1);
        }
        if (indent >= 0)
            newline(depth);
        out += ']';
        return;
    }
    case Value::Kind::Map: {
        auto entries = v.asMap().entries();
        if (options.sortKeys)
            std::stable_sort(entries.begin(), entries.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        if (entries.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        for (size_t i = 0; i < entries.size(); ++i) {
            if (i > 0)
                out += itemSeparator;
            if (indent >= 0)
                newline(depth + 1);
            jsonString(out, entries[i].first);
            out += options.keySeparator;
            jsonValue(out, entries[i].second, options, depth + 1);
        }
        if (indent >= 0)
            newline(depth);
        out += '}';
        return;
    }
    case Value::Kind::Undefined:
    case Value::Kind::Namespace:
    case Value::Kind::Callable:
        break;
    }
    throw JinjaError("tojson: object of type '" + v.typeName() + "' is not JSON serializable");
}

} // namespace

std::string Value::str() const
{
    switch (m_kind) {
    case Kind::Undefined:
        return {};
    case Kind::None:
        return "None";
    case Kind::Bool:
        return asBool() ? "True" : "False";
    case Kind::Int:
        return std::to_string(asInt());
    case Kind::Float:
        return formatFloat(asFloat());
    case Kind::String:
        return asString();
    case Kind::List:
    case Kind::Map:
    case Kind::Namespace:
    case Kind::Callable:
        return repr();
    }
    return {};
}

std::string Value::repr() const
{
    return repr(0);
}

std::string Value::repr(int depth) const
{
    if (depth > kMaxDepth)
        throw JinjaError("value nested too deeply to print (a namespace that contains itself?)");
    switch (m_kind) {
    case Kind::String:
        return reprString(asString());
    case Kind::List: {
        std::string out = "[";
        const auto& items = asList();
        for (size_t i = 0; i < items.size(); ++i)
            out += (i ? ", " : "") + items[i].repr(depth + 1);
        return out + "]";
    }
    case Kind::Map:
    case Kind::Namespace: {
        std::string out = m_kind == Kind::Namespace ? "<Namespace {" : "{";
        const auto& entries = asMap().entries();
        for (size_t i = 0; i < entries.size(); ++i)
            out += (i ? ", " : "") + reprString(entries[i].first) + ": " + entries[i].second.repr(depth + 1);
        return out + (m_kind == Kind::Namespace ? "}>" : "}");
    }
    case Kind::Callable:
        return "<function " + asCallable().name + ">";
    default:
        return str();
    }
}

std::string Value::typeName() const
{
    switch (m_kind) {
    case Kind::Undefined:
        return "Undefined";
    case Kind::None:
        return "NoneType";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::List:
        return "list";
    case Kind::Map:
        return "dict";
    case Kind::Namespace:
        return "Namespace";
    case Kind::Callable:
        return "function";
    }
    return "object";
}

std::string Value::toJson(const JsonOptions& options) const
{
    std::string out;
    jsonValue(out, *this, options, 0);
    if (!options.ensureAscii)
        return out;
    // Non-ASCII only occurs inside JSON strings: escape it as \uXXXX (surrogate pairs above U+FFFF).
    std::string ascii;
    for (char32_t c : utf8::decodeEscaped(out)) {
        if (c < 0x80) {
            ascii += static_cast<char>(c);
            continue;
        }
        auto hex = [&](unsigned u) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            ascii += buf;
        };
        if (c >= 0x10000) {
            hex(0xD800 + ((c - 0x10000) >> 10));
            hex(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            hex(static_cast<unsigned>(c));
        }
    }
    return ascii;
}

bool operator==(const Value& a, const Value& b)
{
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat())
            return a.asFloat() == b.asFloat();
        return a.asInt() == b.asInt();
    }
    if (a.kind() != b.kind())
        return false;
    switch (a.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return true;
    case Value::Kind::String:
        return a.asString() == b.asString();
    case Value::Kind::List: {
        const auto& x = a.asList();
        const auto& y = b.asList();
        if (x.size() != y.size())
            return false;
        for (size_t i = 0; i < x.size(); ++i)
            if (!(x[i] == y[i]))
                return false;
        return true;
    }
    case Value::Kind::Map: {
        const auto& x = a.asMap();
        const auto& y = b.asMap();
        if (x.size() != y.size())
            return false;
        for (const auto& [key, value] : x.entries()) {
            const Value* other = y.find(key);
            if (!other || !(value == *other))
                return false;
        }
        return true;
    }
    case Value::Kind::Namespace:
        return &a.asMap() == &b.asMap();
    case Value::Kind::Callable:
        return &a.asCallable() == &b.asCallable();
    default:
        return false;
    }
}

} // namespace ts::jinja

// The dynamic value of the Jinja interpreter: undefined, none, bool, int, float, string, list, map,
// namespace and callable, with Python's truthiness, equality, str() and repr().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace ts::jinja {

class Value;
using ValueList = std::vector<Value>;

// A string-keyed map that keeps insertion order (like a Python dict).
class ValueMap
{
public:
    const Value* find(std::string_view key) const;
    Value* find(std::string_view key);
    bool contains(std::string_view key) const { return find(key) != nullptr; }
    void set(const std::string& key, Value value);
    size_t size() const { return m_entries.size(); }
    bool empty() const { return m_entries.empty(); }
    const std::vector<std::pair<std::string, Value>>& entries() const { return m_entries; }

private:
    std::vector<std::pair<std::string, Value>> m_entries;
};

// Options of tojson, as in Python's json.dumps (transformers passes ensure_ascii=False by default).
struct JsonOptions
{
    int indent = -1; // < 0: everything on one line
    std::string itemSeparator; // empty: ", " without indent, "," with indent
    std::string keySeparator = ": ";
    bool sortKeys = false;
    bool ensureAscii = false;
};

// Arguments of a call, a filter or a test (the filtered value is not among them).
struct CallArgs
{
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> named;
};

using NativeFunction = std::function<Value(const CallArgs&)>;

struct Callable
{
    std::string name;
    NativeFunction function;
};

class Value
{
public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Map, Namespace, Callable };

    Value() = default; // undefined
    static Value undefined(std::string hint = {});
    static Value none();
    static Value boolean(bool b);
    static Value integer(int64_t i);
    static Value number(double d);
    static Value string(std::string s);
    static Value list(ValueList items);
    static Value map(ValueMap entries);
    static Value nameSpace(ValueMap entries);
    static Value callable(std::string name, NativeFunction function);
    static Value fromJson(const nlohmann::ordered_json& json);

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNone() const { return m_kind == Kind::None; }
    bool isBool() const { return m_kind == Kind::Bool; }
    bool isInt() const { return m_kind == Kind::Int; }
    bool isFloat() const { return m_kind == Kind::Float; }
    bool isNumber() const { return m_kind == Kind::Int || m_kind == Kind::Float || m_kind == Kind::Bool; }
    bool isString() const { return m_kind == Kind::String; }
    bool isList() const { return m_kind == Kind::List; }
    bool isMap() const { return m_kind == Kind::Map; }
    bool isNamespace() const { return m_kind == Kind::Namespace; }
    bool isCallable() const { return m_kind == Kind::Callable; }

    bool asBool() const { return std::get<bool>(m_data); }
    int64_t asInt() const; // bool or int
    double asFloat() const; // bool, int or float
    const std::string& asString() const { return std::get<std::string>(m_data); }
    const ValueList& asList() const { return *std::get<std::shared_ptr<ValueList>>(m_data); }
    const ValueMap& asMap() const { return *std::get<std::shared_ptr<ValueMap>>(m_data); } // map or namespace
    ValueMap& mutableNamespace() const { return *std::get<std::shared_ptr<ValueMap>>(m_data); }
    const Callable& asCallable() const { return *std::get<std::shared_ptr<Callable>>(m_data); }
    const std::string& undefinedHint() const { return std::get<std::string>(m_data); }

    bool truthy() const;
    std::string str() const; // Python str(); undefined renders as ""
    std::string repr() const; // Python repr()
    std::string typeName() const; // Python's name of the type, for error messages
    // Python json.dumps as transformers' tojson filter does; throws JinjaError for non-JSON values.
    std::string toJson(const JsonOptions& options = {}) const;

private:
    static Value fromJson(const nlohmann::ordered_json& json, int depth);
    std::string repr(int depth) const;

    Kind m_kind = Kind::Undefined;
    std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<ValueList>,
                 std::shared_ptr<ValueMap>, std::shared_ptr<Callable>>
        m_data = std::string();
};

bool operator==(const Value& a, const Value& b); // Python ==, with 1 == 1.0 == True
std::string formatFloat(double d); // Python repr(float)

} // namespace ts::jinja

// Python/Jinja semantics of the operators on Values: arithmetic, comparison, membership, attribute and
// item access, slicing, iteration. Errors are thrown as JinjaError without a position.
#pragma once

#include <optional>
#include <string>

#include "model/jinja/value.h"

namespace ts::jinja {

// + - * / // % ** ~ ; maxString bounds the size of a string or list result.
Value binaryOp(const std::string& op, const Value& a, const Value& b, size_t maxString);
Value negate(const Value& v);
bool compare(const std::string& op, const Value& a, const Value& b); // == != < <= > >=
bool lessThan(const Value& a, const Value& b); // Python <, throws on unorderable
bool contains(const Value& container, const Value& item); // item in container

// obj.name: dict item, namespace attribute, or a bound method of str/dict/list; undefined if absent.
Value getAttribute(const Value& object, const std::string& name);
// obj[key]: list/str index (negative from the end), dict key; undefined if absent.
Value getItem(const Value& object, const Value& key);
Value slice(const Value& object, const Value& start, const Value& stop, const Value& step);

// The items a for loop visits: list items, dict keys, string characters; undefined is empty.
ValueList iterate(const Value& v);
int64_t length(const Value& v); // len()

// Throws "'x' is undefined" style errors for an undefined operand.
[[noreturn]] void undefinedError(const Value& v);
std::string undefinedMessage(const Value& v);

} // namespace ts::jinja

// Python/Jinja semantics of the operators on Values: arithmetic, comparison, membership, attribute and
// item access, slicing, iteration.
#include "model/jinja/operations.h"

#include <cmath>

#include "common/utf8.h"
#include "model/jinja/error.h"
#include "model/jinja/methods.h"
#include "model/jinja/text.h"

namespace ts::jinja {

std::string undefinedMessage(const Value& v)
{
    const std::string& hint = v.undefinedHint();
    return hint.empty() ? "undefined value used" : hint;
}

void undefinedError(const Value& v)
{
    throw JinjaError(undefinedMessage(v));
}

namespace {

[[noreturn]] void unsupported(const std::string& op, const Value& a, const Value& b)
{
    if (a.isUndefined())
        undefinedError(a);
    if (b.isUndefined())
        undefinedError(b);
    throw JinjaError("unsupported operand types for " + op + ": '" + a.typeName() + "' and '" + b.typeName() + "'");
}

Value checkedNumber(double d)
{
    return Value::number(d);
}

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

int64_t floorMod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

Value repeat(const Value& seq, int64_t times, size_t maxString)
{
    if (times < 0)
        times = 0;
    if (seq.isString()) {
        const auto& s = seq.asString();
        if (!s.empty() && static_cast<uint64_t>(times) > maxString / s.size())
            throw LimitError("string repetition exceeds the output limit");
        std::string out;
        out.reserve(s.size() * static_cast<size_t>(times));
        for (int64_t i = 0; i < times; ++i)
            out += s;
        return Value::string(std::move(out));
    }
    const auto& items = seq.asList();
    if (!items.empty() && static_cast<uint64_t>(times) > maxString / items.size())
        throw LimitError("list repetition exceeds the size limit");
    ValueList out;
    for (int64_t i = 0; i < times; ++i)
        out.insert(out.end(), items.begin(), items.end());
    return Value::list(std::move(out));
}

} // namespace

Value binaryOp(const std::string& op, const Value& a, const Value& b, size_t maxString)
{
    if (op == "~") {
        std::string s = a.str() + b.str();
        if (s.size() > maxString)
            throw LimitError("string exceeds the output limit");
        return Value::string(std::move(s));
    }
    const bool numbers = a.isNumber() && b.isNumber();
    const bool floats = numbers && (a.isFloat() || b.isFloat());
    if (op == "+") {
        if (numbers)
            return floats ? checkedNumber(a.asFloat() + b.asFloat()) : Value::integer(a.asInt() + b.asInt());
        if (a.isString() && b.isString()) {
            if (a.asString().size() + b.asString().size() > maxString)
                throw LimitError("string exceeds the output limit");
            return Value::string(a.asString() + b.asString());
        }
        if (a.isList() && b.isList()) {
            ValueList out = a.asList();
            out.insert(out.end(), b.asList().begin(), b.asList().end());
            if (out.size() > maxString)
                throw LimitError("list exceeds the size limit");
            return Value::list(std::move(out));
        }
        unsupported(op, a, b);
    }
    if (op == "-") {
        if (numbers)
            return floats ? checkedNumber(a.asFloat() - b.asFloat()) : Value::integer(a.asInt() - b.asInt());
        unsupported(op, a, b);
    }
    if (op == "*") {
        if (numbers)
            return floats ? checkedNumber(a.asFloat() * b.asFloat()) : Value::integer(a.asInt() * b.asInt());
        if ((a.isString() || a.isList()) && (b.isInt() || b.isBool()))
            return repeat(a, b.asInt(), maxString);
        if ((b.isString() || b.isList()) && (a.isInt() || a.isBool()))
            return repeat(b, a.asInt(), maxString);
        unsupported(op, a, b);
    }
    if (op == "/") {
        if (!numbers)
            unsupported(op, a, b);
        if (b.asFloat() == 0.0)
            throw JinjaError("division by zero");
        return checkedNumber(a.asFloat() / b.asFloat());
    }
    if (op == "//" || op == "%") {
        if (!numbers) {
            if (op == "%" && a.isString())
                throw JinjaError("unsupported printf-style string formatting with '%'");
            unsupported(op, a, b);
        }
        if (b.asFloat() == 0.0)
            throw JinjaError(op == "//" ? "integer division by zero" : "modulo by zero");
        if (floats) {
            const double x = a.asFloat();
            const double y = b.asFloat();
            if (op == "//")
                return Value::number(std::floor(x / y));
            double r = std::fmod(x, y);
            if (r != 0 && ((r < 0) != (y < 0)))
                r += y;
            return Value::number(r);
        }
        return Value::integer(op == "//" ? floorDiv(a.asInt(), b.asInt()) : floorMod(a.asInt(), b.asInt()));
    }
    if (op == "**") {
        if (!numbers)
            unsupported(op, a, b);
        if (!floats && b.asInt() >= 0) {
            int64_t result = 1;
            int64_t base = a.asInt();
            for (int64_t e = b.asInt(); e > 0; --e) {
                if (__builtin_mul_overflow(result, base, &result))
                    throw JinjaError("integer overflow in '**'");
                if (result == 0 || result == 1)
                    break;
            }
            return Value::integer(result);
        }
        return Value::number(std::pow(a.asFloat(), b.asFloat()));
    }
    throw JinjaError("unknown operator '" + op + "'");
}

Value negate(const Value& v)
{
    if (v.isFloat())
        return Value::number(-v.asFloat());
    if (v.isNumber())
        return Value::integer(-v.asInt());
    if (v.isUndefined())
        undefinedError(v);
    throw JinjaError("bad operand type for unary -: '" + v.typeName() + "'");
}

bool lessThan(const Value& a, const Value& b)
{
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat())
            return a.asFloat() < b.asFloat();
        return a.asInt() < b.asInt();
    }
    if (a.isString() && b.isString())
        return a.asString() < b.asString(); // UTF-8 byte order is code point order
    if (a.isList() && b.isList()) {
        const auto& x = a.asList();
        const auto& y = b.asList();
        for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (x[i] == y[i])
                continue;
            return lessThan(x[i], y[i]);
        }
        return x.size() < y.size();
    }
    if (a.isUndefined())
        undefinedError(a);
    if (b.isUndefined())
        undefinedError(b);
    throw JinjaError("'<' not supported between instances of '" + a.typeName() + "' and '" + b.typeName() + "'");
}

bool compare(const std::string& op, const Value& a, const Value& b)
{
    if (op == "==")
        return a == b;
    if (op == "!=")
        return !(a == b);
    if (op == "<")
        return lessThan(a, b);
    if (op == ">")
        return lessThan(b, a);
    if (op == "<=")
        return lessThan(a, b) || a == b;
    if (op == ">=")
        return lessThan(b, a) || a == b;
    throw JinjaError("unknown comparison '" + op + "'");
}

bool contains(const Value& container, const Value& item)
{
    switch (container.kind()) {
    case Value::Kind::String:
        if (!item.isString())
            throw JinjaError("'in <string>' requires string as left operand, not " + item.typeName());
        return container.asString().find(item.asString()) != std::string::npos;
    case Value::Kind::List:
        for (const auto& v : container.asList())
            if (v == item)
                return true;
        return false;
    case Value::Kind::Map:
        return item.isString() && container.asMap().contains(item.asString());
    case Value::Kind::Undefined:
        return false;
    default:
        throw JinjaError("argument of type '" + container.typeName() + "' is not iterable");
    }
}

Value getAttribute(const Value& object, const std::string& name)
{
    switch (object.kind()) {
    case Value::Kind::Undefined:
        undefinedError(object);
    case Value::Kind::Map: {
        if (auto method = boundMethod(object, name))
            return *method;
        if (const Value* v = object.asMap().find(name))
            return *v;
        return Value::undefined("'dict object' has no attribute '" + name + "'");
    }
    case Value::Kind::Namespace:
        if (const Value* v = object.asMap().find(name))
            return *v;
        return Value::undefined("'Namespace object' has no attribute '" + name + "'");
    default:
        if (auto method = boundMethod(object, name))
            return *method;
        return Value::undefined("'" + object.typeName() + " object' has no attribute '" + name + "'");
    }
}

namespace {

std::optional<int64_t> normalizeIndex(const Value& key, int64_t size)
{
    if (!(key.isInt() || key.isBool()))
        return std::nullopt;
    int64_t i = key.asInt();
    if (i < 0)
        i += size;
    if (i < 0 || i >= size)
        return std::nullopt;
    return i;
}

} // namespace

Value getItem(const Value& object, const Value& key)
{
    switch (object.kind()) {
    case Value::Kind::Undefined:
        undefinedError(object);
    case Value::Kind::List: {
        const auto& items = object.asList();
        if (auto i = normalizeIndex(key, static_cast<int64_t>(items.size())))
            return items[static_cast<size_t>(*i)];
        if (!(key.isInt() || key.isBool()) && !key.isUndefined() && !key.isString())
            throw JinjaError("list indices must be integers, not " + key.typeName());
        return Value::undefined("list object has no element " + key.repr());
    }
    case Value::Kind::String: {
        const std::u32string cps = utf8::decodeEscaped(object.asString());
        if (auto i = normalizeIndex(key, static_cast<int64_t>(cps.size())))
            return Value::string(utf8::encodeEscaped(cps.substr(static_cast<size_t>(*i), 1)));
        return Value::undefined("str object has no element " + key.repr());
    }
    case Value::Kind::Map:
    case Value::Kind::Namespace:
        if (key.isString()) {
            if (const Value* v = object.asMap().find(key.asString()))
                return *v;
            if (object.isMap())
                if (auto method = boundMethod(object, key.asString()))
                    return *method;
        }
        return Value::undefined("'dict object' has no attribute " + key.repr());
    case Value::Kind::None:
        throw JinjaError("'NoneType' object is not subscriptable");
    default:
        return Value::undefined("'" + object.typeName() + " object' has no attribute " + key.repr());
    }
}

Value slice(const Value& object, const Value& startValue, const Value& stopValue, const Value& stepValue)
{
    auto toIndex = [](const Value& v, const char* what) -> std::optional<int64_t> {
        if (v.isUndefined() || v.isNone())
            return std::nullopt;
        if (!(v.isInt() || v.isBool()))
            throw JinjaError(std::string("slice ") + what + " must be an integer or none, not " + v.typeName());
        return v.asInt();
    };
    const auto stepOpt = toIndex(stepValue, "step");
    const int64_t step = stepOpt.value_or(1);
    if (step == 0)
        throw JinjaError("slice step cannot be zero");
    auto build = [&](int64_t size, auto&& take) {
        auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
            if (!v)
                return dflt;
            int64_t i = *v;
            if (i < 0) {
                i += size;
                if (i < 0)
                    i = step < 0 ? -1 : 0;
            } else if (i >= size) {
                i = step < 0 ? size - 1 : size;
            }
            return i;
        };
        const int64_t start = clamp(toIndex(startValue, "start"), step < 0 ? size - 1 : 0);
        const int64_t stop = clamp(toIndex(stopValue, "stop"), step < 0 ? -1 : size);
        if (step > 0)
            for (int64_t i = start; i < stop; i += step)
                take(i);
        else
            for (int64_t i = start; i > stop; i += step)
                take(i);
    };
    if (object.isList()) {
        const auto& items = object.asList();
        ValueList out;
        build(static_cast<int64_t>(items.size()), [&](int64_t i) { out.push_back(items[static_cast<size_t>(i)]); });
        return Value::list(std::move(out));
    }
    if (object.isString()) {
        const std::u32string cps = utf8::decodeEscaped(object.asString());
        std::u32string out;
        build(static_cast<int64_t>(cps.size()), [&](int64_t i) { out.push_back(cps[static_cast<size_t>(i)]); });
        return Value::string(utf8::encodeEscaped(out));
    }
    if (object.isUndefined())
        undefinedError(object);
    throw JinjaError("'" + object.typeName() + "' object is not subscriptable");
}

ValueList iterate(const Value& v)
{
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::List:
        return v.asList();
    case Value::Kind::Map: {
        ValueList keys;
        for (const auto& [key, value] : v.asMap().entries())
            keys.push_back(Value::string(key));
        return keys;
    }
    case Value::Kind::String: {
        ValueList chars;
        for (char32_t c : utf8::decodeEscaped(v.asString()))
            chars.push_back(Value::string(utf8::encodeEscaped(std::u32string(1, c))));
        return chars;
    }
    default:
        throw JinjaError("'" + v.typeName() + "' object is not iterable");
    }
}

int64_t length(const Value& v)
{
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return 0;
    case Value::Kind::String:
        return static_cast<int64_t>(text::pythonLength(v.asString()));
    case Value::Kind::List:
        return static_cast<int64_t>(v.asList().size());
    case Value::Kind::Map:
        return static_cast<int64_t>(v.asMap().size());
    default:
        throw JinjaError("object of type '" + v.typeName() + "' has no len()");
    }
}

} // namespace ts::jinja

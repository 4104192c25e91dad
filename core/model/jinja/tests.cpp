// Jinja tests ("x is defined", "x is divisibleby 3", ...).
#include "model/jinja/tests.h"

#include <cmath>
#include <functional>
#include <unordered_map>

#include "model/jinja/arguments.h"
#include "model/jinja/error.h"
#include "model/jinja/operations.h"
#include "model/jinja/text.h"

namespace ts::jinja {

namespace {

using TestFn = std::function<bool(const Value&, const CallArgs&)>;

TestFn noArgs(const std::string& name, bool (*fn)(const Value&))
{
    return [name, fn](const Value& v, const CallArgs& a) {
        Arguments args(a, "test '" + name + "'", {});
        return fn(v);
    };
}

TestFn compareWith(const std::string& name, const char* op)
{
    return [name, op](const Value& v, const CallArgs& a) {
        Arguments args(a, "test '" + name + "'", {"other"}, 1);
        return compare(op, v, args.get(0));
    };
}

const std::unordered_map<std::string, TestFn>& testTable()
{
    static const std::unordered_map<std::string, TestFn> table = [] {
        std::unordered_map<std::string, TestFn> t;
        t["defined"] = noArgs("defined", [](const Value& v) { return !v.isUndefined(); });
        t["undefined"] = noArgs("undefined", [](const Value& v) { return v.isUndefined(); });
        t["none"] = noArgs("none", [](const Value& v) { return v.isNone(); });
        t["string"] = noArgs("string", [](const Value& v) { return v.isString(); });
        t["number"] = noArgs("number", [](const Value& v) { return v.isNumber(); });
        t["integer"] = noArgs("integer", [](const Value& v) { return v.isInt(); });
        t["float"] = noArgs("float", [](const Value& v) { return v.isFloat(); });
        t["boolean"] = noArgs("boolean", [](const Value& v) { return v.isBool(); });
        t["true"] = noArgs("true", [](const Value& v) { return v.isBool() && v.asBool(); });
        t["false"] = noArgs("false", [](const Value& v) { return v.isBool() && !v.asBool(); });
        t["mapping"] = noArgs("mapping", [](const Value& v) { return v.isMap(); });
        t["callable"] = noArgs("callable", [](const Value& v) { return v.isCallable(); });
        t["iterable"] = noArgs(
            "iterable", [](const Value& v) { return v.isString() || v.isList() || v.isMap() || v.isUndefined(); });
        t["sequence"] = noArgs(
            "sequence", [](const Value& v) { return v.isString() || v.isList() || v.isMap() || v.isUndefined(); });
        t["lower"] = noArgs("lower", [](const Value& v) {
            const std::string s = v.str();
            return text::lower(s) == s;
        });
        t["upper"] = noArgs("upper", [](const Value& v) {
            const std::string s = v.str();
            return text::upper(s) == s;
        });
        auto integerOf = [](const Value& v, const char* name) {
            if (!(v.isInt() || v.isBool() || (v.isFloat() && std::floor(v.asFloat()) == v.asFloat())))
                throw JinjaError(std::string("test '") + name + "' expects an integer, got " + v.typeName());
            return v.isFloat() ? static_cast<int64_t>(v.asFloat()) : v.asInt();
        };
        t["odd"] = [integerOf](const Value& v, const CallArgs& a) {
            Arguments args(a, "test 'odd'", {});
            return integerOf(v, "odd") % 2 != 0;
        };
        t["even"] = [integerOf](const Value& v, const CallArgs& a) {
            Arguments args(a, "test 'even'", {});
            return integerOf(v, "even") % 2 == 0;
        };
        t["divisibleby"] = [integerOf](const Value& v, const CallArgs& a) {
            Arguments args(a, "test 'divisibleby'", {"num"}, 1);
            const int64_t n = integerOf(args.get(0), "divisibleby");
            if (n == 0)
                throw JinjaError("test 'divisibleby': division by zero");
            return integerOf(v, "divisibleby") % n == 0;
        };
        for (const char* name : {"equalto", "eq", "=="})
            t[name] = compareWith(name, "==");
        for (const char* name : {"ne", "!="})
            t[name] = compareWith(name, "!=");
        for (const char* name : {"lt", "lessthan", "<"})
            t[name] = compareWith(name, "<");
        for (const char* name : {"le", "<="})
            t[name] = compareWith(name, "<=");
        for (const char* name : {"gt", "greaterthan", ">"})
            t[name] = compareWith(name, ">");
        for (const char* name : {"ge", ">="})
            t[name] = compareWith(name, ">=");
        t["in"] = [](const Value& v, const CallArgs& a) {
            Arguments args(a, "test 'in'", {"seq"}, 1);
            return contains(args.get(0), v);
        };
        t["sameas"] = [](const Value& v, const CallArgs& a) {
            Arguments args(a, "test 'sameas'", {"other"}, 1);
            const Value& o = args.get(0);
            if (v.kind() != o.kind())
                return false;
            if (v.isList() || v.isMap() || v.isNamespace() || v.isCallable())
                return v == o
                    && (v.isList()           ? &v.asList() == &o.asList()
                            : v.isCallable() ? &v.asCallable() == &o.asCallable()
                                             : &v.asMap() == &o.asMap());
            return v == o;
        };
        return t;
    }();
    return table;
}

} // namespace

bool hasTest(const std::string& name)
{
    return testTable().count(name) > 0;
}

bool applyTest(const std::string& name, const Value& value, const CallArgs& args)
{
    auto it = testTable().find(name);
    if (it == testTable().end())
        throw JinjaError("unknown test '" + name + "'");
    return it->second(value, args);
}

} // namespace ts::jinja

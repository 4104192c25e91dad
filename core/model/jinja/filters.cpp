// Jinja filters ("x | trim", "tools | tojson(indent=4)", "xs | selectattr('role', 'equalto', 'user')", ...).
#include "model/jinja/filters.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "common/utf8.h"
#include "model/jinja/arguments.h"
#include "model/jinja/error.h"
#include "model/jinja/operations.h"
#include "model/jinja/tests.h"
#include "model/jinja/text.h"

namespace ts::jinja {

namespace {

using FilterFn = std::function<Value(const Value&, const CallArgs&, const FilterLimits&)>;

// Jinja's attribute lookup for filters: "a.b.0" walks dict keys and list indexes.
Value attributePath(const Value& v, const std::string& path)
{
    Value current = v;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (current.isUndefined())
            return current;
        const bool numeric
            = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (numeric && current.isList())
            current = getItem(current, Value::integer(std::stoll(part)));
        else if (current.isMap() || current.isNamespace())
            current = getItem(current, Value::string(part));
        else
            current = getAttribute(current, part);
        if (dot == std::string::npos)
            return current;
        start = dot + 1;
    }
}

std::string caseFold(const Value& v, bool caseSensitive)
{
    return caseSensitive ? v.asString() : text::lower(v.asString());
}

bool sortLess(const Value& a, const Value& b, bool caseSensitive)
{
    if (!caseSensitive && a.isString() && b.isString())
        return text::lower(a.asString()) < text::lower(b.asString());
    return lessThan(a, b);
}

CallArgs restArgs(const CallArgs& a, size_t from)
{
    CallArgs rest;
    for (size_t i = from; i < a.positional.size(); ++i)
        rest.positional.push_back(a.positional[i]);
    rest.named = a.named;
    return rest;
}

// select / reject / selectattr / rejectattr
FilterFn selecting(bool byAttribute, bool keep)
{
    return [byAttribute, keep](const Value& v, const CallArgs& a, const FilterLimits&) {
        const char* name = byAttribute ? (keep ? "selectattr" : "rejectattr") : (keep ? "select" : "reject");
        size_t next = 0;
        std::string attribute;
        if (byAttribute) {
            if (a.positional.empty() || !a.positional[0].isString())
                throw JinjaError(std::string("filter '") + name + "' expects an attribute name");
            attribute = a.positional[0].asString();
            next = 1;
        }
        std::string test;
        if (a.positional.size() > next) {
            if (!a.positional[next].isString())
                throw JinjaError(std::string("filter '") + name + "' expects a test name");
            test = a.positional[next].asString();
            if (!hasTest(test))
                throw JinjaError("unknown test '" + test + "' in filter '" + name + "'");
            ++next;
        }
        const CallArgs testArgs = restArgs(a, next);
        ValueList out;
        for (const auto& item : iterate(v)) {
            const Value subject = byAttribute ? attributePath(item, attribute) : item;
            const bool pass = test.empty() ? subject.truthy() : applyTest(test, subject, testArgs);
            if (pass == keep)
                out.push_back(item);
        }
        return Value::list(std::move(out));
    };
}

Value toInteger(const Value& v, const Value& fallback)
{
    if (v.isInt() || v.isBool())
        return Value::integer(v.asInt());
    if (v.isFloat()) {
        const double d = v.asFloat();
        if (std::isfinite(d))
            return Value::integer(static_cast<int64_t>(d));
        return fallback;
    }
    if (v.isString()) {
        std::string s = text::strip(v.asString(), std::nullopt, true, true);
        s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
        if (s.empty())
            return fallback;
        try {
            size_t used = 0;
            const long long i = std::stoll(s, &used);
            if (used == s.size())
                return Value::integer(i);
            const double d = std::stod(s, &used);
            if (used == s.size() && std::isfinite(d))
                return Value::integer(static_cast<int64_t>(d));
        } catch (...) { }
    }
    return fallback;
}

Value toFloat(const Value& v, const Value& fallback)
{
    if (v.isNumber())
        return Value::number(v.asFloat());
    if (v.isString()) {
        const std::string s = text::strip(v.asString(), std::nullopt, true, true);
        try {
            size_t used = 0;
            const double d = std::stod(s, &used);
            if (used == s.size() && !s.empty())
                return Value::number(d);
        } catch (...) { }
    }
    return fallback;
}

std::string htmlEscape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

void checkSize(size_t size, const FilterLimits& limits, const char* name)
{
    if (size > limits.maxString)
        throw LimitError(std::string("filter '") + name + "' result exceeds the output limit");
}

const std::unordered_map<std::string, FilterFn>& filterTable()
{
    static const std::unordered_map<std::string, FilterFn> table = [] {
        std::unordered_map<std::string, FilterFn> t;
        t["safe"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'safe'", {});
            return v;
        };
        t["trim"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'trim'", {"chars"});
            return Value::string(text::strip(v.str(), args.optionalString(0), true, true));
        };
        t["tojson"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            Arguments args(a, "filter 'tojson'", {"indent", "ensure_ascii", "separators", "sort_keys"});
            JsonOptions options;
            options.indent = static_cast<int>(std::clamp<int64_t>(args.integer(0, -1), -1, 64));
            options.ensureAscii = args.boolean(1, false);
            options.sortKeys = args.boolean(3, false);
            if (args.has(2) && !args.get(2).isNone()) {
                const Value& seps = args.get(2);
                if (!seps.isList() || seps.asList().size() != 2 || !seps.asList()[0].isString()
                    || !seps.asList()[1].isString())
                    throw JinjaError("filter 'tojson': separators must be a pair of strings");
                options.itemSeparator = seps.asList()[0].asString();
                options.keySeparator = seps.asList()[1].asString();
                if (options.itemSeparator.empty())
                    throw JinjaError("filter 'tojson': empty item separator is not supported");
            }
            std::string out = v.toJson(options);
            checkSize(out.size(), limits, "tojson");
            return Value::string(std::move(out));
        };
        auto lengthFilter = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'length'", {});
            return Value::integer(length(v));
        };
        t["length"] = lengthFilter;
        t["count"] = lengthFilter;
        auto defaultFilter = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'default'", {"default_value", "boolean"});
            const bool useDefault = args.boolean(1, false) ? !v.truthy() : v.isUndefined();
            if (!useDefault)
                return v;
            return args.has(0) ? args.get(0) : Value::string("");
        };
        t["default"] = defaultFilter;
        t["d"] = defaultFilter;
        using Transform = std::string (*)(std::string_view);
        const std::pair<const char*, Transform> transforms[] = {{"upper", text::upper},
                                                                {"lower", text::lower},
                                                                {"capitalize", text::capitalize},
                                                                {"title", text::jinjaTitle}};
        for (const auto& [name, fn] : transforms)
            t[name] = [name = std::string(name), fn = fn](const Value& v, const CallArgs& a, const FilterLimits&) {
                Arguments args(a, "filter '" + name + "'", {});
                return Value::string(fn(v.str()));
            };
        t["first"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'first'", {});
            const ValueList items = iterate(v);
            return items.empty() ? Value::undefined("no first item, sequence was empty") : items.front();
        };
        t["last"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'last'", {});
            const ValueList items = iterate(v);
            return items.empty() ? Value::undefined("no last item, sequence was empty") : items.back();
        };
        t["join"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            Arguments args(a, "filter 'join'", {"d", "attribute"});
            const std::string sep = args.has(0) ? args.get(0).str() : "";
            const auto attribute = args.optionalString(1);
            std::string out;
            bool first = true;
            for (const auto& item : iterate(v)) {
                if (!first)
                    out += sep;
                out += (attribute ? attributePath(item, *attribute) : item).str();
                first = false;
                checkSize(out.size(), limits, "join");
            }
            return Value::string(std::move(out));
        };
        t["list"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'list'", {});
            return Value::list(iterate(v));
        };
        t["string"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'string'", {});
            return Value::string(v.str());
        };
        t["int"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'int'", {"default", "base"});
            if (args.has(1) && args.integer(1, 10) != 10)
                throw JinjaError("filter 'int': only base 10 is supported");
            return toInteger(v, args.has(0) ? args.get(0) : Value::integer(0));
        };
        t["float"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'float'", {"default"});
            return toFloat(v, args.has(0) ? args.get(0) : Value::number(0.0));
        };
        t["abs"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'abs'", {});
            if (v.isFloat())
                return Value::number(std::fabs(v.asFloat()));
            if (v.isNumber())
                return Value::integer(v.asInt() < 0 ? -v.asInt() : v.asInt());
            throw JinjaError("filter 'abs': bad operand type '" + v.typeName() + "'");
        };
        t["replace"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            Arguments args(a, "filter 'replace'", {"old", "new", "count"}, 2);
            const std::string s = v.str();
            const std::string from = args.get(0).str();
            const std::string to = args.get(1).str();
            if (!from.empty() && to.size() > from.size()) {
                size_t hits = 0;
                for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + from.size()))
                    ++hits;
                checkSize(s.size() + hits * (to.size() - from.size()), limits, "replace");
            } else if (from.empty()) {
                checkSize(s.size() + (s.size() + 1) * to.size(), limits, "replace");
            }
            return Value::string(text::replace(s, from, to, args.integer(2, -1)));
        };
        t["round"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'round'", {"precision", "method"});
            if (!v.isNumber())
                throw JinjaError("filter 'round' expects a number, got " + v.typeName());
            const int64_t precision = args.integer(0, 0);
            const std::string method = args.string(1, "common");
            const double scale = std::pow(10.0, static_cast<double>(precision));
            const double x = v.asFloat() * scale;
            double r;
            if (method == "common")
                r = std::nearbyint(x); // Python's round(): half to even
            else if (method == "ceil")
                r = std::ceil(x);
            else if (method == "floor")
                r = std::floor(x);
            else
                throw JinjaError("filter 'round': method must be common, ceil or floor");
            return Value::number(r / scale);
        };
        t["selectattr"] = selecting(true, true);
        t["rejectattr"] = selecting(true, false);
        t["select"] = selecting(false, true);
        t["reject"] = selecting(false, false);
        t["map"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            ValueList out;
            const Value* attribute = nullptr;
            const Value* fallback = nullptr;
            for (const auto& [key, value] : a.named) {
                if (key == "attribute")
                    attribute = &value;
                else if (key == "default")
                    fallback = &value;
            }
            if (attribute) {
                if (!a.positional.empty() || a.named.size() > (fallback ? 2u : 1u))
                    throw JinjaError("filter 'map' with attribute= takes only attribute and default");
                for (const auto& item : iterate(v)) {
                    Value x = attributePath(item, attribute->str());
                    out.push_back(x.isUndefined() && fallback ? *fallback : x);
                }
                return Value::list(std::move(out));
            }
            if (a.positional.empty() || !a.positional[0].isString())
                throw JinjaError("filter 'map' expects a filter name or attribute=");
            const std::string filter = a.positional[0].asString();
            if (!hasFilter(filter))
                throw JinjaError("unknown filter '" + filter + "' in filter 'map'");
            const CallArgs rest = restArgs(a, 1);
            for (const auto& item : iterate(v))
                out.push_back(applyFilter(filter, item, rest, limits));
            return Value::list(std::move(out));
        };
        t["items"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'items'", {});
            ValueList out;
            if (v.isUndefined())
                return Value::list({});
            if (!v.isMap())
                throw JinjaError("filter 'items' expects a mapping, got " + v.typeName());
            for (const auto& [key, value] : v.asMap().entries())
                out.push_back(Value::list({Value::string(key), value}));
            return Value::list(std::move(out));
        };
        t["dictsort"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'dictsort'", {"case_sensitive", "by", "reverse"});
            if (!v.isMap())
                throw JinjaError("filter 'dictsort' expects a mapping, got " + v.typeName());
            const bool caseSensitive = args.boolean(0, false);
            const std::string by = args.string(1, "key");
            if (by != "key" && by != "value")
                throw JinjaError("filter 'dictsort': 'by' must be key or value");
            const bool reverse = args.boolean(2, false);
            ValueList out;
            for (const auto& [key, value] : v.asMap().entries())
                out.push_back(Value::list({Value::string(key), value}));
            const size_t index = by == "key" ? 0 : 1;
            std::stable_sort(out.begin(), out.end(), [&](const Value& x, const Value& y) {
                const Value& l = x.asList()[index];
                const Value& r = y.asList()[index];
                return reverse ? sortLess(r, l, caseSensitive) : sortLess(l, r, caseSensitive);
            });
            return Value::list(std::move(out));
        };
        auto escape = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'escape'", {});
            return Value::string(htmlEscape(v.str()));
        };
        t["escape"] = escape;
        t["e"] = escape;
        t["forceescape"] = escape;
        t["reverse"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'reverse'", {});
            if (v.isString()) {
                std::u32string cps = utf8::decodeEscaped(v.asString());
                std::reverse(cps.begin(), cps.end());
                return Value::string(utf8::encodeEscaped(cps));
            }
            ValueList items = iterate(v);
            std::reverse(items.begin(), items.end());
            return Value::list(std::move(items));
        };
        t["sort"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'sort'", {"reverse", "case_sensitive", "attribute"});
            const bool reverse = args.boolean(0, false);
            const bool caseSensitive = args.boolean(1, false);
            const auto attribute = args.optionalString(2);
            ValueList items = iterate(v);
            auto key = [&](const Value& x) { return attribute ? attributePath(x, *attribute) : x; };
            std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
                return reverse ? sortLess(key(y), key(x), caseSensitive) : sortLess(key(x), key(y), caseSensitive);
            });
            return Value::list(std::move(items));
        };
        t["unique"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'unique'", {"case_sensitive", "attribute"});
            const bool caseSensitive = args.boolean(0, false);
            const auto attribute = args.optionalString(1);
            ValueList out;
            ValueList seen;
            for (const auto& item : iterate(v)) {
                Value k = attribute ? attributePath(item, *attribute) : item;
                if (!caseSensitive && k.isString())
                    k = Value::string(caseFold(k, false));
                if (std::find(seen.begin(), seen.end(), k) != seen.end())
                    continue;
                seen.push_back(k);
                out.push_back(item);
            }
            return Value::list(std::move(out));
        };
        auto extreme = [](bool wantMax) {
            return [wantMax](const Value& v, const CallArgs& a, const FilterLimits&) {
                Arguments args(a, wantMax ? "filter 'max'" : "filter 'min'", {"case_sensitive", "attribute"});
                const bool caseSensitive = args.boolean(0, false);
                const auto attribute = args.optionalString(1);
                const ValueList items = iterate(v);
                if (items.empty())
                    return Value::undefined("no min/max item, sequence was empty");
                auto key = [&](const Value& x) { return attribute ? attributePath(x, *attribute) : x; };
                const Value* best = &items[0];
                for (const auto& item : items) {
                    const bool better = wantMax ? sortLess(key(*best), key(item), caseSensitive)
                                                : sortLess(key(item), key(*best), caseSensitive);
                    if (better)
                        best = &item;
                }
                return *best;
            };
        };
        t["max"] = extreme(true);
        t["min"] = extreme(false);
        t["sum"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            Arguments args(a, "filter 'sum'", {"attribute", "start"});
            const auto attribute = args.optionalString(0);
            Value total = args.has(1) ? args.get(1) : Value::integer(0);
            for (const auto& item : iterate(v))
                total = binaryOp("+", total, attribute ? attributePath(item, *attribute) : item, limits.maxString);
            return total;
        };
        t["attr"] = [](const Value& v, const CallArgs& a, const FilterLimits&) {
            Arguments args(a, "filter 'attr'", {"name"}, 1);
            return getAttribute(v, args.string(0, ""));
        };
        t["indent"] = [](const Value& v, const CallArgs& a, const FilterLimits& limits) {
            Arguments args(a, "filter 'indent'", {"width", "first", "blank"});
            std::string pad = "    ";
            if (args.has(0))
                pad = args.get(0).isString()
                    ? args.get(0).asString()
                    : std::string(static_cast<size_t>(std::clamp<int64_t>(args.integer(0, 4), 0, 1000)), ' ');
            const bool first = args.boolean(1, false);
            const bool blank = args.boolean(2, false);
            std::string s = v.str();
            std::string newline = "\n";
            if (!s.empty() && s.back() == '\n') {
                // Jinja keeps a trailing newline out of the indentation.
                s.pop_back();
            } else {
                newline.clear();
            }
            std::string out;
            const std::vector<std::string> lines = text::splitLines(s, false);
            for (size_t i = 0; i < lines.size(); ++i) {
                if (i > 0)
                    out += '\n';
                const bool isBlank = lines[i].empty() || text::strip(lines[i], std::nullopt, true, true).empty();
                if ((i > 0 || first) && (blank || !isBlank))
                    out += pad;
                out += lines[i];
                checkSize(out.size(), limits, "indent");
            }
            return Value::string(out + newline);
        };
        return t;
    }();
    return table;
}

} // namespace

bool hasFilter(const std::string& name)
{
    return filterTable().count(name) > 0;
}

Value applyFilter(const std::string& name, const Value& value, const CallArgs& args, const FilterLimits& limits)
{
    auto it = filterTable().find(name);
    if (it == filterTable().end())
        throw JinjaError("unknown filter '" + name + "'");
    return it->second(value, args, limits);
}

} // namespace ts::jinja

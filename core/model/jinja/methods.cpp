// Python methods callable on template values: str.strip/split/startswith/..., dict.items/keys/values/get.
#include "model/jinja/methods.h"

#include <algorithm>

#include "common/utf8.h"
#include "model/jinja/arguments.h"
#include "model/jinja/error.h"
#include "model/jinja/text.h"

namespace ts::jinja {

namespace {

Value stringList(const std::vector<std::string>& parts)
{
    ValueList out;
    out.reserve(parts.size());
    for (const auto& p : parts)
        out.push_back(Value::string(p));
    return Value::list(std::move(out));
}

bool affixMatch(const std::string& s, const Value& affix, bool prefix, const std::string& what)
{
    auto one = [&](const Value& v) {
        if (!v.isString())
            throw JinjaError(what + " expects a string or a tuple of strings, got " + v.typeName());
        return prefix ? text::startsWith(s, v.asString()) : text::endsWith(s, v.asString());
    };
    if (affix.isList())
        return std::any_of(affix.asList().begin(), affix.asList().end(), one);
    return one(affix);
}

template <typename Pred> bool allCodePoints(const std::string& s, Pred pred)
{
    const std::u32string cps = utf8::decodeEscaped(s);
    return !cps.empty() && std::all_of(cps.begin(), cps.end(), pred);
}

// str.format with {} / {0} / {name} fields; format specs and conversions are not supported.
std::string formatString(const std::string& fmt, const CallArgs& args)
{
    std::string out;
    size_t autoIndex = 0;
    for (size_t i = 0; i < fmt.size(); ++i) {
        const char c = fmt[i];
        if (c == '{' && i + 1 < fmt.size() && fmt[i + 1] == '{') {
            out += '{';
            ++i;
            continue;
        }
        if (c == '}' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
            out += '}';
            ++i;
            continue;
        }
        if (c == '}')
            throw JinjaError("str.format: single '}' encountered in format string");
        if (c != '{') {
            out += c;
            continue;
        }
        const size_t close = fmt.find('}', i);
        if (close == std::string::npos)
            throw JinjaError("str.format: single '{' encountered in format string");
        const std::string field = fmt.substr(i + 1, close - i - 1);
        if (field.find_first_of(":!.[") != std::string::npos)
            throw JinjaError("str.format: unsupported format field '{" + field + "}'");
        const Value* v = nullptr;
        if (field.empty()) {
            if (autoIndex >= args.positional.size())
                throw JinjaError("str.format: replacement index out of range");
            v = &args.positional[autoIndex++];
        } else if (std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
            const size_t index = std::stoul(field);
            if (index >= args.positional.size())
                throw JinjaError("str.format: replacement index out of range");
            v = &args.positional[index];
        } else {
            for (const auto& [key, value] : args.named)
                if (key == field)
                    v = &value;
            if (!v)
                throw JinjaError("str.format: missing argument '" + field + "'");
        }
        out += v->str();
        i = close;
    }
    return out;
}

std::optional<Value> stringMethod(const std::string& s, const std::string& name)
{
    const std::string what = "str." + name + "()";
    auto make = [&](NativeFunction fn) { return Value::callable(what, std::move(fn)); };
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const bool left = name != "rstrip";
        const bool right = name != "lstrip";
        return make([s, what, left, right](const CallArgs& a) {
            Arguments args(a, what, {"chars"});
            return Value::string(text::strip(s, args.optionalString(0), left, right));
        });
    }
    if (name == "split" || name == "rsplit") {
        const bool fromRight = name == "rsplit";
        return make([s, what, fromRight](const CallArgs& a) {
            Arguments args(a, what, {"sep", "maxsplit"});
            const auto sep = args.optionalString(0);
            if (sep && sep->empty())
                throw JinjaError(what + ": empty separator");
            const int64_t maxSplit = args.integer(1, -1);
            if (!fromRight || maxSplit < 0)
                return stringList(text::split(s, sep, maxSplit));
            // rsplit with a limit: split everything, then rejoin the leftmost parts.
            std::vector<std::string> parts = text::split(s, sep, -1);
            if (static_cast<int64_t>(parts.size()) <= maxSplit + 1 || !sep)
                return stringList(parts);
            const size_t keep = parts.size() - static_cast<size_t>(maxSplit);
            std::string head = parts[0];
            for (size_t i = 1; i < keep; ++i)
                head += *sep + parts[i];
            std::vector<std::string> out {head};
            out.insert(out.end(), parts.begin() + static_cast<long>(keep), parts.end());
            return stringList(out);
        });
    }
    if (name == "splitlines")
        return make([s, what](const CallArgs& a) {
            Arguments args(a, what, {"keepends"});
            return stringList(text::splitLines(s, args.boolean(0, false)));
        });
    if (name == "startswith" || name == "endswith") {
        const bool prefix = name == "startswith";
        return make([s, what, prefix](const CallArgs& a) {
            Arguments args(a, what, {prefix ? "prefix" : "suffix"}, 1);
            return Value::boolean(affixMatch(s, args.get(0), prefix, what));
        });
    }
    using Transform = std::string (*)(std::string_view);
    const std::pair<const char*, Transform> transforms[] = {
        {"upper", text::upper}, {"lower", text::lower}, {"title", text::pythonTitle}, {"capitalize", text::capitalize}};
    for (const auto& [transformName, fn] : transforms)
        if (name == transformName)
            return make([s, what, fn = fn](const CallArgs& a) {
                Arguments args(a, what, {});
                return Value::string(fn(s));
            });
    if (name == "replace")
        return make([s, what](const CallArgs& a) {
            Arguments args(a, what, {"old", "new", "count"}, 2);
            return Value::string(text::replace(s, args.string(0, ""), args.string(1, ""), args.integer(2, -1)));
        });
    if (name == "find" || name == "rfind" || name == "count") {
        return make([s, what, name](const CallArgs& a) {
            Arguments args(a, what, {"sub"}, 1);
            const std::string sub = args.string(0, "");
            if (name == "count") {
                if (sub.empty())
                    return Value::integer(static_cast<int64_t>(text::pythonLength(s)) + 1);
                int64_t n = 0;
                for (size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size()))
                    ++n;
                return Value::integer(n);
            }
            const size_t p = name == "find" ? s.find(sub) : s.rfind(sub);
            if (p == std::string::npos)
                return Value::integer(-1);
            return Value::integer(static_cast<int64_t>(text::pythonLength(std::string_view(s).substr(0, p))));
        });
    }
    if (name == "join")
        return make([s, what](const CallArgs& a) {
            Arguments args(a, what, {"iterable"}, 1);
            if (!args.get(0).isList())
                throw JinjaError(what + " expects a list");
            std::string out;
            bool first = true;
            for (const auto& item : args.get(0).asList()) {
                if (!item.isString())
                    throw JinjaError(what + ": sequence item is " + item.typeName() + ", not str");
                if (!first)
                    out += s;
                out += item.asString();
                first = false;
            }
            return Value::string(std::move(out));
        });
    if (name == "format")
        return make([s](const CallArgs& a) { return Value::string(formatString(s, a)); });
    using Predicate = bool (*)(char32_t);
    const std::pair<const char*, Predicate> predicates[]
        = {{"isspace", [](char32_t c) { return text::isSpace(c); }},
           {"isdigit", [](char32_t c) { return c >= '0' && c <= '9'; }},
           {"isalpha", [](char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0; }},
           {"isalnum",
            [](char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }}};
    for (const auto& [predicateName, fn] : predicates)
        if (name == predicateName)
            return make([s, what, fn = fn](const CallArgs& a) {
                Arguments args(a, what, {});
                return Value::boolean(allCodePoints(s, fn));
            });
    if (name == "islower" || name == "isupper") {
        const bool lower = name == "islower";
        return make([s, what, lower](const CallArgs& a) {
            Arguments args(a, what, {});
            const bool cased = text::upper(s) != text::lower(s);
            return Value::boolean(cased && (lower ? text::lower(s) == s : text::upper(s) == s));
        });
    }
    return std::nullopt;
}

std::optional<Value> dictMethod(const Value& object, const std::string& name)
{
    const std::string what = "dict." + name + "()";
    if (name == "items" || name == "keys" || name == "values") {
        return Value::callable(what, [object, what, name](const CallArgs& a) {
            Arguments args(a, what, {});
            ValueList out;
            for (const auto& [key, value] : object.asMap().entries()) {
                if (name == "items")
                    out.push_back(Value::list({Value::string(key), value}));
                else if (name == "keys")
                    out.push_back(Value::string(key));
                else
                    out.push_back(value);
            }
            return Value::list(std::move(out));
        });
    }
    if (name == "get")
        return Value::callable(what, [object, what](const CallArgs& a) {
            Arguments args(a, what, {"key", "default"}, 1);
            if (args.get(0).isString())
                if (const Value* v = object.asMap().find(args.get(0).asString()))
                    return *v;
            return args.has(1) ? args.get(1) : Value::none();
        });
    return std::nullopt;
}

} // namespace

std::optional<Value> boundMethod(const Value& object, const std::string& name)
{
    if (object.isString())
        return stringMethod(object.asString(), name);
    if (object.isMap())
        return dictMethod(object, name);
    return std::nullopt;
}

} // namespace ts::jinja

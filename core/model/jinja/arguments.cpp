// Binding of call arguments (positional and keyword) to the parameters of a filter, test or method.
#include "model/jinja/arguments.h"

#include "model/jinja/error.h"

namespace ts::jinja {

Arguments::Arguments(const CallArgs& args, std::string what, std::initializer_list<const char*> names, size_t required)
    : m_what(std::move(what))
    , m_values(names.size())
{
    if (args.positional.size() > names.size())
        throw JinjaError(m_what + " takes at most " + std::to_string(names.size()) + " argument(s), got "
                         + std::to_string(args.positional.size()));
    for (size_t i = 0; i < args.positional.size(); ++i)
        m_values[i] = args.positional[i];
    for (const auto& [key, value] : args.named) {
        size_t index = 0;
        for (const char* name : names) {
            if (key == name)
                break;
            ++index;
        }
        if (index == names.size())
            throw JinjaError(m_what + " got an unexpected keyword argument '" + key + "'");
        m_values[index] = value;
    }
    for (size_t i = 0; i < required; ++i)
        if (m_values[i].isUndefined())
            throw JinjaError(m_what + " is missing its argument '" + *(names.begin() + i) + "'");
}

std::string Arguments::string(size_t i, const std::string& fallback) const
{
    if (!has(i))
        return fallback;
    if (!m_values[i].isString())
        throw JinjaError(m_what + " expects a string argument, got " + m_values[i].typeName());
    return m_values[i].asString();
}

std::optional<std::string> Arguments::optionalString(size_t i) const
{
    if (!has(i) || m_values[i].isNone())
        return std::nullopt;
    if (!m_values[i].isString())
        throw JinjaError(m_what + " expects a string argument, got " + m_values[i].typeName());
    return m_values[i].asString();
}

int64_t Arguments::integer(size_t i, int64_t fallback) const
{
    if (!has(i) || m_values[i].isNone())
        return fallback;
    if (!(m_values[i].isInt() || m_values[i].isBool()))
        throw JinjaError(m_what + " expects an integer argument, got " + m_values[i].typeName());
    return m_values[i].asInt();
}

bool Arguments::boolean(size_t i, bool fallback) const
{
    if (!has(i))
        return fallback;
    return m_values[i].truthy();
}

} // namespace ts::jinja

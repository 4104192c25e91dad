// Binding of call arguments (positional and keyword) to the parameters of a filter, test or method.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "model/jinja/value.h"

namespace ts::jinja {

class Arguments
{
public:
    // Binds args to the named parameters in order; throws JinjaError naming `what` on too many positional
    // arguments, an unknown keyword or fewer than `required` arguments.
    Arguments(const CallArgs& args, std::string what, std::initializer_list<const char*> names, size_t required = 0);

    bool has(size_t i) const { return !m_values[i].isUndefined(); }
    const Value& get(size_t i) const { return m_values[i]; }
    std::string string(size_t i, const std::string& fallback) const;
    std::optional<std::string> optionalString(size_t i) const; // none or missing: nullopt
    int64_t integer(size_t i, int64_t fallback) const;
    bool boolean(size_t i, bool fallback) const;
    const std::string& what() const { return m_what; }

private:
    std::string m_what;
    std::vector<Value> m_values;
};

} // namespace ts::jinja

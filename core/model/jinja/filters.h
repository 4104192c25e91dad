// Jinja filters ("x | trim", "tools | tojson(indent=4)", "xs | selectattr('role', 'equalto', 'user')", ...).
#pragma once

#include <string>

#include "model/jinja/value.h"

namespace ts::jinja {

struct FilterLimits
{
    size_t maxString = 10 * 1024 * 1024; // bound on a string or list a filter builds
};

bool hasFilter(const std::string& name);
// Throws JinjaError for an unknown filter or bad arguments.
Value applyFilter(const std::string& name, const Value& value, const CallArgs& args, const FilterLimits& limits);

} // namespace ts::jinja

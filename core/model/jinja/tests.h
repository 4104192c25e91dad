// Jinja tests ("x is defined", "x is divisibleby 3", ...).
#pragma once

#include <string>

#include "model/jinja/value.h"

namespace ts::jinja {

bool hasTest(const std::string& name);
// Throws JinjaError for an unknown test or bad arguments.
bool applyTest(const std::string& name, const Value& value, const CallArgs& args);

} // namespace ts::jinja

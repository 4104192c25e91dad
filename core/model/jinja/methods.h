// Python methods callable on template values: str.strip/split/startswith/..., dict.items/keys/values/get.
#pragma once

#include <optional>
#include <string>

#include "model/jinja/value.h"

namespace ts::jinja {

// The method `name` of a str or dict bound to `object`, or nullopt when there is no such method.
std::optional<Value> boundMethod(const Value& object, const std::string& name);

} // namespace ts::jinja

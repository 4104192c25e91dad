// The full definition of a prompt variant as plain, line-oriented text ("Role:", "Instructions:", each
// constraint, the JSON schema pretty-printed, variables, endpoint and sampling): what the version history
// shows and diffs line by line. Every field of PromptVariant appears, so two variants that differ in
// anything give different texts.
#pragma once

#include <string>

#include "promptlab/prompt_variant.h"

namespace ts::promptlab {

std::string variantText(const PromptVariant& variant);

} // namespace ts::promptlab

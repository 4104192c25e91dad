// Parser of Jinja tokens into a Program (see ast.h); rejects unsupported tags with their position.
#pragma once

#include <string>
#include <vector>

#include "model/jinja/ast.h"
#include "model/jinja/lexer.h"

namespace ts::jinja {

// Throws JinjaError naming the construct and its position.
Program parse(const std::vector<Token>& tokens);

// tokenize + parse with transformers' settings (trim_blocks, lstrip_blocks).
Program parseTemplate(const std::string& source);

} // namespace ts::jinja

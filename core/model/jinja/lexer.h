// Tokenizer of Jinja template source: text, {{ }}, {% %}, {# #}, whitespace control, raw blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ts::jinja {

enum class TokenType { Text, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, Eof };

struct Token
{
    TokenType type = TokenType::Eof;
    std::string text; // Text: the literal text; String: the unescaped value; Name/Operator: as written
    int64_t intValue = 0;
    double floatValue = 0.0;
    int line = 1;
    int column = 1;
};

struct LexerOptions
{
    bool trimBlocks = true; // drop the first newline after a block or comment tag
    bool lstripBlocks = true; // drop spaces and tabs before a block or comment tag that starts a line
};

// Throws JinjaError (with position) on an unclosed tag, comment or string, or an unexpected character.
std::vector<Token> tokenize(const std::string& source, const LexerOptions& options = {});

} // namespace ts::jinja

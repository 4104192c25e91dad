// Tokenizer of Jinja template source: text, {{ }}, {% %}, {# #}, whitespace control, raw blocks.
#include "model/jinja/lexer.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "common/utf8.h"
#include "model/jinja/error.h"

namespace ts::jinja {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

class Lexer
{
public:
    Lexer(std::string source, const LexerOptions& options)
        : m_src(std::move(source))
        , m_options(options)
    {
        m_lineStarts.push_back(0);
        for (size_t i = 0; i < m_src.size(); ++i)
            if (m_src[i] == '\n')
                m_lineStarts.push_back(i + 1);
    }

    std::vector<Token> run()
    {
        size_t pos = 0;
        bool lineStarting = true; // the text that follows begins a line
        while (pos < m_src.size()) {
            const size_t tag = findTagStart(pos);
            std::string text = m_src.substr(pos, (tag == std::string::npos ? m_src.size() : tag) - pos);
            if (tag == std::string::npos) {
                pushText(std::move(text), pos);
                break;
            }
            const char kind = m_src[tag + 1]; // '{', '%' or '#'
            const char modifier = tag + 2 < m_src.size() ? m_src[tag + 2] : '\0';
            if (modifier == '-') {
                size_t end = text.size();
                while (end > 0 && isBlank(text[end - 1]))
                    --end;
                text.resize(end);
            } else if (kind != '{' && modifier != '+' && m_options.lstripBlocks) {
                const size_t lineStart = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
                if ((lineStart > 0 || lineStarting)
                    && std::all_of(text.begin() + static_cast<long>(lineStart), text.end(),
                                   [](char c) { return c == ' ' || c == '\t'; }))
                    text.resize(lineStart);
            }
            pushText(std::move(text), pos);
            size_t after = tag + 2 + ((modifier == '-' || modifier == '+') ? 1 : 0);
            bool stripAfter = false;
            bool trimAfter = false;
            if (kind == '#') {
                const size_t close = m_src.find("#}", after);
                if (close == std::string::npos)
                    throw JinjaError("unclosed comment", lineOf(tag), columnOf(tag));
                stripAfter = close > after && m_src[close - 1] == '-';
                trimAfter = !(close > after && m_src[close - 1] == '+');
                pos = close + 2;
            } else if (kind == '%' && isRawTag(tag)) {
                pos = lexRaw(tag, stripAfter, trimAfter);
            } else {
                pos = lexTag(tag, after, kind, stripAfter, trimAfter);
            }
            const size_t tagEnd = pos;
            if (stripAfter) {
                while (pos < m_src.size() && isBlank(m_src[pos]))
                    ++pos;
            } else if (kind != '{' && trimAfter && m_options.trimBlocks) {
                if (pos < m_src.size() && m_src[pos] == '\n')
                    ++pos;
            }
            lineStarting = pos > tagEnd && m_src[pos - 1] == '\n';
        }
        m_tokens.push_back(makeToken(TokenType::Eof, m_src.size()));
        return std::move(m_tokens);
    }

private:
    int lineOf(size_t offset) const
    {
        auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        return static_cast<int>(it - m_lineStarts.begin());
    }
    int columnOf(size_t offset) const
    {
        auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
        return static_cast<int>(offset - *(it - 1)) + 1;
    }
    Token makeToken(TokenType type, size_t offset, std::string text = {})
    {
        Token t;
        t.type = type;
        t.text = std::move(text);
        t.line = lineOf(offset);
        t.column = columnOf(offset);
        return t;
    }
    void pushText(std::string text, size_t offset)
    {
        if (!text.empty())
            m_tokens.push_back(makeToken(TokenType::Text, offset, std::move(text)));
    }

    size_t findTagStart(size_t from) const
    {
        size_t p = from;
        while ((p = m_src.find('{', p)) != std::string::npos) {
            if (p + 1 < m_src.size() && (m_src[p + 1] == '{' || m_src[p + 1] == '%' || m_src[p + 1] == '#'))
                return p;
            ++p;
        }
        return std::string::npos;
    }

    // {% raw %} / {%- raw -%} at offset
    bool isRawTag(size_t tag) const
    {
        size_t p = tag + 2;
        if (p < m_src.size() && (m_src[p] == '-' || m_src[p] == '+'))
            ++p;
        while (p < m_src.size() && isBlank(m_src[p]))
            ++p;
        if (m_src.compare(p, 3, "raw") != 0 || (p + 3 < m_src.size() && isNameChar(m_src[p + 3])))
            return false;
        return true;
    }

    // Reads "{% raw %}...{% endraw %}"; returns the offset after the end tag.
    size_t lexRaw(size_t tag, bool& stripAfter, bool& trimAfter)
    {
        size_t open = m_src.find("%}", tag);
        if (open == std::string::npos)
            throw JinjaError("unclosed 'raw' tag", lineOf(tag), columnOf(tag));
        const bool stripInside = m_src[open - 1] == '-';
        size_t bodyStart = open + 2;
        if (stripInside)
            while (bodyStart < m_src.size() && isBlank(m_src[bodyStart]))
                ++bodyStart;
        else if (m_options.trimBlocks && m_src[open - 1] != '+' && bodyStart < m_src.size() && m_src[bodyStart] == '\n')
            ++bodyStart;
        size_t p = bodyStart;
        while ((p = m_src.find("{%", p)) != std::string::npos) {
            size_t q = p + 2;
            const bool stripBefore = q < m_src.size() && m_src[q] == '-';
            if (q < m_src.size() && (m_src[q] == '-' || m_src[q] == '+'))
                ++q;
            while (q < m_src.size() && isBlank(m_src[q]))
                ++q;
            if (m_src.compare(q, 6, "endraw") == 0) {
                q += 6;
                while (q < m_src.size() && isBlank(m_src[q]))
                    ++q;
                const char mod = q < m_src.size() ? m_src[q] : '\0';
                if (mod == '-' || mod == '+')
                    ++q;
                if (m_src.compare(q, 2, "%}") != 0)
                    throw JinjaError("malformed 'endraw' tag", lineOf(p), columnOf(p));
                std::string body = m_src.substr(bodyStart, p - bodyStart);
                if (stripBefore) {
                    while (!body.empty() && isBlank(body.back()))
                        body.pop_back();
                } else if (m_options.lstripBlocks) {
                    const size_t lineStart = body.rfind('\n') == std::string::npos ? 0 : body.rfind('\n') + 1;
                    if (lineStart > 0
                        && std::all_of(body.begin() + static_cast<long>(lineStart), body.end(),
                                       [](char c) { return c == ' ' || c == '\t'; }))
                        body.resize(lineStart);
                }
                pushText(std::move(body), bodyStart);
                stripAfter = mod == '-';
                trimAfter = mod != '+';
                return q + 2;
            }
            p += 2;
        }
        throw JinjaError("unclosed 'raw' block (missing endraw)", lineOf(tag), columnOf(tag));
    }

    // Reads the inside of {{ }} or {% %} into tokens; returns the offset after the closing delimiter.
    size_t lexTag(size_t tag, size_t pos, char kind, bool& stripAfter, bool& trimAfter)
    {
        m_tokens.push_back(makeToken(kind == '{' ? TokenType::VarBegin : TokenType::BlockBegin, tag));
        const char closer = kind == '{' ? '}' : '%';
        int depth = 0;
        while (true) {
            while (pos < m_src.size() && isBlank(m_src[pos]))
                ++pos;
            if (pos >= m_src.size())
                throw JinjaError(std::string("unclosed ") + (kind == '{' ? "'{{' expression" : "'{%' tag"), lineOf(tag),
                                 columnOf(tag));
            const char c = m_src[pos];
            // The closing delimiter, optionally with a whitespace-control modifier.
            if ((c == '-' || c == '+') && pos + 2 < m_src.size() + 0 && m_src[pos + 1] == closer
                && m_src[pos + 2] == '}' && (closer == '%' || depth == 0)) {
                m_tokens.push_back(makeToken(kind == '{' ? TokenType::VarEnd : TokenType::BlockEnd, pos));
                stripAfter = c == '-';
                trimAfter = c != '+';
                return pos + 3;
            }
            if (c == closer && pos + 1 < m_src.size() && m_src[pos + 1] == '}' && (closer == '%' || depth == 0)) {
                m_tokens.push_back(makeToken(kind == '{' ? TokenType::VarEnd : TokenType::BlockEnd, pos));
                stripAfter = false;
                trimAfter = true;
                return pos + 2;
            }
            if (isNameStart(c)) {
                size_t end = pos;
                while (end < m_src.size() && isNameChar(m_src[end]))
                    ++end;
                m_tokens.push_back(makeToken(TokenType::Name, pos, m_src.substr(pos, end - pos)));
                pos = end;
            } else if (isDigit(c)) {
                pos = lexNumber(pos);
            } else if (c == '\'' || c == '"') {
                pos = lexString(pos);
            } else {
                static const char* const kOperators[]
                    = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<",
                       ">",  "=",  "(",  ")",  "[",  "]",  "{", "}", ",", ".", ":", "|"};
                bool matched = false;
                for (const char* op : kOperators) {
                    const size_t len = std::char_traits<char>::length(op);
                    if (m_src.compare(pos, len, op) == 0) {
                        const std::string text(op);
                        if (text == "(" || text == "[" || text == "{")
                            ++depth;
                        else if ((text == ")" || text == "]" || text == "}") && depth > 0)
                            --depth;
                        m_tokens.push_back(makeToken(TokenType::Operator, pos, text));
                        pos += len;
                        matched = true;
                        break;
                    }
                }
                if (!matched)
                    throw JinjaError(std::string("unexpected character '") + c + "'", lineOf(pos), columnOf(pos));
            }
        }
    }

    size_t lexNumber(size_t pos)
    {
        const size_t start = pos;
        std::string digits;
        auto readDigits = [&]() {
            while (
                pos < m_src.size()
                && (isDigit(m_src[pos]) || (m_src[pos] == '_' && pos + 1 < m_src.size() && isDigit(m_src[pos + 1])))) {
                if (m_src[pos] != '_')
                    digits += m_src[pos];
                ++pos;
            }
        };
        readDigits();
        bool isFloat = false;
        if (pos + 1 < m_src.size() && m_src[pos] == '.' && isDigit(m_src[pos + 1])) {
            isFloat = true;
            digits += '.';
            ++pos;
            readDigits();
        }
        if (pos < m_src.size() && (m_src[pos] == 'e' || m_src[pos] == 'E')) {
            size_t q = pos + 1;
            if (q < m_src.size() && (m_src[q] == '+' || m_src[q] == '-'))
                ++q;
            if (q < m_src.size() && isDigit(m_src[q])) {
                isFloat = true;
                digits += 'e';
                digits.append(m_src, pos + 1, q - pos - 1);
                pos = q;
                readDigits();
            }
        }
        Token t = makeToken(isFloat ? TokenType::Float : TokenType::Integer, start, m_src.substr(start, pos - start));
        if (isFloat) {
            t.floatValue = std::strtod(digits.c_str(), nullptr);
        } else {
            auto res = std::from_chars(digits.data(), digits.data() + digits.size(), t.intValue);
            if (res.ec != std::errc())
                throw JinjaError("integer literal out of range", t.line, t.column);
        }
        m_tokens.push_back(std::move(t));
        return pos;
    }

    size_t lexString(size_t pos)
    {
        const size_t start = pos;
        const char quote = m_src[pos++];
        std::string value;
        while (true) {
            if (pos >= m_src.size())
                throw JinjaError("unterminated string literal", lineOf(start), columnOf(start));
            const char c = m_src[pos];
            if (c == quote) {
                ++pos;
                break;
            }
            if (c != '\\') {
                value += c;
                ++pos;
                continue;
            }
            if (pos + 1 >= m_src.size())
                throw JinjaError("unterminated string literal", lineOf(start), columnOf(start));
            const char e = m_src[pos + 1];
            pos += 2;
            switch (e) {
            case 'n':
                value += '\n';
                break;
            case 't':
                value += '\t';
                break;
            case 'r':
                value += '\r';
                break;
            case '\\':
                value += '\\';
                break;
            case '\'':
                value += '\'';
                break;
            case '"':
                value += '"';
                break;
            case 'a':
                value += '\a';
                break;
            case 'b':
                value += '\b';
                break;
            case 'f':
                value += '\f';
                break;
            case 'v':
                value += '\v';
                break;
            case '\n':
                break; // line continuation
            case 'x':
            case 'u':
            case 'U': {
                const size_t len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (pos + len > m_src.size())
                    throw JinjaError(std::string("truncated \\") + e + " escape in string literal", lineOf(pos - 2),
                                     columnOf(pos - 2));
                uint32_t cp = 0;
                for (size_t k = 0; k < len; ++k) {
                    const char h = m_src[pos + k];
                    int d = (h >= '0' && h <= '9') ? h - '0'
                        : (h >= 'a' && h <= 'f')   ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F')   ? h - 'A' + 10
                                                   : -1;
                    if (d < 0)
                        throw JinjaError(std::string("invalid \\") + e + " escape in string literal", lineOf(pos - 2),
                                         columnOf(pos - 2));
                    cp = cp * 16 + static_cast<uint32_t>(d);
                }
                if (cp > 0x10FFFF)
                    throw JinjaError("invalid code point in string literal", lineOf(pos - 2), columnOf(pos - 2));
                value += utf8::encodeEscaped(std::u32string(1, static_cast<char32_t>(cp)));
                pos += len;
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    uint32_t cp = static_cast<uint32_t>(e - '0');
                    for (int k = 0; k < 2 && pos < m_src.size() && m_src[pos] >= '0' && m_src[pos] <= '7'; ++k)
                        cp = cp * 8 + static_cast<uint32_t>(m_src[pos++] - '0');
                    value += utf8::encodeEscaped(std::u32string(1, static_cast<char32_t>(cp)));
                } else {
                    value += '\\'; // unknown escapes stay as written, as in Python
                    value += e;
                }
            }
        }
        Token t = makeToken(TokenType::String, start, std::move(value));
        m_tokens.push_back(std::move(t));
        return pos;
    }

    std::string m_src;
    LexerOptions m_options;
    std::vector<size_t> m_lineStarts;
    std::vector<Token> m_tokens;
};

} // namespace

std::vector<Token> tokenize(const std::string& source, const LexerOptions& options)
{
    // Jinja normalizes newlines and drops one trailing newline (keep_trailing_newline=False).
    std::string src;
    src.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            src += '\n';
            if (i + 1 < source.size() && source[i + 1] == '\n')
                ++i;
        } else {
            src += source[i];
        }
    }
    if (!src.empty() && src.back() == '\n')
        src.pop_back();
    return Lexer(std::move(src), options).run();
}

} // namespace ts::jinja

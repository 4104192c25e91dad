// JsonArrayScanner (see json_array_scanner.h): one linear pass that tracks nesting, strings and line numbers.
#include "data/json_array_scanner.h"

namespace ts::detail {

bool JsonArrayScanner::open()
{
    skipSpace();
    if (m_pos >= m_text.size() || m_text[m_pos] != '[')
        return false;
    ++m_pos;
    return true;
}

std::optional<JsonArrayScanner::Element> JsonArrayScanner::next()
{
    skipSpace();
    if (m_closed || m_pos >= m_text.size())
        return std::nullopt;
    if (m_text[m_pos] == ']') {
        ++m_pos;
        m_closed = true;
        return std::nullopt;
    }
    const size_t begin = m_pos;
    const size_t line = m_line;
    size_t depth = 0;
    for (; m_pos < m_text.size(); ++m_pos) {
        const char c = m_text[m_pos];
        if (c == '"') {
            skipString();
            --m_pos; // the loop steps past the closing quote again
        } else if (c == '\n') {
            ++m_line;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        } else if ((c == ']' || c == ',') && depth == 0) {
            break;
        }
    }
    Element element {m_text.substr(begin, m_pos - begin), line};
    if (m_pos < m_text.size() && m_text[m_pos] == ',')
        ++m_pos; // a ']' is left for the next call
    return element;
}

bool JsonArrayScanner::onlySpaceLeft()
{
    skipSpace();
    return m_pos >= m_text.size();
}

void JsonArrayScanner::skipSpace()
{
    for (; m_pos < m_text.size(); ++m_pos) {
        const char c = m_text[m_pos];
        if (c == '\n')
            ++m_line;
        else if (c != ' ' && c != '\t' && c != '\r')
            return;
    }
}

// From an opening quote to just past the closing one. A raw newline (never valid inside a JSON string) also
// ends it, so one unterminated string cannot swallow the rest of the file.
void JsonArrayScanner::skipString()
{
    ++m_pos;
    while (m_pos < m_text.size()) {
        const size_t stop = m_text.find_first_of("\"\\\n", m_pos);
        if (stop == std::string_view::npos)
            break;
        m_pos = stop + 1;
        if (m_text[stop] == '"')
            return;
        if (m_text[stop] == '\n') {
            ++m_line;
            return;
        }
        if (m_pos < m_text.size() && m_text[m_pos] != '\n')
            ++m_pos; // the escaped character
    }
    m_pos = m_text.size();
}

} // namespace ts::detail

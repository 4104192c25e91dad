// Lenient text normalization; see normalize.h.
#include "eval/normalize.h"

#include <array>

#include "eval/pattern.h"

namespace ts::eval {

namespace {

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr std::string_view kNbsp = "\xC2\xA0";

// Length of the whitespace sequence starting at text[i], 0 if none.
size_t spaceAt(std::string_view text, size_t i)
{
    if (isAsciiSpace(text[i]))
        return 1;
    return text.substr(i).starts_with(kNbsp) ? kNbsp.size() : 0;
}

constexpr std::string_view kAsciiEdge = ".,;:!?\"'`()[]{}*_";
constexpr std::array<std::string_view, 10> kUnicodeEdge = {
    "\u201C", "\u201D", "\u2018", "\u2019", "\u00AB", "\u00BB", "\u201E", "\u2026", "\u3002", "\u00A0",
};

// Length of an edge character (punctuation, quote or space) at the start of `text` (or at its end with
// atEnd), 0 if none.
size_t edgeLength(std::string_view text, bool atEnd)
{
    if (text.empty())
        return 0;
    const char c = atEnd ? text.back() : text.front();
    if (isAsciiSpace(c) || kAsciiEdge.find(c) != std::string_view::npos)
        return 1;
    for (std::string_view mark : kUnicodeEdge)
        if (atEnd ? text.ends_with(mark) : text.starts_with(mark))
            return mark.size();
    return 0;
}

} // namespace

std::string normalizeText(std::string_view text)
{
    while (size_t n = edgeLength(text, false))
        text.remove_prefix(n);
    while (size_t n = edgeLength(text, true))
        text.remove_suffix(n);

    std::string out;
    out.reserve(text.size());
    bool inSpace = false;
    for (size_t i = 0; i < text.size();) {
        if (size_t n = spaceAt(text, i)) {
            inSpace = true;
            i += n;
            continue;
        }
        if (inSpace)
            out += ' ';
        inSpace = false;
        out += text[i++];
    }
    return out;
}

bool normalizedEquals(std::string_view a, std::string_view b)
{
    return equalsIgnoringCase(normalizeText(a), normalizeText(b));
}

} // namespace ts::eval

// Python-compatible string helpers for the Jinja engine: UTF-8 code points, strip, split, case.
#include "model/jinja/text.h"

#include <algorithm>

#include "common/utf8.h"

namespace ts::jinja::text {

size_t pythonLength(std::string_view s)
{
    const size_t n = utf8::codePointCount(s);
    if (n == s.size())
        return n;
    return utf8::decodeEscaped(s).size(); // exact count, invalid bytes included
}

bool isSpace(char32_t c)
{
    switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A;
    }
}

std::string strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right)
{
    const std::u32string cps = utf8::decodeEscaped(s);
    const std::u32string set = chars ? utf8::decodeEscaped(*chars) : std::u32string();
    auto drop = [&](char32_t c) { return chars ? set.find(c) != std::u32string::npos : isSpace(c); };
    size_t begin = 0;
    size_t end = cps.size();
    if (left)
        while (begin < end && drop(cps[begin]))
            ++begin;
    if (right)
        while (end > begin && drop(cps[end - 1]))
            --end;
    return utf8::encodeEscaped(std::u32string_view(cps).substr(begin, end - begin));
}

std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, long long maxSplit)
{
    std::vector<std::string> out;
    if (sep) {
        size_t pos = 0;
        while (maxSplit < 0 || static_cast<long long>(out.size()) < maxSplit) {
            const size_t hit = s.find(*sep, pos);
            if (hit == std::string_view::npos)
                break;
            out.emplace_back(s.substr(pos, hit - pos));
            pos = hit + sep->size();
        }
        out.emplace_back(s.substr(pos));
        return out;
    }
    const std::u32string cps = utf8::decodeEscaped(s);
    size_t i = 0;
    while (true) {
        while (i < cps.size() && isSpace(cps[i]))
            ++i;
        if (i >= cps.size())
            break;
        if (maxSplit >= 0 && static_cast<long long>(out.size()) >= maxSplit) {
            size_t end = cps.size();
            while (end > i && isSpace(cps[end - 1]))
                --end;
            out.push_back(utf8::encodeEscaped(std::u32string_view(cps).substr(i, end - i)));
            break;
        }
        size_t j = i;
        while (j < cps.size() && !isSpace(cps[j]))
            ++j;
        out.push_back(utf8::encodeEscaped(std::u32string_view(cps).substr(i, j - i)));
        i = j;
    }
    return out;
}

std::vector<std::string> splitLines(std::string_view s, bool keepEnds)
{
    std::vector<std::string> out;
    const std::u32string cps = utf8::decodeEscaped(s);
    size_t start = 0;
    size_t i = 0;
    while (i < cps.size()) {
        const char32_t c = cps[i];
        size_t brk = 0;
        if (c == '\r' && i + 1 < cps.size() && cps[i + 1] == '\n')
            brk = 2;
        else if (c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85
                 || c == 0x2028 || c == 0x2029)
            brk = 1;
        if (brk == 0) {
            ++i;
            continue;
        }
        const size_t end = keepEnds ? i + brk : i;
        out.push_back(utf8::encodeEscaped(std::u32string_view(cps).substr(start, end - start)));
        i += brk;
        start = i;
    }
    if (start < cps.size())
        out.push_back(utf8::encodeEscaped(std::u32string_view(cps).substr(start)));
    return out;
}

std::string replace(std::string_view s, std::string_view from, std::string_view to, long long count)
{
    std::string out;
    if (from.empty()) {
        const std::u32string cps = utf8::decodeEscaped(s);
        long long done = 0;
        for (size_t i = 0; i <= cps.size(); ++i) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (i < cps.size())
                out += utf8::encodeEscaped(std::u32string_view(cps).substr(i, 1));
        }
        return out;
    }
    size_t pos = 0;
    long long done = 0;
    while (count < 0 || done < count) {
        const size_t hit = s.find(from, pos);
        if (hit == std::string_view::npos)
            break;
        out.append(s.substr(pos, hit - pos));
        out.append(to);
        pos = hit + from.size();
        ++done;
    }
    out.append(s.substr(pos));
    return out;
}

namespace {

// Simple one-to-one case mappings: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
char32_t toUpper(char32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
        const bool oddPairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddPairs)
            return (c % 2 == 0) ? c - 1 : c;
        return (c % 2 == 1) ? c - 1 : c;
    }
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

char32_t toLower(char32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
        const bool oddPairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddPairs)
            return (c % 2 == 1) ? c + 1 : c;
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

bool isCased(char32_t c)
{
    return toUpper(c) != c || toLower(c) != c;
}

std::string mapCase(std::string_view s, char32_t (*fn)(char32_t))
{
    std::u32string cps = utf8::decodeEscaped(s);
    for (auto& c : cps)
        c = fn(c);
    return utf8::encodeEscaped(cps);
}

} // namespace

std::string upper(std::string_view s)
{
    return mapCase(s, toUpper);
}

std::string lower(std::string_view s)
{
    return mapCase(s, toLower);
}

std::string capitalize(std::string_view s)
{
    std::u32string cps = utf8::decodeEscaped(s);
    for (size_t i = 0; i < cps.size(); ++i)
        cps[i] = i == 0 ? toUpper(cps[i]) : toLower(cps[i]);
    return utf8::encodeEscaped(cps);
}

std::string pythonTitle(std::string_view s)
{
    std::u32string cps = utf8::decodeEscaped(s);
    bool previousCased = false;
    for (auto& c : cps) {
        const bool cased = isCased(c);
        c = previousCased ? toLower(c) : toUpper(c);
        previousCased = cased;
    }
    return utf8::encodeEscaped(cps);
}

std::string jinjaTitle(std::string_view s)
{
    // Jinja: words start after whitespace or one of - ( { [ <; first letter upper, rest lower.
    std::u32string cps = utf8::decodeEscaped(s);
    bool wordStart = true;
    for (auto& c : cps) {
        const bool separator = isSpace(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
        if (separator) {
            wordStart = true;
            continue;
        }
        c = wordStart ? toUpper(c) : toLower(c);
        wordStart = false;
    }
    return utf8::encodeEscaped(cps);
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace ts::jinja::text

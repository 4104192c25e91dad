// UTF-8 validation, decoding, encoding and boundary helpers (see utf8.h).
#include "common/utf8.h"

#include <cstdint>
#include <cstring>

namespace ts::utf8 {

namespace {

// Bounds of the second byte of a sequence led by `lead` (Table 3-7), or false for an invalid lead byte.
bool secondByteRange(unsigned char lead, unsigned char& lo, unsigned char& hi, size_t& length)
{
    lo = 0x80;
    hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            lo = 0xA0; // no overlong 3-byte forms
        else if (lead == 0xED)
            hi = 0x9F; // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            lo = 0x90; // no overlong 4-byte forms
        else if (lead == 0xF4)
            hi = 0x8F; // nothing above U+10FFFF
    } else {
        return false; // continuation byte, C0/C1 (overlong) or F5..FF
    }
    return true;
}

// Length of the maximal subpart (valid prefix) of the sequence at pos; at least 1.
size_t scan(std::string_view text, size_t pos, bool& complete)
{
    complete = false;
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        complete = true;
        return 1;
    }
    unsigned char lo, hi;
    size_t length = 0;
    if (!secondByteRange(lead, lo, hi, length))
        return 1;
    size_t i = 1;
    for (; i < length; ++i) {
        if (pos + i >= text.size())
            return i;
        const auto b = static_cast<unsigned char>(text[pos + i]);
        if (b < lo || b > hi)
            return i;
        lo = 0x80;
        hi = 0xBF;
    }
    complete = true;
    return length;
}

bool eightAsciiBytes(const char* s)
{
    uint64_t word;
    std::memcpy(&word, s, sizeof word);
    return (word & 0x8080808080808080ULL) == 0;
}

} // namespace

size_t sequenceLength(std::string_view text, size_t pos)
{
    bool complete = false;
    const size_t n = scan(text, pos, complete);
    return complete ? n : 0;
}

char32_t next(std::string_view text, size_t& pos)
{
    bool complete = false;
    const size_t n = scan(text, pos, complete);
    if (!complete) {
        pos += n;
        return 0xFFFD;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + pos);
    pos += n;
    switch (n) {
    case 1:
        return p[0];
    case 2:
        return (char32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
        return (char32_t(p[0] & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    default:
        return (char32_t(p[0] & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6)
            | (p[3] & 0x3F);
    }
}

void append(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::optional<size_t> findInvalid(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        if (pos + 8 <= text.size() && eightAsciiBytes(text.data() + pos)) {
            pos += 8;
            continue;
        }
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const size_t n = sequenceLength(text, pos);
        if (n == 0)
            return pos;
        pos += n;
    }
    return std::nullopt;
}

std::string toValidLossy(std::string_view bytes)
{
    if (isValid(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 8);
    size_t pos = 0;
    while (pos < bytes.size()) {
        bool complete = false;
        const size_t n = scan(bytes, pos, complete);
        if (complete)
            out.append(bytes.substr(pos, n));
        else
            out.append("\xEF\xBF\xBD");
        pos += n;
    }
    return out;
}

size_t incompleteTailLength(std::string_view bytes)
{
    const size_t start = bytes.size() > 3 ? bytes.size() - 3 : 0;
    for (size_t pos = start; pos < bytes.size(); ++pos) {
        const auto b = static_cast<unsigned char>(bytes[pos]);
        if (b < 0xC2 || b > 0xF4)
            continue;
        bool complete = false;
        const size_t n = scan(bytes, pos, complete);
        if (!complete && pos + n == bytes.size())
            return n;
    }
    return 0;
}

std::u32string decodeEscaped(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    size_t pos = 0;
    while (pos < s.size()) {
        const auto lead = static_cast<unsigned char>(s[pos]);
        if (lead < 0x80) {
            out.push_back(lead);
            ++pos;
        } else if (sequenceLength(s, pos) == 0) {
            out.push_back(0xDC00 + lead);
            ++pos;
        } else {
            out.push_back(next(s, pos));
        }
    }
    return out;
}

std::string encodeEscaped(std::u32string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) {
        if (c >= 0xDC80 && c <= 0xDCFF)
            out.push_back(static_cast<char>(c - 0xDC00)); // surrogateescape: the original byte
        else
            append(out, c);
    }
    return out;
}

size_t codePointCount(std::string_view text)
{
    size_t n = 0;
    for (char c : text)
        n += !isContinuationByte(c);
    return n;
}

size_t floorToBoundary(std::string_view text, size_t pos, size_t lowest)
{
    if (pos >= text.size())
        return text.size();
    while (pos > lowest && isContinuationByte(text[pos]))
        --pos;
    return pos;
}

size_t ceilToBoundary(std::string_view text, size_t pos)
{
    while (pos < text.size() && isContinuationByte(text[pos]))
        ++pos;
    return pos;
}

std::string_view prefixWithinBytes(std::string_view text, size_t maxBytes)
{
    return text.substr(0, floorToBoundary(text, maxBytes));
}

std::string_view suffixWithinBytes(std::string_view text, size_t maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    return text.substr(ceilToBoundary(text, text.size() - maxBytes));
}

} // namespace ts::utf8

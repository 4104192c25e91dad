// UTF-8 helpers: strict sequence validation (Unicode Table 3-7) and WHATWG-style lossy decoding.
#include "model/utf8.h"

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
            lo = 0xA0;
        else if (lead == 0xED)
            hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            lo = 0x90;
        else if (lead == 0xF4)
            hi = 0x8F;
    } else {
        return false;
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

bool isValid(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const size_t n = sequenceLength(text, pos);
        if (n == 0)
            return false;
        pos += n;
    }
    return true;
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

} // namespace ts::utf8

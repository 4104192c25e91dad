// UTF-8 validation (RFC 3629): well-formed sequences only, per the Unicode table of valid byte ranges.
#include "data/utf8.h"

#include <cstdint>
#include <cstring>

namespace ts {

namespace {

// Length of the valid multi-byte sequence starting at s[0], or 0 if it is not valid.
size_t multiByteLength(const unsigned char* s, size_t available)
{
    const unsigned char lead = s[0];
    size_t length = 0;
    unsigned char low = 0x80; // allowed range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead == 0xE0) {
        length = 3;
        low = 0xA0; // no overlong 3-byte forms
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
        length = 3;
    } else if (lead == 0xED) {
        length = 3;
        high = 0x9F; // no UTF-16 surrogates
    } else if (lead == 0xF0) {
        length = 4;
        low = 0x90; // no overlong 4-byte forms
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    } else if (lead == 0xF4) {
        length = 4;
        high = 0x8F; // nothing above U+10FFFF
    } else {
        return 0; // continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (available < length || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 2; i < length; ++i)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return length;
}

bool eightAsciiBytes(const unsigned char* s)
{
    uint64_t word;
    std::memcpy(&word, s, sizeof word);
    return (word & 0x8080808080808080ULL) == 0;
}

} // namespace

std::optional<size_t> findInvalidUtf8(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    size_t i = 0;
    while (i < size) {
        if (i + 8 <= size && eightAsciiBytes(s + i)) {
            i += 8;
            continue;
        }
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const size_t length = multiByteLength(s + i, size - i);
        if (length == 0)
            return i;
        i += length;
    }
    return std::nullopt;
}

} // namespace ts

// UTF-8 for the whole code base: strict validation (Unicode Table 3-7), code point decoding and encoding,
// lossy (WHATWG) and lossless (Python surrogateescape) decoding, counting, and cutting at code point boundaries.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ts::utf8 {

// True for 10xxxxxx, the bytes that continue a multi-byte sequence.
inline bool isContinuationByte(char byte)
{
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// Length in bytes of the well-formed UTF-8 sequence starting at text[pos], or 0 when it is not well formed.
size_t sequenceLength(std::string_view text, size_t pos);

// Decodes the code point at text[pos] and advances pos. Ill-formed input yields U+FFFD and advances past the
// maximal subpart of the ill-formed sequence (at least one byte).
char32_t next(std::string_view text, size_t& pos);

// Appends the UTF-8 encoding of cp (surrogates included, as 3-byte sequences).
void append(std::string& out, char32_t cp);

// Byte offset (0-based) where the first ill-formed sequence starts; nullopt when text is well formed. Rejects
// overlong forms, surrogates and code points above U+10FFFF.
std::optional<size_t> findInvalid(std::string_view text);

// True when text is well-formed UTF-8.
inline bool isValid(std::string_view text)
{
    return !findInvalid(text).has_value();
}

// Replaces ill-formed sequences by U+FFFD the way the WHATWG decoder (TextDecoder) does: one replacement per
// maximal subpart of an ill-formed sequence.
std::string toValidLossy(std::string_view bytes);

// Number of bytes at the end of `bytes` that start a well-formed sequence which is not complete yet (0..3).
size_t incompleteTailLength(std::string_view bytes);

// Decodes into code points; an invalid byte b becomes U+DC00+b (Python's surrogateescape), so
// encodeEscaped(decodeEscaped(s)) == s for any byte string.
std::u32string decodeEscaped(std::string_view s);
// Encodes code points; U+DC80..U+DCFF become the raw bytes 0x80..0xFF (the inverse of decodeEscaped).
std::string encodeEscaped(std::u32string_view s);

// Number of bytes that are not continuation bytes: the number of code points when text is well formed.
size_t codePointCount(std::string_view text);

// pos moved back to the start of the sequence it falls inside (never below `lowest`); text.size() when pos is
// at or past the end.
size_t floorToBoundary(std::string_view text, size_t pos, size_t lowest = 0);

// pos moved forward past continuation bytes, to the next sequence start or text.size().
size_t ceilToBoundary(std::string_view text, size_t pos);

// The longest prefix of text of at most maxBytes that does not end inside a sequence.
std::string_view prefixWithinBytes(std::string_view text, size_t maxBytes);

// The longest suffix of text of at most maxBytes that does not start inside a sequence.
std::string_view suffixWithinBytes(std::string_view text, size_t maxBytes);

} // namespace ts::utf8

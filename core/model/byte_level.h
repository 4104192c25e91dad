// GPT-2 byte-level alphabet (bytes_to_unicode): every byte maps to one printable code point.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ts::byte_level {

// The code point that stands for `byte` (e.g. 0x20 -> U+0120 'Ġ', 0x0A -> U+010A 'Ċ').
char32_t byteToCodePoint(unsigned char byte);

// The byte a code point stands for, or nullopt when it is not in the alphabet.
std::optional<unsigned char> codePointToByte(char32_t cp);

// Maps every byte of `bytes` to its code point, UTF-8 encoded.
std::string encode(std::string_view bytes);
void encodeAppend(std::string& out, std::string_view bytes);

// Maps the code points of a token back to bytes; nullopt when a code point is outside the alphabet.
std::optional<std::string> decode(std::string_view token);

} // namespace ts::byte_level

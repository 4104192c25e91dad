// UTF-8 helpers shared by the tokenizer: code point iteration, encoding and lossy (WHATWG) decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ts::utf8 {

// Length in bytes of the well-formed UTF-8 sequence starting at text[pos], or 0 when it is not well formed.
size_t sequenceLength(std::string_view text, size_t pos);

// Decodes the code point at text[pos] and advances pos. Ill-formed input yields U+FFFD and advances one byte.
char32_t next(std::string_view text, size_t& pos);

void append(std::string& out, char32_t cp);

// True when text is well-formed UTF-8.
bool isValid(std::string_view text);

// Replaces ill-formed sequences by U+FFFD the way the WHATWG decoder (TextDecoder) does: one replacement per
// maximal subpart of an ill-formed sequence.
std::string toValidLossy(std::string_view bytes);

// Number of bytes at the end of `bytes` that start a well-formed sequence which is not complete yet (0..3).
size_t incompleteTailLength(std::string_view bytes);

} // namespace ts::utf8

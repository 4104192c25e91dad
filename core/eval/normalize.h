// Text normalization for lenient comparisons (normalized match, field F1 string values): trim, collapse
// whitespace runs to one space, strip punctuation and quotes around the text ("**Paris.**" -> "Paris").
// Case is folded at comparison time (Unicode simple case folding, see pattern.h).
#pragma once

#include <string>
#include <string_view>

namespace ts::eval {

// Whitespace: ASCII whitespace and U+00A0. Stripped around the text, repeatedly and with whitespace in
// between: . , ; : ! ? " ' ` ( ) [ ] { } * _ and “ ” ‘ ’ « » „ … 。 (a leading '-' or '$' is kept).
std::string normalizeText(std::string_view text);

// normalizeText on both sides, then equal ignoring case.
bool normalizedEquals(std::string_view a, std::string_view b);

} // namespace ts::eval

// Python-compatible string helpers for the Jinja engine: UTF-8 code points, strip, split, case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::jinja::text {

// Python len(str) of the surrogateescape-decoded text (utf8::decodeEscaped): an invalid byte counts as one.
size_t pythonLength(std::string_view s);

bool isSpace(char32_t c); // Python str.isspace()

// str.strip / lstrip / rstrip: whitespace, or the code points in chars when given.
std::string strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right);
// str.split(sep=None, maxsplit=-1) and str.rsplit; an empty sep is rejected by the caller.
std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, long long maxSplit);
std::vector<std::string> splitLines(std::string_view s, bool keepEnds);
std::string replace(std::string_view s, std::string_view from, std::string_view to, long long count);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string capitalize(std::string_view s); // str.capitalize()
std::string pythonTitle(std::string_view s); // str.title()
std::string jinjaTitle(std::string_view s); // the |title filter
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);

} // namespace ts::jinja::text

// PCRE2 wrapper: compile once (JIT if possible), match with per-call match data so matching is thread-safe.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "model/unicode_regex.h"

#include <nlohmann/json.hpp>
#include <pcre2.h>

#include "common/utf8.h"

namespace ts {

struct UnicodeRegex::Code
{
    pcre2_code* code = nullptr;
    explicit Code(pcre2_code* c)
        : code(c)
    { }
    ~Code() { pcre2_code_free(code); }
    Code(const Code&) = delete;
    Code& operator=(const Code&) = delete;
};

namespace {

// Oniguruma's \s includes U+0085 (NEL); PCRE2's UCP \s does not. Widen \s and \S accordingly.
std::string widenWhitespace(std::string_view pattern)
{
    std::string out;
    out.reserve(pattern.size() + 16);
    bool inClass = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char e = pattern[++i];
            if (e == 's')
                out += inClass ? "\\s\\x{85}" : "[\\s\\x{85}]";
            else if (e == 'S' && !inClass)
                out += "[^\\s\\x{85}]";
            else
                out += {'\\', e};
            continue;
        }
        if (c == '[' && !inClass) {
            inClass = true;
            out += c;
            if (i + 1 < pattern.size() && pattern[i + 1] == '^')
                out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') // a ']' first in a class is a literal
                out += pattern[++i];
            continue;
        }
        if (c == ']' && inClass)
            inClass = false;
        out += c;
    }
    return out;
}

std::string escapeLiteral(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

Expected<UnicodeRegex> UnicodeRegex::compile(std::string_view pattern)
{
    const std::string source = widenWhitespace(pattern);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), PCRE2_UTF | PCRE2_UCP,
                                     &errorCode, &errorOffset, nullptr);
    if (!code) {
        PCRE2_UCHAR buffer[256];
        pcre2_get_error_message(errorCode, buffer, sizeof(buffer));
        return makeError("invalid regex '" + std::string(pattern) + "': " + reinterpret_cast<const char*>(buffer));
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // optional: pcre2_match uses the interpreter without it
    UnicodeRegex regex;
    regex.m_code = std::make_shared<const Code>(code);
    return regex;
}

Expected<UnicodeRegex> UnicodeRegex::literal(std::string_view text)
{
    return compile(escapeLiteral(text));
}

std::vector<std::pair<size_t, size_t>> UnicodeRegex::findAll(std::string_view text) const
{
    std::vector<std::pair<size_t, size_t>> matches;
    if (!m_code)
        return matches;
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t start = 0;
    while (start <= text.size()) {
        int rc = pcre2_match(m_code->code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, data, nullptr);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
            rc = pcre2_match(m_code->code, subject, text.size(), start, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, data,
                             nullptr);
        if (rc < 0)
            break; // PCRE2_ERROR_NOMATCH, or a resource limit: treat the rest as unmatched
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
        const size_t begin = ovector[0];
        const size_t end = ovector[1];
        if (end > begin) {
            matches.emplace_back(begin, end);
            start = end;
        } else {
            // Empty match: step over one code point.
            if (begin >= text.size())
                break;
            start = utf8::ceilToBoundary(text, begin + 1);
        }
    }
    pcre2_match_data_free(data);
    return matches;
}

std::string UnicodeRegex::replaceAll(std::string_view text, std::string_view replacement) const
{
    std::string out;
    size_t prev = 0;
    for (const auto& [begin, end] : findAll(text)) {
        out.append(text.substr(prev, begin - prev));
        out.append(replacement);
        prev = end;
    }
    out.append(text.substr(prev));
    return out;
}

bool UnicodeRegex::matchesWhole(std::string_view text) const
{
    auto matches = findAll(text);
    return matches.size() == 1 && matches[0].first == 0 && matches[0].second == text.size();
}

// {"String": "x"} or {"Regex": "x"} as used by Replace and Split.
Expected<UnicodeRegex> patternFromJson(const nlohmann::json& pattern, const std::string& where)
{
    if (pattern.is_object() && pattern.contains("String") && pattern["String"].is_string())
        return UnicodeRegex::literal(pattern["String"].get<std::string>());
    if (pattern.is_object() && pattern.contains("Regex") && pattern["Regex"].is_string()) {
        auto regex = UnicodeRegex::compile(pattern["Regex"].get<std::string>());
        if (!regex)
            return makeError(where + ": " + regex.error().message);
        return regex;
    }
    return makeError(where + ": expected {\"String\": ...} or {\"Regex\": ...}");
}

} // namespace ts

// PCRE2 wrapper for user patterns; see pattern.h.
#include "eval/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ts::eval {

namespace {

pcre2_code* codeOf(const std::shared_ptr<void>& code)
{
    return static_cast<pcre2_code*>(code.get());
}

} // namespace

Expected<Pattern> Pattern::compile(std::string_view pattern, PatternOptions options)
{
    return build(pattern, options, false);
}

Expected<Pattern> Pattern::literal(std::string_view text, PatternOptions options)
{
    return build(text, options, true);
}

Expected<Pattern> Pattern::build(std::string_view pattern, PatternOptions options, bool literal)
{
    // PCRE2_UCP (Unicode \w, \d, \b) is not allowed with PCRE2_LITERAL; caseless UTF matching folds
    // Unicode case either way.
    uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP);
    if (!options.caseSensitive)
        flags |= PCRE2_CASELESS;
    if (options.fullMatch)
        flags |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    static const char empty[] = "";
    const char* source = pattern.data() ? pattern.data() : empty; // PCRE2 refuses a null pointer
    pcre2_code* code
        = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source), pattern.size(), flags, &errorCode, &errorOffset, nullptr);
    if (!code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof(message));
        return makeError("invalid regex '" + std::string(pattern) + "' at offset " + std::to_string(errorOffset) + ": "
                         + reinterpret_cast<const char*>(message));
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // optional: matching falls back to the interpreter
    Pattern result;
    result.m_code = std::shared_ptr<void>(code, [](void* p) { pcre2_code_free(static_cast<pcre2_code*>(p)); });
    return result;
}

bool Pattern::matches(std::string_view text) const
{
    if (!m_code)
        return false;
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(codeOf(m_code), nullptr);
    static const char empty[] = "";
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data() ? text.data() : empty);
    int rc = pcre2_match(codeOf(m_code), subject, text.size(), 0, 0, data, nullptr);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(codeOf(m_code), subject, text.size(), 0, PCRE2_NO_JIT, data, nullptr);
    pcre2_match_data_free(data);
    return rc >= 0; // no match, or a resource limit hit: not a match
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    auto pattern = Pattern::literal(b, {.caseSensitive = false, .fullMatch = true});
    return pattern && pattern->matches(a);
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    auto pattern = Pattern::literal(needle, {.caseSensitive = false, .fullMatch = false});
    return pattern && pattern->matches(haystack);
}

} // namespace ts::eval

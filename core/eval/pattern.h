// A user-written PCRE2 pattern (a regex scorer's, a JSON Schema "pattern"), compiled once and searched
// in model output. UTF-8 with Unicode classes; output that is not valid UTF-8 is still searched (the
// invalid bytes never match). Also literal, Unicode case-insensitive equality and containment.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/expected.h"

namespace ts::eval {

struct PatternOptions
{
    bool caseSensitive = true;
    bool fullMatch = false; // the whole text must match, not just a part of it
};

class Pattern
{
public:
    // A bad pattern is an error naming the pattern, PCRE2's message and the offset of the problem.
    static Expected<Pattern> compile(std::string_view pattern, PatternOptions options = {});
    // `text` itself, matched literally (used for case-insensitive comparisons).
    static Expected<Pattern> literal(std::string_view text, PatternOptions options = {});

    bool matches(std::string_view text) const;

private:
    static Expected<Pattern> build(std::string_view pattern, PatternOptions options, bool literal);

    std::shared_ptr<void> m_code; // the pcre2_code, freed with pcre2_code_free
};

// Unicode simple case folding (PCRE2's caseless matching), so "ÉTÉ" equals "été".
bool equalsIgnoringCase(std::string_view a, std::string_view b);
bool containsIgnoringCase(std::string_view haystack, std::string_view needle);

} // namespace ts::eval

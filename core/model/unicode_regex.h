// A compiled PCRE2 pattern with Unicode classes (UTF + UCP, JIT when available), used by Split and Replace.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

class UnicodeRegex
{
public:
    // Compiles an Oniguruma-style pattern as found in tokenizer.json. \s also matches U+0085 (as in Oniguruma).
    static Expected<UnicodeRegex> compile(std::string_view pattern);
    // A pattern that matches `text` literally.
    static Expected<UnicodeRegex> literal(std::string_view text);

    // Non-empty, non-overlapping matches as [begin, end) byte offsets, left to right. `text` must be valid UTF-8.
    std::vector<std::pair<size_t, size_t>> findAll(std::string_view text) const;
    std::string replaceAll(std::string_view text, std::string_view replacement) const;
    bool matchesWhole(std::string_view text) const;

private:
    struct Code;
    std::shared_ptr<const Code> m_code;
};

// {"String": "..."} (literal) or {"Regex": "..."} as used by Split and Replace; `where` prefixes errors.
Expected<UnicodeRegex> patternFromJson(const nlohmann::json& pattern, const std::string& where);

} // namespace ts

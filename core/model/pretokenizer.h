// tokenizer.json pre-tokenizers: Split (PCRE2 regex), ByteLevel, Metaspace, Digits, Whitespace(Split), Sequence.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

class PreTokenizer
{
public:
    virtual ~PreTokenizer() = default;
    // Splits every piece further (in place). `atInputStart`: the first piece begins the input text (used by
    // Metaspace prepend_scheme "first").
    virtual void preTokenize(std::vector<std::string>& pieces, bool atInputStart) const = 0;
};

// Builds the pre-tokenizer described by `config` (null gives nullptr); `where` names the file and JSON path.
Expected<std::unique_ptr<PreTokenizer>> makePreTokenizer(const nlohmann::json& config, const std::string& where);

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// Splits `text` at the given matches ([begin, end) byte offsets) the way tokenizers' NormalizedString::split does.
std::vector<std::string> splitWithBehavior(std::string_view text, const std::vector<std::pair<size_t, size_t>>& matches,
                                           SplitBehavior behavior, bool invert);

} // namespace ts

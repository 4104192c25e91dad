// Word-level diff of two texts (for showing how two prompt variants' outputs differ): the texts are cut into
// tokens — runs of letters/digits (any non-ASCII byte counts as a letter, so UTF-8 words stay whole), single
// punctuation characters, and runs of whitespace — and the longest common subsequence of the non-space tokens
// decides which tokens are kept and which changed. Each side comes back as segments that cover its text exactly
// (joining them gives the text back), adjacent tokens of the same kind merged.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ts::promptlab {

struct DiffSegment
{
    std::string text;
    bool changed = false; // not in the other text (whitespace is never changed)
    bool operator==(const DiffSegment&) const = default;
};

struct WordDiff
{
    std::vector<DiffSegment> a; // the first text: changed = removed in the second
    std::vector<DiffSegment> b; // the second text: changed = added
    size_t changedA = 0; // changed tokens (words or punctuation) on each side
    size_t changedB = 0;
    bool identical() const { return changedA == 0 && changedB == 0; }
};

// Tokens of `text` as described above (whitespace runs included), in order.
std::vector<std::string_view> diffTokens(std::string_view text);

// The LCS table is limited to `maxCells` entries after the common prefix and suffix are stripped; beyond that
// the whole differing middle is marked changed (still exact, only coarser).
WordDiff diffWords(std::string_view a, std::string_view b, size_t maxCells = 4'000'000);

} // namespace ts::promptlab

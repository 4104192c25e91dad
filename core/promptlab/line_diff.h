// Line diff of two texts (a prompt version against another): the longest common subsequence of their lines
// decides which lines are kept; the rest are removed (only in the first text) or added (only in the second).
// The result walks both texts in order, each removal before the additions that replace it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ts::promptlab {

enum class LineChange { Kept, Removed, Added };

struct DiffLine
{
    LineChange change = LineChange::Kept;
    std::string text; // without its newline
    bool operator==(const DiffLine&) const = default;
};

struct LineDiff
{
    std::vector<DiffLine> lines;
    size_t removed = 0;
    size_t added = 0;
    bool identical() const { return removed == 0 && added == 0; }
};

// Lines are split at '\n'; a final newline does not make an empty last line.
std::vector<std::string_view> splitLines(std::string_view text);

LineDiff diffLines(std::string_view before, std::string_view after);

} // namespace ts::promptlab

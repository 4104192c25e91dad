// diffLines: common leading and trailing lines are kept as they are; the middle goes through an LCS table
// (prompt definitions are a few hundred lines at most, so the quadratic table stays small).
#include "promptlab/line_diff.h"

#include <algorithm>
#include <cstdint>

namespace ts::promptlab {

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

LineDiff diffLines(std::string_view before, std::string_view after)
{
    const auto a = splitLines(before);
    const auto b = splitLines(after);
    LineDiff out;
    auto emit = [&out](LineChange change, std::string_view text) {
        out.lines.push_back({change, std::string(text)});
        if (change == LineChange::Removed)
            ++out.removed;
        else if (change == LineChange::Added)
            ++out.added;
    };
    size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    for (size_t i = 0; i < prefix; ++i)
        emit(LineChange::Kept, a[i]);

    const size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
    // common[i][j]: LCS length of the middle lines a[prefix+i..] and b[prefix+j..].
    std::vector<uint32_t> common((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return common[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    std::vector<std::string_view> pendingAdds; // emitted after the removals they replace
    auto flushAdds = [&] {
        for (std::string_view line : pendingAdds)
            emit(LineChange::Added, line);
        pendingAdds.clear();
    };
    while (i < n || j < m) {
        if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
            flushAdds();
            emit(LineChange::Kept, a[prefix + i]);
            ++i;
            ++j;
        } else if (j >= m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
            emit(LineChange::Removed, a[prefix + i++]);
        } else {
            pendingAdds.push_back(b[prefix + j++]);
        }
    }
    flushAdds();
    for (size_t k = a.size() - suffix; k < a.size(); ++k)
        emit(LineChange::Kept, a[k]);
    return out;
}

} // namespace ts::promptlab

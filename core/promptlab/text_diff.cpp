// diffWords: tokenize, strip the common prefix and suffix, LCS over the middle (non-space tokens), then walk the
// table back to mark every token kept or changed and merge neighbours into segments.
#include "promptlab/text_diff.h"

#include <algorithm>
#include <cstdint>

namespace ts::promptlab {

namespace {

enum class CharClass { Word, Space, Punct };

CharClass classOf(unsigned char c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return CharClass::Space;
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return CharClass::Word;
    return CharClass::Punct;
}

bool isSpace(std::string_view token)
{
    return !token.empty() && classOf(static_cast<unsigned char>(token.front())) == CharClass::Space;
}

void append(std::vector<DiffSegment>& out, std::string_view token, bool changed)
{
    if (!out.empty() && out.back().changed == changed)
        out.back().text.append(token);
    else
        out.push_back({std::string(token), changed});
}

// Marks for the non-space tokens of a and b (true = changed); space tokens are left false.
void lcsMarks(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b, std::vector<bool>& markA,
              std::vector<bool>& markB, size_t maxCells)
{
    std::vector<size_t> wa, wb; // indices of the non-space tokens
    for (size_t i = 0; i < a.size(); ++i)
        if (!isSpace(a[i]))
            wa.push_back(i);
    for (size_t j = 0; j < b.size(); ++j)
        if (!isSpace(b[j]))
            wb.push_back(j);
    const size_t n = wa.size(), m = wb.size();
    if (n == 0 || m == 0 || (n + 1) * (m + 1) > maxCells) {
        for (size_t i : wa)
            markA[i] = true;
        for (size_t j : wb)
            markB[j] = true;
        return;
    }
    // len[i][j]: LCS of wa[i..] and wb[j..].
    std::vector<uint32_t> len((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return len[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            at(i, j) = a[wa[i]] == b[wb[j]] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n && j < m) {
        if (a[wa[i]] == b[wb[j]]) {
            ++i;
            ++j;
        } else if (at(i + 1, j) >= at(i, j + 1)) {
            markA[wa[i++]] = true;
        } else {
            markB[wb[j++]] = true;
        }
    }
    for (; i < n; ++i)
        markA[wa[i]] = true;
    for (; j < m; ++j)
        markB[wb[j]] = true;
}

} // namespace

std::vector<std::string_view> diffTokens(std::string_view text)
{
    std::vector<std::string_view> tokens;
    size_t i = 0;
    while (i < text.size()) {
        const CharClass c = classOf(static_cast<unsigned char>(text[i]));
        size_t j = i + 1;
        if (c != CharClass::Punct)
            while (j < text.size() && classOf(static_cast<unsigned char>(text[j])) == c)
                ++j;
        tokens.push_back(text.substr(i, j - i));
        i = j;
    }
    return tokens;
}

WordDiff diffWords(std::string_view a, std::string_view b, size_t maxCells)
{
    const auto ta = diffTokens(a), tb = diffTokens(b);
    size_t prefix = 0;
    while (prefix < ta.size() && prefix < tb.size() && ta[prefix] == tb[prefix])
        ++prefix;
    size_t suffix = 0;
    while (suffix < ta.size() - prefix && suffix < tb.size() - prefix
           && ta[ta.size() - 1 - suffix] == tb[tb.size() - 1 - suffix])
        ++suffix;
    const std::vector<std::string_view> midA(ta.begin() + prefix, ta.end() - suffix);
    const std::vector<std::string_view> midB(tb.begin() + prefix, tb.end() - suffix);
    std::vector<bool> markA(midA.size(), false), markB(midB.size(), false);
    lcsMarks(midA, midB, markA, markB, maxCells);

    WordDiff out;
    auto build = [](const std::vector<std::string_view>& tokens, size_t prefix, size_t suffix,
                    const std::vector<bool>& marks, std::vector<DiffSegment>& segments, size_t& changed) {
        for (size_t k = 0; k < tokens.size(); ++k) {
            const bool inMiddle = k >= prefix && k < tokens.size() - suffix;
            const bool mark = inMiddle && marks[k - prefix];
            changed += mark ? 1 : 0;
            append(segments, tokens[k], mark);
        }
    };
    build(ta, prefix, suffix, markA, out.a, out.changedA);
    build(tb, prefix, suffix, markB, out.b, out.changedB);
    return out;
}

} // namespace ts::promptlab

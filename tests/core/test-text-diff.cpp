// Word-level diff (promptlab/text_diff.h): tokens, exact reconstruction of both sides, the words marked changed
// against a hand-worked LCS, JSON punctuation as separate tokens, UTF-8 words kept whole, the size fallback.
#include <gtest/gtest.h>

#include "promptlab/text_diff.h"

using namespace ts::promptlab;

namespace {

std::string joined(const std::vector<DiffSegment>& segments)
{
    std::string out;
    for (const auto& s : segments)
        out += s.text;
    return out;
}

std::vector<std::string> changedTexts(const std::vector<DiffSegment>& segments)
{
    std::vector<std::string> out;
    for (const auto& s : segments)
        if (s.changed)
            out.push_back(s.text);
    return out;
}

} // namespace

TEST(TextDiff, TokensSplitWordsPunctuationAndSpace)
{
    const auto tokens = diffTokens("{\"a\": 12,  x_y}\n");
    const std::vector<std::string_view> expected {"{", "\"", "a", "\"", ":", " ", "12", ",", "  ", "x_y", "}", "\n"};
    EXPECT_EQ(tokens, expected);
    EXPECT_TRUE(diffTokens("").empty());
}

TEST(TextDiff, IdenticalTextsHaveNoChanges)
{
    const auto d = diffWords("the same words", "the same words");
    EXPECT_TRUE(d.identical());
    ASSERT_EQ(d.a.size(), 1u);
    EXPECT_EQ(d.a[0], (DiffSegment {"the same words", false}));
    EXPECT_EQ(d.b, d.a);
}

TEST(TextDiff, MarksReplacedWordsOnBothSides)
{
    const auto d = diffWords("the big red dog barks", "the small red dog barks loudly");
    EXPECT_EQ(joined(d.a), "the big red dog barks");
    EXPECT_EQ(joined(d.b), "the small red dog barks loudly");
    EXPECT_EQ(changedTexts(d.a), (std::vector<std::string> {"big"}));
    EXPECT_EQ(changedTexts(d.b), (std::vector<std::string> {"small", "loudly"}));
    EXPECT_EQ(d.changedA, 1u);
    EXPECT_EQ(d.changedB, 2u);
    EXPECT_FALSE(d.identical());
}

TEST(TextDiff, LongestCommonSubsequenceKeepsTheMostWords)
{
    // LCS of (a b c d e) and (b x d e a) is (b d e): a and c removed; x and the trailing a added.
    const auto d = diffWords("a b c d e", "b x d e a");
    EXPECT_EQ(changedTexts(d.a), (std::vector<std::string> {"a", "c"}));
    EXPECT_EQ(changedTexts(d.b), (std::vector<std::string> {"x", "a"}));
}

TEST(TextDiff, WhitespaceDifferencesAreNotChanges)
{
    const auto d = diffWords("one  two\nthree", "one two three");
    EXPECT_TRUE(d.identical());
    EXPECT_EQ(joined(d.a), "one  two\nthree");
}

TEST(TextDiff, JsonValuesDifferTokenByToken)
{
    const auto d = diffWords(R"({"amount":4250,"currency":"USD"})", R"({"amount":4250,"currency":null})");
    EXPECT_EQ(changedTexts(d.a), (std::vector<std::string> {"\"USD\""}));
    EXPECT_EQ(changedTexts(d.b), (std::vector<std::string> {"null"}));
    EXPECT_EQ(d.changedA, 3u); // " USD "
    EXPECT_EQ(d.changedB, 1u);
}

TEST(TextDiff, Utf8WordsStayWhole)
{
    const auto d = diffWords("Schaden über Wasser", "Schaden unter Wasser");
    EXPECT_EQ(changedTexts(d.a), (std::vector<std::string> {"über"}));
    EXPECT_EQ(changedTexts(d.b), (std::vector<std::string> {"unter"}));
}

TEST(TextDiff, EmptySides)
{
    const auto d = diffWords("", "new words");
    EXPECT_TRUE(d.a.empty());
    EXPECT_EQ(joined(d.b), "new words");
    EXPECT_EQ(d.changedB, 2u);
    EXPECT_TRUE(diffWords("", "").identical());
}

TEST(TextDiff, OverTheSizeLimitTheMiddleIsChangedAsAWhole)
{
    const auto d = diffWords("keep a b c keep", "keep c b a keep", 4);
    EXPECT_EQ(joined(d.a), "keep a b c keep");
    EXPECT_EQ(changedTexts(d.a), (std::vector<std::string> {"a", "b", "c"}));
    EXPECT_EQ(changedTexts(d.b), (std::vector<std::string> {"c", "b", "a"}));
    // With room for the table, only the reordering shows: LCS keeps one of a, b, c.
    const auto full = diffWords("keep a b c keep", "keep c b a keep");
    EXPECT_EQ(full.changedA, 2u);
    EXPECT_EQ(full.changedB, 2u);
}

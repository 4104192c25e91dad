// Dataset overview on a small set whose counts were worked out by hand: splits, tags, exact and near duplicates,
// token lengths and their histogram; the shingle Jaccard similarity it rests on.
#include <gtest/gtest.h>

#include <map>

#include "data/dataset_overview.h"
#include "data/near_duplicates.h"

using namespace ts;

namespace {

Example make(int64_t id, const std::string& input, const std::string& output, Split split,
             std::vector<std::string> tags = {})
{
    Example e;
    e.id = id;
    e.messages = {{"user", input}, {"assistant", output}};
    e.split = split;
    e.tags = std::move(tags);
    return e;
}

const std::string kLong = "The customer writes that the March invoice was charged twice to the same card and asks "
                          "for the second charge of 49.90 euros to be refunded before the end of the month.";

std::vector<Example> handCountedSet()
{
    return {
        make(1, "What is 2+2?", "4", Split::Train, {"math"}),
        make(2, "What  is 2+2? ", "4", Split::Eval, {"math"}), // exact copy of 1 after whitespace normalisation
        make(3, "what is 2+2?", "4", Split::Train), // differs from 1 in case only: a near duplicate
        make(4, kLong, "refund", Split::Train, {"billing", "refund"}),
        make(5, kLong + "!", "refund", Split::Train, {"billing"}), // one character more: a near duplicate of 4
        make(6, "Translate 'hello' to French.", "Bonjour.", Split::Test),
        make(7, "Summarize: cats sleep a lot.", "Cats sleep.", Split::Train),
        make(8, "Summarize: dogs bark a lot.", "Dogs bark.", Split::Eval),
    };
}

// Whitespace-separated words of input and output: a counter whose results are easy to check by hand.
Expected<int64_t> countWords(const Example& e)
{
    if (e.id == 6)
        return Error {"no template for this one"};
    int64_t words = 0;
    for (const std::string& text : {e.input(), e.output()}) {
        bool inWord = false;
        for (char c : text) {
            const bool space = c == ' ' || c == '\n';
            words += (!space && !inWord) ? 1 : 0;
            inWord = !space;
        }
    }
    return words;
}

} // namespace

TEST(DatasetOverview, CountsSplitsAndTags)
{
    auto overview = computeDatasetOverview(handCountedSet());
    ASSERT_TRUE(overview) << overview.error().message;
    EXPECT_EQ(overview->total, 8);
    EXPECT_EQ(overview->train, 5); // 1 3 4 5 7
    EXPECT_EQ(overview->eval, 2); // 2 8
    EXPECT_EQ(overview->test, 1); // 6
    EXPECT_EQ(overview->untagged, 4); // 3 6 7 8
    ASSERT_EQ(overview->tags.size(), 3u);
    EXPECT_EQ(overview->tags[0].tag, "billing"); // 2, ties by name
    EXPECT_EQ(overview->tags[0].count, 2);
    EXPECT_EQ(overview->tags[1].tag, "math");
    EXPECT_EQ(overview->tags[1].count, 2);
    EXPECT_EQ(overview->tags[2].tag, "refund");
    EXPECT_EQ(overview->tags[2].count, 1);
    EXPECT_TRUE(overview->tokenLengths.empty()); // no counter given
}

TEST(DatasetOverview, FindsExactAndNearDuplicates)
{
    auto overview = computeDatasetOverview(handCountedSet());
    ASSERT_TRUE(overview) << overview.error().message;
    EXPECT_EQ(overview->exactDuplicateGroups, (std::vector<std::vector<int64_t>> {{1, 2}}));
    EXPECT_EQ(overview->exactDuplicates, 1);
    // 1 stands for its exact group {1, 2}; 7 and 8 share a frame but differ in most shingles.
    EXPECT_EQ(overview->nearDuplicateGroups, (std::vector<std::vector<int64_t>> {{1, 3}, {4, 5}}));
    EXPECT_EQ(overview->nearDuplicates, 2);
}

TEST(DatasetOverview, ThresholdDecidesNearDuplicates)
{
    const std::string a = normalizeForComparison(kLong + "\nrefund", true);
    const std::string b = normalizeForComparison(kLong + "!\nrefund", true);
    const double similarity = jaccardSimilarity(shingleHashes(a, 5), shingleHashes(b, 5));
    // The "!" replaces the 4 shingles across "...th.\nr" with 5 new ones: about 0.94.
    EXPECT_GT(similarity, 0.9);
    EXPECT_LT(similarity, 0.95);
    DatasetOverviewOptions strict;
    strict.nearDuplicates.threshold = 0.95;
    auto overview = computeDatasetOverview(handCountedSet(), strict);
    ASSERT_TRUE(overview);
    EXPECT_EQ(overview->nearDuplicateGroups, (std::vector<std::vector<int64_t>> {{1, 3}})); // case only: identical
}

TEST(DatasetOverview, TokenLengthsAndFailuresToCount)
{
    DatasetOverviewOptions options;
    options.countTokens = countWords;
    auto overview = computeDatasetOverview(handCountedSet(), options);
    ASSERT_TRUE(overview);
    ASSERT_EQ(overview->tokenLengths.size(), 8u);
    EXPECT_EQ(overview->ids, (std::vector<int64_t> {1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(overview->tokenLengths[0], 4); // What is 2+2? | 4
    EXPECT_EQ(overview->tokenLengths[5], -1);
    EXPECT_EQ(overview->tokenLengths[6], 7); // Summarize: cats sleep a lot. | Cats sleep.
    EXPECT_EQ(overview->uncounted, 1);
    EXPECT_EQ(overview->firstCountError, "no template for this one");
}

TEST(DatasetOverview, HistogramUsesRoundBinsAndCountsLongOnes)
{
    const std::vector<int64_t> lengths {0, 3, 9, 10, 25, -1};
    const auto bins = lengthHistogram(lengths, 5);
    ASSERT_EQ(bins.size(), 3u); // longest 25: width 10 (25 / 5 rounded up to 1, 2 or 5 × 10^k)
    EXPECT_EQ(bins[0].from, 0);
    EXPECT_EQ(bins[0].to, 10);
    EXPECT_EQ(bins[0].count, 3);
    EXPECT_EQ(bins[1].count, 1);
    EXPECT_EQ(bins[2].from, 20);
    EXPECT_EQ(bins[2].count, 1);
    EXPECT_EQ(countLongerThan(lengths, 9), 2);
    EXPECT_EQ(countLongerThan(lengths, 25), 0);
    EXPECT_TRUE(lengthHistogram({-1}, 5).empty());
}

TEST(NearDuplicates, ShinglesAndJaccard)
{
    EXPECT_EQ(shingleHashes("abcdef", 5).size(), 2u); // abcde, bcdef
    EXPECT_DOUBLE_EQ(jaccardSimilarity(shingleHashes("abcdef", 5), shingleHashes("abcdeg", 5)), 1.0 / 3.0);
    EXPECT_EQ(shingleHashes("abc", 5).size(), 1u); // shorter than a shingle: one
    EXPECT_EQ(normalizeForComparison("  A\t b \n\nC ", true), "a b c");
    EXPECT_EQ(normalizeForComparison("  A\t b ", false), "A b");
}

TEST(NearDuplicates, MinHashFindsWhatComparingAllPairsFinds)
{
    // 300 texts with families of close variants: the banded MinHash candidates must miss no pair at >= 0.9.
    std::vector<std::string> texts;
    for (int i = 0; i < 300; ++i) {
        std::string base = "ticket " + std::to_string(i / 3) + ": the parcel with order number "
            + std::to_string(100000 + (i / 3) * 7919) + " arrived damaged and the customer wants a replacement";
        if (i % 3 == 1)
            base += ".";
        if (i % 3 == 2)
            base += " soon, please, with a different carrier this time";
        texts.push_back(normalizeForComparison(base, true));
    }
    std::vector<std::vector<uint64_t>> sets;
    for (const auto& t : texts)
        sets.push_back(shingleHashes(t, 5));
    std::vector<size_t> root(texts.size());
    for (size_t i = 0; i < texts.size(); ++i)
        root[i] = i;
    const auto find = [&root](size_t x) {
        while (root[x] != x)
            x = root[x];
        return x;
    };
    for (size_t i = 0; i < texts.size(); ++i)
        for (size_t j = i + 1; j < texts.size(); ++j)
            if (jaccardSimilarity(sets[i], sets[j]) >= 0.9) {
                const size_t a = find(i), b = find(j);
                root[std::max(a, b)] = std::min(a, b);
            }
    std::map<size_t, std::vector<size_t>> expected;
    for (size_t i = 0; i < texts.size(); ++i)
        expected[find(i)].push_back(i);
    std::vector<std::vector<size_t>> bruteForce;
    for (auto& [r, members] : expected)
        if (members.size() > 1)
            bruteForce.push_back(members);

    auto groups = findNearDuplicateGroups(texts);
    ASSERT_TRUE(groups);
    EXPECT_FALSE(bruteForce.empty()); // the "." variants are near duplicates of their base
    EXPECT_EQ(*groups, bruteForce);

    CancelToken cancel;
    cancel.requestStop();
    EXPECT_FALSE(findNearDuplicateGroups(texts, {}, &cancel));
}

// Dedupe of synthetic rows (core/synth): recall and false merges on constructed pairs of known Jaccard similarity,
// exact duplicates up to case and spacing, the earliest row kept, chains, leaks into the eval/test splits, cancel.
#include <cstdio>
#include <map>

#include <gtest/gtest.h>

#include "data/near_duplicates.h"
#include "instruction_text_generator.h"
#include "synth/synthetic_dedupe.h"

using namespace ts;
using namespace ts::synth;

namespace {

double trueJaccard(const std::string& a, const std::string& b)
{
    return jaccardSimilarity(shingleHashes(normalizeForComparison(a, true), 5),
                             shingleHashes(normalizeForComparison(b, true), 5));
}

// The row a verdict's cluster keeps.
int64_t keptRow(const DedupeVerdict& verdict)
{
    return verdict.kind == DuplicateKind::Exact || verdict.kind == DuplicateKind::Near ? verdict.duplicateOfRowId
                                                                                       : verdict.rowId;
}

std::vector<DedupeVerdict> dedupe(const std::vector<ReferenceText>& references,
                                  const std::vector<CandidateText>& candidates, const DedupeOptions& options = {})
{
    auto verdicts = dedupeSynthetic(references, candidates, options);
    EXPECT_TRUE(verdicts) << (verdicts ? "" : verdicts.error().message);
    if (!verdicts)
        return {};
    EXPECT_EQ(verdicts->size(), candidates.size());
    return *verdicts;
}

struct PairTally
{
    int pairs = 0;
    int merged = 0;
};

} // namespace

TEST(SynthDedupe, BandLayoutProposesPairsAtTheThreshold)
{
    EXPECT_EQ(lshBandsFor(0.8).bands, 16);
    EXPECT_EQ(lshBandsFor(0.8).rows, 6);
    for (double threshold : {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95}) {
        const LshBands layout = lshBandsFor(threshold);
        EXPECT_LE(layout.bands * layout.rows, 96) << threshold;
        EXPECT_GE(lshCandidateProbability(layout, threshold), 0.99) << threshold;
        // The most rows per band that still reach 0.99: one more row would miss it (or exceed 8 rows).
        const LshBands tighter {96 / (layout.rows + 1), layout.rows + 1};
        EXPECT_TRUE(layout.rows == 8 || lshCandidateProbability(tighter, threshold) < 0.99) << threshold;
    }
}

// A few thousand constructed pairs, 50–400 characters, bucketed by their true Jaccard: at threshold 0.8 at least 95%
// of the pairs at 0.8 or above end in one cluster (per kind of change), and no pair below 0.5 does.
TEST(SynthDedupe, ConstructedPairsRecallAboveAndNoMergeBelow)
{
    tstest::InstructionTextGenerator generator(20250613);
    enum Change { CharacterEdits, WordReorders, WordSubstitutions };
    const char* changeNames[] = {"character edits", "word reorders", "word substitutions"};
    std::vector<CandidateText> candidates;
    std::vector<std::pair<Change, double>> pairs; // the change and true Jaccard of pair p: candidates 2p and 2p+1
    for (int p = 0; p < 3600; ++p) {
        const auto change = static_cast<Change>(p % 3);
        const std::string base = generator.text(50, 400);
        const size_t words = static_cast<size_t>(std::count(base.begin(), base.end(), ' ')) + 1;
        std::string variant;
        if (change == CharacterEdits)
            variant = generator.editCharacters(base, 1 + static_cast<int>(generator.pick(base.size() / 10 + 1)));
        else if (change == WordReorders)
            variant = generator.reorderWords(base, 1 + static_cast<int>(generator.pick(words / 3 + 1)));
        else
            variant = generator.substituteWords(base, 1 + static_cast<int>(generator.pick(words / 4 + 1)));
        pairs.emplace_back(change, trueJaccard(base, variant));
        candidates.push_back({100000 + 2 * p, base});
        candidates.push_back({100000 + 2 * p + 1, variant});
    }

    const auto verdicts = dedupe({}, candidates);
    ASSERT_EQ(verdicts.size(), candidates.size());
    std::map<Change, PairTally> above; // true Jaccard ≥ 0.8
    PairTally middle, below; // 0.5..0.8, < 0.5
    for (size_t p = 0; p < pairs.size(); ++p) {
        const auto [change, jaccard] = pairs[p];
        const bool merged = keptRow(verdicts[2 * p]) == keptRow(verdicts[2 * p + 1]);
        PairTally& tally = jaccard >= 0.8 ? above[change] : jaccard >= 0.5 ? middle : below;
        ++tally.pairs;
        tally.merged += merged ? 1 : 0;
        if (merged && jaccard < 0.5)
            ADD_FAILURE() << "pair " << p << " (" << changeNames[change] << ", Jaccard " << jaccard << ") merged";
    }
    for (auto change : {CharacterEdits, WordReorders, WordSubstitutions}) {
        const PairTally& tally = above[change];
        std::printf("%-18s pairs at Jaccard >= 0.8: %4d, merged %4d (recall %.4f)\n", changeNames[change], tally.pairs,
                    tally.merged, tally.pairs ? double(tally.merged) / tally.pairs : 0.0);
        ASSERT_GE(tally.pairs, 200) << changeNames[change] << ": too few pairs at Jaccard >= 0.8 to measure recall";
        EXPECT_GE(double(tally.merged) / tally.pairs, 0.95) << changeNames[change];
    }
    std::printf("pairs at Jaccard 0.5-0.8: %d (merged %d); below 0.5: %d (merged %d)\n", middle.pairs, middle.merged,
                below.pairs, below.merged);
    ASSERT_GE(below.pairs, 200) << "too few pairs below Jaccard 0.5 to show that none merge";
    EXPECT_EQ(below.merged, 0);
}

TEST(SynthDedupe, ExactDuplicatesIgnoreCaseAndSpacing)
{
    tstest::InstructionTextGenerator generator(7);
    const std::string text = generator.text(120, 200);
    const std::string other = generator.text(120, 200);
    const auto verdicts
        = dedupe({}, {{11, text}, {12, other}, {13, generator.changeCaseAndSpacing(text)}}, {.threshold = 1.0});
    ASSERT_EQ(verdicts.size(), 3u);
    EXPECT_EQ(verdicts[0].kind, DuplicateKind::Unique);
    EXPECT_EQ(verdicts[1].kind, DuplicateKind::Unique);
    EXPECT_EQ(verdicts[2].kind, DuplicateKind::Exact);
    EXPECT_EQ(verdicts[2].duplicateOfRowId, 11);
    EXPECT_DOUBLE_EQ(verdicts[2].similarity, 1.0);
    EXPECT_EQ(verdicts[2].reason, "exact duplicate of synthetic row 11 (same text up to case and whitespace)");
    EXPECT_EQ(duplicateKindName(verdicts[2].kind), "exact");
}

TEST(SynthDedupe, TheEarliestRowIsKeptWhateverItsId)
{
    tstest::InstructionTextGenerator generator(8);
    const std::string text = generator.text(200, 300);
    const std::string near = generator.editCharacters(text, 2);
    const double jaccard = trueJaccard(text, near);
    ASSERT_GE(jaccard, 0.8);
    ASSERT_LT(jaccard, 1.0);
    // Row 50 was made first, then 7 (a near copy), then 9 (an exact copy of 7).
    const auto verdicts = dedupe({}, {{50, text}, {7, near}, {9, near}});
    ASSERT_EQ(verdicts.size(), 3u);
    EXPECT_EQ(verdicts[0].kind, DuplicateKind::Unique);
    EXPECT_EQ(verdicts[0].reason, "unique");
    EXPECT_EQ(verdicts[1].kind, DuplicateKind::Near);
    EXPECT_EQ(verdicts[1].duplicateOfRowId, 50);
    EXPECT_NEAR(verdicts[1].similarity, jaccard, 1e-12);
    char expected[96];
    std::snprintf(expected, sizeof expected, "near duplicate of synthetic row 50 (Jaccard %.2f)", jaccard);
    EXPECT_EQ(verdicts[1].reason, expected);
    // An exact copy of a near duplicate points at the cluster's earliest row, as a near duplicate of it.
    EXPECT_EQ(verdicts[2].kind, DuplicateKind::Near);
    EXPECT_EQ(verdicts[2].duplicateOfRowId, 50);
    EXPECT_EQ(duplicateKindName(verdicts[2].kind), "near");
}

TEST(SynthDedupe, AChainIsOneCluster)
{
    tstest::InstructionTextGenerator generator(9);
    // a ~ b and b ~ c at 0.8 or more, a and c below: edits at opposite ends of a long text.
    const std::string a = generator.text(390, 400);
    const std::string b = generator.editCharacters(a.substr(0, 200), 7) + a.substr(200);
    const std::string c = b.substr(0, 200) + generator.editCharacters(b.substr(200), 7);
    ASSERT_GE(trueJaccard(a, b), 0.8);
    ASSERT_GE(trueJaccard(b, c), 0.8);
    ASSERT_LT(trueJaccard(a, c), 0.8);
    const auto verdicts = dedupe({}, {{1, a}, {2, b}, {3, c}});
    ASSERT_EQ(verdicts.size(), 3u);
    EXPECT_EQ(verdicts[0].kind, DuplicateKind::Unique);
    EXPECT_EQ(verdicts[1].duplicateOfRowId, 1);
    EXPECT_EQ(verdicts[2].kind, DuplicateKind::Near);
    EXPECT_EQ(verdicts[2].duplicateOfRowId, 1);
    EXPECT_NEAR(verdicts[2].similarity, trueJaccard(a, c), 1e-12);
    EXPECT_NE(verdicts[2].reason.find("through a chain of similar rows"), std::string::npos) << verdicts[2].reason;
}

TEST(SynthDedupe, LeaksIntoEvalAndTestAreNamed)
{
    tstest::InstructionTextGenerator generator(10);
    const std::string evalText = generator.text(150, 250);
    const std::string testText = generator.text(150, 250);
    const std::string testNear = generator.substituteWords(testText, 1);
    const std::string testNearer = generator.editCharacters(testNear, 1);
    const std::string fresh = generator.text(150, 250);
    const double jaccard = trueJaccard(testNear, testText);
    ASSERT_GE(jaccard, 0.8);
    ASSERT_LT(jaccard, 1.0);
    const std::vector<ReferenceText> references {{30, "eval", evalText}, {31, "test", testText}};
    const auto verdicts = dedupe(
        references, {{1, fresh}, {2, testNear}, {3, generator.changeCaseAndSpacing(evalText)}, {4, testNearer}});
    ASSERT_EQ(verdicts.size(), 4u);
    EXPECT_EQ(verdicts[0].kind, DuplicateKind::Unique);

    EXPECT_EQ(verdicts[1].kind, DuplicateKind::Leak);
    EXPECT_EQ(verdicts[1].leakExampleId, 31);
    EXPECT_EQ(verdicts[1].leakSplit, "test");
    EXPECT_NEAR(verdicts[1].similarity, jaccard, 1e-12);
    char expected[160];
    std::snprintf(expected, sizeof expected,
                  "too close to test example 31 (Jaccard %.2f): would leak the test split into training", jaccard);
    EXPECT_EQ(verdicts[1].reason, expected);
    EXPECT_EQ(duplicateKindName(verdicts[1].kind), "leak");

    EXPECT_EQ(verdicts[2].kind, DuplicateKind::Leak);
    EXPECT_EQ(verdicts[2].leakExampleId, 30);
    EXPECT_EQ(verdicts[2].leakSplit, "eval");
    EXPECT_DOUBLE_EQ(verdicts[2].similarity, 1.0);
    EXPECT_EQ(verdicts[2].reason, "same text as eval example 30: would leak the eval split into training");

    // A near copy of a leaking row leaks too, naming the test example rather than the row.
    EXPECT_EQ(verdicts[3].kind, DuplicateKind::Leak);
    EXPECT_EQ(verdicts[3].leakExampleId, 31);
    EXPECT_EQ(verdicts[3].duplicateOfRowId, 0);
}

TEST(SynthDedupe, ThresholdOneKeepsOnlyExactDuplicates)
{
    tstest::InstructionTextGenerator generator(11);
    const std::string text = generator.text(200, 300);
    const auto verdicts = dedupe({}, {{1, text}, {2, generator.editCharacters(text, 1)}}, {.threshold = 1.0});
    ASSERT_EQ(verdicts.size(), 2u);
    EXPECT_EQ(verdicts[1].kind, DuplicateKind::Unique);
    const auto nearVerdicts = dedupe({}, {{1, text}, {2, generator.editCharacters(text, 1)}});
    EXPECT_EQ(nearVerdicts[1].kind, DuplicateKind::Near);
}

TEST(SynthDedupe, CancelStopsWithCancelledError)
{
    tstest::InstructionTextGenerator generator(12);
    std::vector<CandidateText> candidates;
    for (int i = 0; i < 50; ++i)
        candidates.push_back({i, generator.text(50, 400)});
    CancelToken cancel;
    cancel.requestStop();
    auto verdicts = dedupeSynthetic({}, candidates, {}, &cancel);
    ASSERT_FALSE(verdicts);
    EXPECT_EQ(verdicts.error().kind, ErrorKind::Cancelled);
    CancelToken running;
    EXPECT_TRUE(dedupeSynthetic({}, candidates, {}, &running));
}

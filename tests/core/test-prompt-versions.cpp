// Prompt version history (issue 12 #14): the text of a variant's full definition, the line diff between two
// versions, and a revert saved as a new version on a real project file, with nothing lost.
#include <gtest/gtest.h>

#include "promptlab/line_diff.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/variant_text.h"
#include "store/project.h"
#include "test_support.h"

using namespace ts;
using namespace ts::promptlab;

TEST(VariantText, ShowsEveryFieldOnItsOwnLines)
{
    PromptVariant v;
    v.role = "You triage claims.";
    v.instructions = "Read the claim.\nAnswer with a label.";
    v.constraints = {"No advice", "One word"};
    v.jsonSchema = nlohmann::json {{"type", "object"}};
    v.chainOfThought = true;
    v.fewShotIds = {3, 7};
    v.variables = {{"tone", "plain"}};
    v.endpoint = "local-demo";
    v.sampling.temperature = 0.2;
    v.sampling.stop = {"END"};
    const std::string text = variantText(v);
    for (const char* expected :
         {"Role:\n  You triage claims.\n", "Instructions:\n  Read the claim.\n  Answer with a label.\n",
          "Constraints:\n  - No advice\n  - One word\n", "Audience: (none)\n", "  \"type\": \"object\"\n",
          "Chain of thought: on\n", "Few-shot examples: #3, #7\n", "  tone = plain\n", "Endpoint: local-demo\n",
          "Temperature: 0.2\n", "Top p: default\n", "Stop: \"END\"\n"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\nin:\n" << text;
    PromptVariant other = v;
    other.sampling.maxTokens = 64;
    EXPECT_NE(variantText(other), text);
}

TEST(LineDiff, SplitsLinesWithoutATrailingEmptyOne)
{
    EXPECT_EQ(splitLines("a\nb\n"), (std::vector<std::string_view> {"a", "b"}));
    EXPECT_EQ(splitLines("a\n\nb"), (std::vector<std::string_view> {"a", "", "b"}));
    EXPECT_TRUE(splitLines("").empty());
}

TEST(LineDiff, MarksAChangedLineAsRemovedThenAdded)
{
    const auto d = diffLines("one\ntwo\nthree\nfour\n", "one\nTWO\nthree\nfour\nfive\n");
    const std::vector<DiffLine> expected {{LineChange::Kept, "one"},  {LineChange::Removed, "two"},
                                          {LineChange::Added, "TWO"}, {LineChange::Kept, "three"},
                                          {LineChange::Kept, "four"}, {LineChange::Added, "five"}};
    EXPECT_EQ(d.lines, expected);
    EXPECT_EQ(d.removed, 1u);
    EXPECT_EQ(d.added, 2u);
    EXPECT_FALSE(d.identical());
}

TEST(LineDiff, FindsTheLongestCommonRunInTheMiddle)
{
    // a b c d e -> a c x d e: b removed, x added, c and d kept.
    const auto d = diffLines("a\nb\nc\nd\ne", "a\nc\nx\nd\ne");
    const std::vector<DiffLine> expected {{LineChange::Kept, "a"}, {LineChange::Removed, "b"},
                                          {LineChange::Kept, "c"}, {LineChange::Added, "x"},
                                          {LineChange::Kept, "d"}, {LineChange::Kept, "e"}};
    EXPECT_EQ(d.lines, expected);
    EXPECT_TRUE(diffLines("same\n", "same\n").identical());
    EXPECT_EQ(diffLines("", "new").added, 1u);
    EXPECT_EQ(diffLines("old", "").removed, 1u);
}

TEST(PromptRepository, RevertingSavesTheOldDefinitionAsANewVersionAndCanBeReverted)
{
    tstest::TempDir dir;
    auto p = Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(p);
    PromptRepository prompts((*p)->writer());
    PromptVariant first;
    first.instructions = "Label the claim.";
    PromptVariant second = first;
    second.instructions = "Label the claim in one word.";
    ASSERT_TRUE(prompts.save("A", first));
    ASSERT_TRUE(prompts.save("A", second));

    auto old = prompts.version("A", 1);
    ASSERT_TRUE(old && *old);
    auto reverted = prompts.save("A", (*old)->variant);
    ASSERT_TRUE(reverted);
    EXPECT_EQ(reverted->version, 3);
    EXPECT_EQ(reverted->variant, first);
    // Reverting the revert brings v2's text back as v4; every version stays.
    auto undo = prompts.save("A", prompts.version("A", 2)->value().variant);
    ASSERT_TRUE(undo);
    EXPECT_EQ(undo->version, 4);
    EXPECT_EQ(undo->variant, second);
    auto all = prompts.versions("A");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ((*all)[0].variant, first);
    EXPECT_EQ((*all)[1].variant, second);
    EXPECT_GT((*all)[3].createdAt, 0);
}

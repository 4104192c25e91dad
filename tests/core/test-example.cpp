// Example record helpers: message accessors, tag parsing, split names.
#include <gtest/gtest.h>

#include "store/example.h"

using namespace ts;

TEST(Example, AccessorsPickSystemAndLastTurn)
{
    Example ex;
    ex.messages = {{"system", "sys"}, {"user", "q1"}, {"assistant", "a1"}, {"user", "q2"}, {"assistant", "a2"}};
    EXPECT_EQ(ex.system(), "sys");
    EXPECT_EQ(ex.input(), "q2");
    EXPECT_EQ(ex.output(), "a2");
    ex.setInput("Q2");
    ex.setOutput("A2");
    EXPECT_EQ(ex.messages[3].content, "Q2");
    EXPECT_EQ(ex.messages[4].content, "A2");
    EXPECT_EQ(ex.messages[1].content, "q1"); // earlier turns kept
    ex.setSystem("");
    EXPECT_EQ(ex.messages.size(), 4u);
    ex.setSystem("new");
    EXPECT_EQ(ex.messages.front(), (Message {"system", "new"}));
}

TEST(Example, SettersCreateMissingTurnsInOrder)
{
    Example ex;
    ex.setOutput("answer");
    ex.setSystem("sys");
    ex.setInput("question");
    ASSERT_EQ(ex.messages.size(), 3u);
    EXPECT_EQ(ex.messages[0].role, "system");
    EXPECT_EQ(ex.messages[1].role, "user");
    EXPECT_EQ(ex.messages[2].role, "assistant");
}

TEST(Example, TagsAndSplits)
{
    EXPECT_EQ(parseTagList(" a, b ,a,, c "), (std::vector<std::string> {"a", "b", "c"}));
    EXPECT_TRUE(parseTagList("  ").empty());
    EXPECT_EQ(joinTags({"a", "b"}), "a, b");
    EXPECT_EQ(tagsFromJson(tagsToJson({"x", "ü"})), (std::vector<std::string> {"x", "ü"}));
    EXPECT_EQ(splitFromName("Validation"), Split::Eval);
    EXPECT_EQ(splitFromName("test"), Split::Test);
    EXPECT_FALSE(splitFromName("holdout").has_value());
    EXPECT_EQ(splitName(Split::Eval), "eval");
    auto messages = messagesFromJson(messagesToJson({{"user", "\"quoted\"\n"}}));
    ASSERT_TRUE(messages.has_value());
    EXPECT_EQ(messages->front().content, "\"quoted\"\n");
    EXPECT_FALSE(messagesFromJson("[{\"role\":1}]").has_value());
}

// LLM-as-a-Judge (core/eval/judge.h): the prompts carry the verdict formats of qlora_spec.md §10,
// replies are parsed as MT-Bench's judges write them, and swapped pairwise verdicts combine as FastChat
// counts them (disagreement = inconsistent = tie).
#include <gtest/gtest.h>

#include "eval/judge.h"

using namespace ts::eval;

TEST(EvalJudge, SingleGradingPrompt)
{
    SingleGradingRequest request;
    request.question = "What is 2 + 2?";
    request.answer = "4";
    auto messages = singleGradingPrompt(request);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].role, "system");
    EXPECT_EQ(messages[1].role, "user");
    EXPECT_NE(messages[0].content.find("scale of 1 to 10"), std::string::npos);
    EXPECT_NE(messages[0].content.find("\"Rating: [[5]]\""), std::string::npos);
    EXPECT_EQ(messages[0].content.find("reference"), std::string::npos);
    EXPECT_NE(messages[1].content.find("[Question]\nWhat is 2 + 2?\n"), std::string::npos);
    EXPECT_NE(messages[1].content.find("[Assistant's answer begins]\n4\n[Assistant's answer ends]"), std::string::npos);
    EXPECT_EQ(messages[1].content.find("Reference answer"), std::string::npos);

    request.reference = "Four.";
    request.criteria = "arithmetic correctness";
    messages = singleGradingPrompt(request);
    EXPECT_NE(messages[0].content.find("reference answer"), std::string::npos);
    EXPECT_NE(messages[0].content.find("arithmetic correctness"), std::string::npos);
    const std::string& user = messages[1].content;
    const size_t reference = user.find("[Reference answer begins]\nFour.\n[Reference answer ends]");
    ASSERT_NE(reference, std::string::npos);
    EXPECT_LT(reference, user.find("[Assistant's answer begins]")); // the reference comes first
}

TEST(EvalJudge, PairwisePromptAndSwap)
{
    PairwiseRequest request;
    request.question = "Summarize.";
    request.answerA = "first answer";
    request.answerB = "second answer";
    auto messages = pairwisePrompt(request);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0].role, "system");
    for (const char* format : {"\"[[A]]\"", "\"[[B]]\"", "\"[[C]]\" for a tie"})
        EXPECT_NE(messages[0].content.find(format), std::string::npos) << format;
    EXPECT_NE(messages[0].content.find("order in which the answers appear must not influence"), std::string::npos);
    const std::string& user = messages[1].content;
    EXPECT_LT(user.find("[Assistant A's answer begins]\nfirst answer\n"),
              user.find("[Assistant B's answer begins]\nsecond answer\n"));

    const PairwiseRequest swapped = swapAnswers(request);
    EXPECT_EQ(swapped.answerA, "second answer");
    EXPECT_EQ(swapped.answerB, "first answer");
    EXPECT_EQ(swapped.question, request.question);
    EXPECT_NE(pairwisePrompt(swapped)[1].content.find("[Assistant A's answer begins]\nsecond answer\n"),
              std::string::npos);
}

TEST(EvalJudge, ParseRating)
{
    EXPECT_EQ(parseRating("[[7]]").value(), 7.0);
    EXPECT_EQ(parseRating("The answer is correct but terse.\nRating: [[7.5]]").value(), 7.5);
    EXPECT_EQ(parseRating("Rating: [[ 8 ]]").value(), 8.0);
    EXPECT_EQ(parseRating("Rating: [[10]]").value(), 10.0);
    // The last verdict wins (the judge corrected itself, or quoted the format first).
    EXPECT_EQ(parseRating("Format is [[5]]. After thinking again: Rating: [[3]]").value(), 3.0);
    // Brackets that do not hold a plain number are skipped.
    EXPECT_EQ(parseRating("Rating: [[6]] and [[A]] and [[n/a]]").value(), 6.0);
    EXPECT_EQ(parseRating("[[[4]]]").value(), 4.0);
}

TEST(EvalJudge, ParseRatingErrors)
{
    auto none = parseRating("I would give it a 7 out of 10.");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message,
              "no rating in the [[rating]] format in the judge's reply 'I would give it a 7 out of 10.'");
    EXPECT_FALSE(parseRating("").ok());
    EXPECT_FALSE(parseRating("Rating: [7]").ok());
    EXPECT_FALSE(parseRating("Rating: [[-3]]").ok());
    EXPECT_FALSE(parseRating("Rating: [[7.]]").ok());
    EXPECT_FALSE(parseRating("Rating: [[7").ok());

    auto outside = parseRating("Rating: [[11]]");
    ASSERT_FALSE(outside.ok());
    EXPECT_EQ(outside.error().message, "judge rating 11 is outside 1 to 10 in the reply 'Rating: [[11]]'");
    EXPECT_FALSE(parseRating("[[0]]").ok());
    EXPECT_EQ(parseRating("[[0]]", 0, 5).value(), 0.0); // another scale

    // A long reply is quoted by its end.
    const std::string longReply = std::string(500, 'x') + " no verdict here";
    auto quoted = parseRating(longReply);
    ASSERT_FALSE(quoted.ok());
    const std::string expectedEnd = "in the judge's reply '..." + std::string(64, 'x') + " no verdict here'";
    EXPECT_TRUE(quoted.error().message.ends_with(expectedEnd)) << quoted.error().message;
    EXPECT_LT(quoted.error().message.size(), 200u);
}

TEST(EvalJudge, ParsePairVerdict)
{
    EXPECT_EQ(parsePairVerdict("[[A]]").value(), PairVerdict::A);
    EXPECT_EQ(parsePairVerdict("Assistant B is more accurate. [[B]]").value(), PairVerdict::B);
    EXPECT_EQ(parsePairVerdict("Both are equally good: [[C]]").value(), PairVerdict::Tie);
    EXPECT_EQ(parsePairVerdict("Reply [[A]] if A is better... Final verdict: [[B]]").value(), PairVerdict::B);
    EXPECT_EQ(parsePairVerdict("[[ A ]] [[7]]").value(), PairVerdict::A);
    auto none = parsePairVerdict("A is better.");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message, "no verdict [[A]], [[B]] or [[C]] in the judge's reply 'A is better.'");
    EXPECT_FALSE(parsePairVerdict("[[D]]").ok());
    EXPECT_FALSE(parsePairVerdict("[[a]]").ok());
    EXPECT_STREQ(pairVerdictName(PairVerdict::Tie), "tie");
}

TEST(EvalJudge, CombineSwappedTable)
{
    using V = PairVerdict;
    struct Row
    {
        V original; // judged with A shown first
        V swapped; // judged with B shown first: its "A" is the original B
        V winner;
        bool consistent;
    };
    const Row table[] = {
        {V::A, V::B, V::A, true}, // A wins in both orders
        {V::B, V::A, V::B, true}, // B wins in both orders
        {V::Tie, V::Tie, V::Tie, true}, // agreed tie
        {V::A, V::A, V::Tie, false}, // the first position won twice: position bias
        {V::B, V::B, V::Tie, false}, // the second position won twice
        {V::A, V::Tie, V::Tie, false},  {V::Tie, V::B, V::Tie, false},
        {V::B, V::Tie, V::Tie, false},  {V::Tie, V::A, V::Tie, false},
    };
    for (const Row& row : table) {
        const PairOutcome outcome = combineSwapped(row.original, row.swapped);
        EXPECT_EQ(outcome.winner, row.winner)
            << pairVerdictName(row.original) << " then " << pairVerdictName(row.swapped);
        EXPECT_EQ(outcome.consistent, row.consistent)
            << pairVerdictName(row.original) << " then " << pairVerdictName(row.swapped);
    }
}

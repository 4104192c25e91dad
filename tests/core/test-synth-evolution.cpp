// Evol-Instruct building blocks (core/synth): operation names round-trip, each teacher prompt carries its seed and
// its own task, the weighted draw follows its weights, and the elimination rules drop what they name and keep the rest.
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "synth/elimination.h"
#include "synth/evol_operation.h"
#include "synth/evolution_estimate.h"
#include "synth/writing_script.h"

using namespace ts::synth;

TEST(SynthEvolution, OperationNamesRoundTripAndAreDistinct)
{
    std::set<std::string_view> names;
    for (EvolOperation op : kEvolOperations) {
        names.insert(evolOperationName(op));
        EXPECT_EQ(evolOperationFromName(evolOperationName(op)), op);
    }
    EXPECT_EQ(names.size(), kEvolOperations.size());
    EXPECT_FALSE(evolOperationFromName("harder").has_value());
}

TEST(SynthEvolution, TeacherPromptsCarryTheSeedAndDifferByOperation)
{
    const std::string seed = "Extract the policy number from this claim email.";
    std::set<std::string> prompts;
    for (EvolOperation op : kEvolOperations) {
        const std::string prompt = evolutionPrompt(op, seed);
        EXPECT_NE(prompt.find(seed), std::string::npos) << evolOperationName(op);
        EXPECT_EQ(prompt.rfind(seed), prompt.size() - seed.size()) << "the seed closes the prompt";
        prompts.insert(prompt);
    }
    EXPECT_EQ(prompts.size(), kEvolOperations.size());
    // The words the teacher is told not to copy are ones the elimination rules catch.
    EXPECT_TRUE(eliminationReason(seed, "Here is the new instruction: extract the date", "The date is 2025-02-14.")
                    .has_value());
}

TEST(SynthEvolution, TheDrawFollowsTheWeights)
{
    EvolWeights weights {};
    weights[0] = 3; // add_constraints
    weights[5] = 1; // breadth
    std::mt19937_64 rng(42);
    std::map<EvolOperation, int> counts;
    const int draws = 40000;
    for (int i = 0; i < draws; ++i) {
        auto op = pickEvolOperation(weights, rng);
        ASSERT_TRUE(op.has_value());
        ++counts[*op];
    }
    EXPECT_EQ(counts.size(), 2u); // zero weights are never drawn
    // 3 : 1 expected; the binomial standard deviation of the share at n = 40,000 is about 0.002.
    EXPECT_NEAR(counts[EvolOperation::AddConstraints] / double(draws), 0.75, 0.01);
    EXPECT_FALSE(pickEvolOperation(EvolWeights {}, rng).has_value());
    EvolWeights negative {};
    negative.fill(-1);
    EXPECT_FALSE(pickEvolOperation(negative, rng).has_value());
    // The same seed draws the same sequence (a resumed run makes the same choices).
    std::mt19937_64 a(7), b(7);
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(pickEvolOperation(defaultEvolWeights(), a), pickEvolOperation(defaultEvolWeights(), b));
}

TEST(SynthEvolution, EliminationDropsWhatItNamesAndKeepsTheRest)
{
    const std::string seed = "Summarise the claim in one sentence.";
    const std::string answer = "The insured's parked car was hit by a delivery van; the van's driver admitted fault.";
    EXPECT_FALSE(eliminationReason(seed, "Summarise the claim in one sentence of at most 15 words.", answer));

    EXPECT_EQ(eliminationReason(seed, "  \n", answer), "the evolved instruction is empty");
    EXPECT_EQ(eliminationReason(seed, "  summarise THE claim   in one sentence. ", answer),
              "the evolved instruction is the seed again");
    auto copied = eliminationReason(seed, "#Rewritten Prompt#: summarise it in two sentences", answer);
    ASSERT_TRUE(copied);
    EXPECT_NE(copied->find("rewritten prompt"), std::string::npos) << *copied;
    EXPECT_EQ(eliminationReason(seed, "Summarise the claim in two sentences.", " \t"), "the response is empty");
    EXPECT_EQ(
        eliminationReason(seed, "Summarise the claim in two sentences.", "Sorry, I can't help with that request."),
        "the response is a refusal: it says \"sorry\" in fewer than 80 words");
    // "sorry" in a long, real answer is not a refusal.
    std::string longAnswer = "The driver said sorry to the insured at the scene.";
    for (int i = 0; i < 12; ++i)
        longAnswer += " The report lists the damage to the rear bumper and trunk lid in detail.";
    EXPECT_FALSE(eliminationReason(seed, "Summarise the claim in two sentences.", longAnswer));
    EXPECT_EQ(eliminationReason(seed, "Summarise the claim in two sentences.", "... it is, and the -- ?!"),
              "the response holds only punctuation and stop words");
}

TEST(SynthEvolution, TheEstimateCountsCallsTokensAndCost)
{
    // Two seeds: instructions of 30 and 50 tokens (mean 40), answers of 100 and 300 (mean 200).
    const std::vector<SeedTokens> seeds {{30, 100}, {50, 300}};
    EvolutionShape shape;
    shape.targetCount = 300;
    shape.rounds = 2;
    shape.keepRate = 0.75;
    shape.promptOverhead = 100;
    shape.growthPerRound = 20;
    shape.answerGrowth = 1.5;
    auto e = estimateEvolution(seeds, shape, 3.0, 15.0);
    ASSERT_TRUE(e);
    // By hand: 300 / 0.75 = 400 candidates, 800 calls, 200 per round.
    // Round 1: in 100 + 40 + 60 = 200, out 60 + 300 = 360. Round 2: in 100 + 60 + 80 = 240, out 80 + 300 = 380.
    EXPECT_EQ(e->candidates, 400);
    EXPECT_EQ(e->calls, 800);
    EXPECT_EQ(e->inputTokens, 200 * 200 + 200 * 240); // 88,000
    EXPECT_EQ(e->outputTokens, 200 * 360 + 200 * 380); // 148,000
    ASSERT_TRUE(e->costUsd);
    EXPECT_NEAR(*e->costUsd, 88000 * 3.0 / 1e6 + 148000 * 15.0 / 1e6, 1e-9); // $0.264 + $2.22
    // Unknown prices: no cost, the rest as before.
    auto free = estimateEvolution(seeds, shape, std::nullopt, 15.0);
    ASSERT_TRUE(free);
    EXPECT_FALSE(free->costUsd);
    EXPECT_EQ(free->calls, 800);
    // Nothing to estimate.
    EXPECT_FALSE(estimateEvolution({}, shape, 1.0, 1.0));
    shape.keepRate = 0;
    EXPECT_FALSE(estimateEvolution(seeds, shape, 1.0, 1.0));
}

TEST(SynthEvolution, TheLanguageFilterComparesWritingScripts)
{
    using ts::synth::dominantScript;
    using ts::synth::scriptMismatchReason;
    using ts::synth::WritingScript;
    EXPECT_EQ(dominantScript("File the claim online with photographs."), WritingScript::Latin);
    EXPECT_EQ(dominantScript("Подайте заявление онлайн с фотографиями."), WritingScript::Cyrillic);
    EXPECT_EQ(dominantScript("请在网上提交索赔并附上照片。"), WritingScript::HanKana);
    EXPECT_EQ(dominantScript("사진과 함께 온라인으로 청구하세요"), WritingScript::Hangul);
    EXPECT_EQ(dominantScript("Ο πελάτης υπέβαλε αίτηση αποζημίωσης."), WritingScript::Greek);
    EXPECT_EQ(dominantScript("{\"amount\": 1200, \"date\": \"2024-05-03\"}", 20), std::nullopt) << "too few letters";
    EXPECT_EQ(dominantScript("12345 !!! ..."), std::nullopt);
    // JSON keys in English do not outweigh a Russian answer's text.
    EXPECT_EQ(dominantScript(R"({"summary": "Клиент сообщил о разбитом окне в квартире"})"), WritingScript::Cyrillic);

    EXPECT_FALSE(scriptMismatchReason("Explain the excess on a car claim.", "Die Selbstbeteiligung beträgt 200 Euro."))
        << "English and German share the Latin script";
    const auto reason = scriptMismatchReason("Explain the excess on a car claim.", "自负额是两百欧元，由投保人承担。");
    ASSERT_TRUE(reason);
    EXPECT_EQ(*reason, "the answer is written in Han/Kana script, the seed in Latin");
    EXPECT_FALSE(scriptMismatchReason("Explain the excess.", "OK")) << "too short to tell";
}

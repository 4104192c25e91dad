// Evaluation warnings. Test-split leakage: test rows that repeat (exactly, or nearly after case and spacing) a train
// row or a few-shot example are found and named, unrelated rows are not, and the warning says how many and which.
// A judge that is one of the contestants (by endpoint, or the same model at the same host) is named.
#include <gtest/gtest.h>

#include "evaluation/contestant_cost.h"
#include "evaluation/evaluation_warnings.h"
#include "evaluation/test_split_leakage.h"
#include "llm/endpoint_repository.h"
#include "promptlab/prompt_repository.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "test_support.h"

using namespace ts;

namespace {

int64_t add(ExampleRepository& repo, const std::string& input, Split split)
{
    Example e;
    e.setInput(input);
    e.setOutput("answer");
    e.split = split;
    EXPECT_TRUE(repo.insert(e));
    return e.id;
}

} // namespace

TEST(TestSplitLeakage, RepeatsOfTrainRowsAndFewShotExamplesAreNamed)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "leak.tunesmith");
    ASSERT_TRUE(project);
    ExampleRepository repo((*project)->writer());
    const int64_t trainWindow
        = add(repo, "Claim 4411: a cracked windscreen after hail on the motorway near Leeds.", Split::Train);
    add(repo, "Claim 9001: water damage in a basement flat after a storm.", Split::Train);
    const int64_t shot = add(repo, "Claim 7710: a stolen bicycle from a locked garden shed in Bristol.", Split::Eval);
    // Test rows: an exact repeat (other case and spacing), a near repeat (one word changed), a few-shot repeat, and
    // two rows nothing has seen.
    const int64_t exact
        = add(repo, "claim 4411:  A cracked windscreen after hail on the motorway near Leeds.", Split::Test);
    const int64_t near = add(repo, "Claim 9001: water damage in a basement flat after a heavy storm.", Split::Test);
    const int64_t viaShot
        = add(repo, "Claim 7710: a stolen bicycle from a locked garden shed in Bristol.", Split::Test);
    add(repo, "Claim 5120: a laptop dropped on a train, screen broken.", Split::Test);
    add(repo, "Claim 3377: hail dents on a parked van roof in Manchester.", Split::Test);

    auto leaks = evaluation::findTestSplitLeaks((*project)->writer(), Split::Test, {shot});
    ASSERT_TRUE(leaks) << leaks.error().message;
    ASSERT_EQ(leaks->size(), 3u);
    EXPECT_EQ((*leaks)[0].scoredExampleId, exact);
    EXPECT_EQ((*leaks)[0].seenExampleId, trainWindow);
    EXPECT_FALSE((*leaks)[0].fewShot);
    EXPECT_DOUBLE_EQ((*leaks)[0].similarity, 1.0);
    EXPECT_EQ((*leaks)[1].scoredExampleId, near);
    EXPECT_GE((*leaks)[1].similarity, 0.8);
    EXPECT_LT((*leaks)[1].similarity, 1.0);
    EXPECT_EQ((*leaks)[2].scoredExampleId, viaShot);
    EXPECT_EQ((*leaks)[2].seenExampleId, shot);
    EXPECT_TRUE((*leaks)[2].fewShot);

    const std::string warning = evaluation::testSplitLeakWarning(*leaks, Split::Test, 5);
    EXPECT_EQ(warning,
              "2 of the 5 test examples repeat train examples (a fine-tune saw them): #" + std::to_string(exact)
                  + " \u2248 #" + std::to_string(trainWindow) + ", #" + std::to_string(near) + " \u2248 #"
                  + std::to_string(trainWindow + 1) + "; 1 repeats a few-shot example of a contestant's prompt: #"
                  + std::to_string(viaShot) + " \u2248 #" + std::to_string(shot));
    EXPECT_TRUE(evaluation::testSplitLeakWarning({}, Split::Test, 5).empty());
    auto onTrain = evaluation::findTestSplitLeaks((*project)->writer(), Split::Train, {});
    ASSERT_TRUE(onTrain);
    EXPECT_TRUE(onTrain->empty());
}

TEST(EvaluationWarnings, AJudgeThatIsAContestantIsNamed)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "judge.tunesmith");
    ASSERT_TRUE(project);
    Database& db = (*project)->writer();
    auto endpoint = [&](const std::string& name, const std::string& model) {
        Endpoint e;
        e.name = name;
        e.provider.kind = llm::ProviderKind::OpenAiCompatible;
        e.provider.baseUrl = "http://127.0.0.1:9/v1";
        e.provider.model = model;
        ASSERT_TRUE(EndpointRepository(db).save(e));
    };
    endpoint("gpt", "gpt-x");
    endpoint("gpt-again", "gpt-x"); // another name for the same model at the same host
    endpoint("other", "claude-y");
    promptlab::PromptVariant v;
    v.role = "You classify claims.";
    v.endpoint = "gpt";
    ASSERT_TRUE(PromptRepository(db).save("A", v));
    promptlab::AbTestConfig config;
    config.variants = {"A"};
    config.variantVersionIds = {PromptRepository(db).resolve("A")->id};
    config.split = Split::Test;

    for (const std::string& judge : {"gpt", "gpt-again"}) {
        config.judgeEndpoint = judge;
        auto warnings = evaluation::evaluationWarnings(db, config);
        ASSERT_TRUE(warnings) << warnings.error().message;
        ASSERT_EQ(warnings->size(), 1u) << judge;
        EXPECT_NE(warnings->front().find("is the same model as the contestant \"A v1\""), std::string::npos)
            << warnings->front();
    }
    config.judgeEndpoint = "other";
    auto none = evaluation::evaluationWarnings(db, config);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    // A contestant on another endpoint is judged by that endpoint's model.
    config.contestants = {{"on other", "other", std::nullopt}};
    auto mirrored = evaluation::evaluationWarnings(db, config);
    ASSERT_TRUE(mirrored);
    ASSERT_EQ(mirrored->size(), 1u);
    EXPECT_NE(mirrored->front().find("\"on other\""), std::string::npos) << mirrored->front();
}

TEST(EvaluationCosts, PricedMeasuredLocalByTheHourOrFreeAndUnknownOtherwise)
{
    tstest::TempDir dir;
    auto project = Project::create(dir / "cost.tunesmith");
    ASSERT_TRUE(project);
    Database& db = (*project)->writer();
    Endpoint remote;
    remote.name = "remote";
    remote.provider.kind = llm::ProviderKind::OpenAiCompatible;
    remote.provider.baseUrl = "http://127.0.0.1:9/v1";
    remote.provider.model = "m";
    ASSERT_TRUE(EndpointRepository(db).save(remote));
    Endpoint local;
    local.name = "local";
    local.provider.kind = llm::ProviderKind::Local;
    local.provider.model = (dir / "model").string();
    ASSERT_TRUE(EndpointRepository(db).save(local));
    promptlab::PromptVariant v;
    v.endpoint = "remote";
    ASSERT_TRUE(PromptRepository(db).save("P", v));
    promptlab::AbTestConfig config;
    config.variants = {"P", "P", "P"};
    const int64_t id = PromptRepository(db).resolve("P")->id;
    config.variantVersionIds = {id, id, id};
    config.contestants
        = {{"priced", "remote", std::nullopt}, {"mine", "local", std::nullopt}, {"unpriced", "remote", std::nullopt}};
    promptlab::AbSummary summary;
    for (const char* label : {"priced", "mine", "unpriced"}) {
        promptlab::VariantSummary s;
        s.variant = label;
        s.latency = eval::LatencySummary {10, 720.0, 900.0};
        summary.variants.push_back(s);
    }
    summary.variants[0].costPer1000 = 0.42;

    auto free = evaluation::contestantCosts(db, config, summary, std::nullopt);
    ASSERT_TRUE(free) << free.error().message;
    ASSERT_EQ(free->size(), 3u);
    EXPECT_EQ((*free)[0].per1000Usd, 0.42);
    EXPECT_EQ((*free)[0].basis, "measured at the endpoint's price");
    EXPECT_EQ((*free)[1].per1000Usd, 0.0);
    EXPECT_NE((*free)[1].basis.find("free on this machine"), std::string::npos);
    EXPECT_FALSE((*free)[2].per1000Usd);
    EXPECT_NE((*free)[2].basis.find("price unknown"), std::string::npos);

    // $2.50 an hour, 720 ms a call: 1,000 calls = 720 s = 0.2 h = $0.50.
    auto hourly = evaluation::contestantCosts(db, config, summary, 2.5);
    ASSERT_TRUE(hourly);
    ASSERT_TRUE((*hourly)[1].per1000Usd);
    EXPECT_NEAR(*(*hourly)[1].per1000Usd, 0.5, 1e-12);
    EXPECT_EQ((*hourly)[1].basis, "$2.50 per GPU-hour at 720 ms a call (median), one call at a time");
}

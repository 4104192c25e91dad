// Prompt lab in core: variants (JSON, system prompt sections, variables), rendering with few-shot
// examples, versioned storage, endpoints without keys, and the A/B test job — faults from a real
// HTTP peer on loopback recorded per cell with none lost or duplicated, resume that skips done
// cells, cancel, the spend cap (every call counted, judge included; calls in flight at the cap kept;
// no cell paid twice across resumes), and the summary's verdict on a real difference.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "llm/prices.h"
#include "llm_test_support.h"
#include "promptlab/ab_summary.h"
#include "promptlab/ab_test_job.h"
#include "promptlab/adapter_reference.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/render.h"
#include "promptlab/spend_ledger.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "test_support.h"

using namespace ts;
using json = nlohmann::json;

namespace {

Example qa(const std::string& q, const std::string& a, Split split = Split::Eval)
{
    Example e;
    e.messages = {{"user", q}, {"assistant", a}};
    e.split = split;
    return e;
}

// A project with `n` eval examples "What is k + k?" → "2k" and two train examples for few-shot.
std::unique_ptr<Project> makeProject(const std::filesystem::path& path, int n)
{
    auto p = Project::create(path);
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    ExampleRepository repo((*p)->writer());
    for (int k = 1; k <= n; ++k) {
        auto e = qa("What is " + std::to_string(k) + " + " + std::to_string(k) + "?", std::to_string(2 * k));
        EXPECT_TRUE(repo.insert(e));
    }
    for (int k = 100; k < 102; ++k) {
        auto e
            = qa("What is " + std::to_string(k) + " + " + std::to_string(k) + "?", std::to_string(2 * k), Split::Train);
        EXPECT_TRUE(repo.insert(e));
    }
    return std::move(*p);
}

// An in-process provider for orchestration tests: answers "What is k + k?" right (2k) when the
// system prompt says "careful", and wrong on every third k otherwise. Counts calls.
class ArithmeticProvider final : public llm::Provider
{
public:
    std::string describe() const override { return "arithmetic"; }
    llm::ChatOutcome chat(const std::vector<llm::ChatMessage>& messages, const llm::ChatParams&,
                          const CancelToken& cancel, const llm::DeltaCallback&) override
    {
        calls.fetch_add(1);
        if (delayMs)
            for (int i = 0; i < delayMs && !cancel.stopRequested(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (cancel.stopRequested())
            return llm::ChatError {llm::ChatErrorKind::Cancelled, "cancelled"};
        const bool careful
            = messages.front().role == "system" && messages.front().content.find("careful") != std::string::npos;
        const std::string& q = messages.back().content; // "What is k + k?"
        const int k = std::stoi(q.substr(8));
        llm::ChatResult r;
        r.text = std::to_string(careful || k % 3 != 0 ? 2 * k : 2 * k + 1);
        r.usage = {100, 2};
        r.latencyMs = 5;
        return r;
    }
    std::atomic<int> calls {0};
    int delayMs = 0;
};

// A judge: grades 10 when the answer equals the reference, else 3; in pairwise prompts prefers
// the answer equal to the reference — or, when `positionBiased`, always says [[A]].
class JudgeProvider final : public llm::Provider
{
public:
    std::string describe() const override { return "judge"; }
    llm::ChatOutcome chat(const std::vector<llm::ChatMessage>& messages, const llm::ChatParams&, const CancelToken&,
                          const llm::DeltaCallback&) override
    {
        calls.fetch_add(1);
        const std::string& prompt = messages.back().content;
        const auto reference = between(prompt, "[Reference answer begins]\n", "\n[Reference answer ends]");
        llm::ChatResult r;
        if (prompt.find("[Assistant A's answer begins]") != std::string::npos) {
            const auto a = between(prompt, "[Assistant A's answer begins]\n", "\n[Assistant A's answer ends]");
            const auto b = between(prompt, "[Assistant B's answer begins]\n", "\n[Assistant B's answer ends]");
            r.text = positionBiased ? "A looks fine. [[A]]"
                : a == b            ? "Same. [[C]]"
                : a == reference    ? "A is right. [[A]]"
                : b == reference    ? "B is right. [[B]]"
                                    : "[[C]]";
        } else {
            const auto answer = between(prompt, "[Assistant's answer begins]\n", "\n[Assistant's answer ends]");
            r.text = answer == reference ? "Correct. Rating: [[10]]" : "Wrong sum. Rating: [[3]]";
        }
        return r;
    }
    static std::string between(const std::string& text, const std::string& open, const std::string& close)
    {
        const auto a = text.find(open);
        if (a == std::string::npos)
            return {};
        const auto b = text.find(close, a + open.size());
        return text.substr(a + open.size(), b == std::string::npos ? std::string::npos : b - a - open.size());
    }
    std::atomic<int> calls {0};
    bool positionBiased = false;
};

struct Fixture
{
    tstest::TempDir dir;
    std::unique_ptr<Project> project;
    std::shared_ptr<ArithmeticProvider> provider = std::make_shared<ArithmeticProvider>();
    std::shared_ptr<JudgeProvider> judge = std::make_shared<JudgeProvider>();

    explicit Fixture(int examples = 30)
        : project(makeProject(dir / "lab.tunesmith", examples))
    {
        Endpoint e;
        e.name = "calc";
        e.provider.kind = llm::ProviderKind::OpenAiCompatible;
        e.provider.baseUrl = "http://127.0.0.1:9/v1"; // never called: the factory below answers
        e.provider.model = "calc-1";
        e.price = llm::ModelPrice {1.0, 2.0}; // $ per 1M tokens
        EXPECT_TRUE(EndpointRepository(project->writer()).save(e));
        promptlab::PromptVariant a;
        a.role = "You add numbers.";
        a.endpoint = "calc";
        promptlab::PromptVariant b = a;
        b.instructions = "Be careful.";
        EXPECT_TRUE(PromptRepository(project->writer()).save("A", a));
        EXPECT_TRUE(PromptRepository(project->writer()).save("B", b));
        Endpoint j = e;
        j.name = "judge";
        j.provider.model = "judge-1";
        j.price.reset();
        EXPECT_TRUE(EndpointRepository(project->writer()).save(j));
    }

    AbTestParams params()
    {
        AbTestParams p;
        p.project = project.get();
        p.config.variants = {"A", "B"};
        p.config.scorers = {eval::ScorerSpec {}}; // exact_match
        p.config.concurrency = 4;
        auto provider = this->provider;
        auto judge = this->judge;
        p.providers = [provider, judge](const Endpoint& e) -> Expected<std::shared_ptr<llm::Provider>> {
            if (e.name == "judge")
                return std::shared_ptr<llm::Provider>(judge);
            return std::shared_ptr<llm::Provider>(provider);
        };
        return p;
    }
};

} // namespace

TEST(PromptVariant, JsonRoundTripSectionsAndVariables)
{
    promptlab::PromptVariant v;
    v.role = "You are a {{company}} claims assistant.";
    v.instructions = "Classify the claim.";
    v.constraints = {"One word", "No apologies"};
    v.audience = "adjusters";
    v.outputFormat = "Answer with the category only.";
    v.jsonSchema = json {{"type", "object"}};
    v.chainOfThought = true;
    v.fewShotIds = {3, 1};
    v.variables = {{"company", "Acme"}};
    v.endpoint = "gpt";
    v.sampling.temperature = 0.2;
    v.sampling.maxTokens = 64;
    v.sampling.stop = {"\n\n"};
    auto back = promptlab::variantFromJson(promptlab::variantToJson(v));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, v);

    auto system = promptlab::systemPrompt(v);
    ASSERT_TRUE(system) << system.error().message;
    EXPECT_EQ(system->rfind("You are a Acme claims assistant.\n\nClassify the claim.\n\nConstraints:\n- One word\n- No "
                            "apologies\n\nAudience: adjusters\n\nAnswer with the category only.\n\nRespond with only a "
                            "JSON value",
                            0),
              0u)
        << *system;
    EXPECT_NE(system->find("<thinking>"), std::string::npos);

    v.role = "Hi {{ missing }}";
    auto bad = promptlab::systemPrompt(v);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("{{missing}}"), std::string::npos) << bad.error().message;

    auto unknown = promptlab::variantFromJson(json {{"rol", "x"}});
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("\"rol\""), std::string::npos);
    auto wrongType = promptlab::variantFromJson(json {{"few_shot_ids", "1,2"}});
    ASSERT_FALSE(wrongType);
    EXPECT_NE(wrongType.error().message.find("few_shot_ids"), std::string::npos);
    auto hot = promptlab::variantFromJson(json {{"temperature", 3.5}});
    ASSERT_FALSE(hot);
    EXPECT_NE(hot.error().message.find("temperature"), std::string::npos);
}

TEST(PromptVariant, RenderPutsFewShotTurnsBeforeTheInputAndKeepsTheReference)
{
    promptlab::PromptVariant v;
    v.role = "Add.";
    Example shot1 = qa("1+1?", "2", Split::Train), shot2 = qa("2+2?", "4", Split::Train);
    shot1.id = 7;
    shot2.id = 8;
    shot2.messages.insert(shot2.messages.begin(), {"system", "ignored"});
    Example input = qa("3+3?", "6");
    input.id = 9;
    input.messages.insert(input.messages.begin(), {"system", "the example's own"});
    auto r = promptlab::renderForExample(v, {shot1, shot2}, input);
    ASSERT_TRUE(r) << r.error().message;
    const std::vector<std::pair<std::string, std::string>> want
        = {{"system", "Add."}, {"user", "1+1?"},   {"assistant", "2"},
           {"user", "2+2?"},   {"assistant", "4"}, {"user", "3+3?"}};
    ASSERT_EQ(r->messages.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(r->messages[i].role, want[i].first) << i;
        EXPECT_EQ(r->messages[i].content, want[i].second) << i;
    }
    EXPECT_EQ(r->reference, "6");

    // No system sections: the example's own system message is kept.
    auto plain = promptlab::renderForExample(promptlab::PromptVariant {}, {}, input);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->messages.front().content, "the example's own");

    Example noUser;
    noUser.id = 4;
    noUser.messages = {{"assistant", "orphan"}};
    auto bad = promptlab::renderForExample(v, {}, noUser);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("example 4"), std::string::npos);

    v.chainOfThought = true;
    EXPECT_EQ(promptlab::answerText(v, "<thinking>3+3 is 6</thinking>\n 6 \n"), "6");
    EXPECT_EQ(promptlab::answerText(v, "no tags 6"), "no tags 6");
    v.chainOfThought = false;
    EXPECT_EQ(promptlab::answerText(v, "<thinking>x</thinking>6"), "<thinking>x</thinking>6");
}

TEST(PromptRepository, SavingAChangeAddsAVersionAndReferencesResolve)
{
    tstest::TempDir dir;
    auto p = Project::create(dir / "p.tunesmith");
    ASSERT_TRUE(p);
    PromptRepository prompts((*p)->writer());
    promptlab::PromptVariant v;
    v.role = "one";
    auto v1 = prompts.save("concise", v);
    ASSERT_TRUE(v1) << v1.error().message;
    EXPECT_EQ(v1->version, 1);
    auto same = prompts.save("concise", v);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->id, v1->id) << "an unchanged save must not add a version";
    v.role = "two";
    auto v2 = prompts.save("concise", v);
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->version, 2);
    EXPECT_EQ(v2->label(), "concise v2");

    EXPECT_EQ(prompts.resolve("concise")->id, v2->id);
    EXPECT_EQ(prompts.resolve("concise@1")->variant.role, "one");
    auto missing = prompts.resolve("concise@9");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("concise@9"), std::string::npos);
    EXPECT_FALSE(prompts.resolve("concise@x"));
    EXPECT_FALSE(prompts.save("a@b", v));
    EXPECT_EQ(prompts.versions("concise")->size(), 2u);
    EXPECT_EQ(*prompts.names(), std::vector<std::string>({"concise"}));
}

TEST(AbTestJob, RunsEveryCellScoresThemAndTheSummaryFindsTheRealDifference)
{
    Fixture f(30);
    auto params = f.params();
    params.config.repeats = 2;
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_TRUE(st) << st.error().message;
    const auto& r = job.result();
    EXPECT_EQ(r.cells, 2 * 30 * 2);
    EXPECT_EQ(r.done, r.cells);
    EXPECT_EQ(r.failed, 0);
    EXPECT_EQ(f.provider->calls.load(), 120);
    // 100 input + 2 output tokens per call at $1 / $2 per 1M.
    EXPECT_NEAR(r.spentUsd, 120 * (100 * 1.0 + 2 * 2.0) / 1e6, 1e-12);

    auto cells = CellRepository(f.project->writer()).cells(r.runId);
    ASSERT_TRUE(cells);
    ASSERT_EQ(cells->size(), 120u);
    const auto& first = cells->front();
    auto sent = json::parse(first.request);
    EXPECT_EQ(sent.front()["role"], "system");
    ASSERT_EQ(first.scores.size(), 1u);
    EXPECT_EQ(first.scores.front().scorer, "exact_match");

    auto summary = promptlab::summarizeRun(f.project->writer(), r.runId);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_EQ(summary->variants.size(), 2u);
    EXPECT_EQ(summary->variants[0].variant, "A v1");
    EXPECT_NEAR(summary->variants[0].scores[0].mean.mean, 20.0 / 30.0, 1e-12); // wrong on k = 3, 6, ..., 30
    EXPECT_NEAR(summary->variants[1].scores[0].mean.mean, 1.0, 1e-12);
    ASSERT_EQ(summary->pairs.size(), 1u);
    const auto& pair = summary->pairs[0];
    EXPECT_TRUE(pair.comparison.significant);
    ASSERT_TRUE(pair.mcnemar);
    EXPECT_EQ(pair.mcnemar->onlyB, 10); // B passes, A fails: 10 examples
    EXPECT_EQ(pair.mcnemar->onlyA, 0);
    EXPECT_NEAR(pair.mcnemar->pValue, 2.0 / 1024.0, 1e-12); // 2 · 0.5^10
    EXPECT_NE(pair.verdict.find("B v1 \u2212 A v1 = +33.3 points"), std::string::npos) << pair.verdict;
    ASSERT_TRUE(summary->variants[0].costPer1000);
    EXPECT_NEAR(*summary->variants[0].costPer1000, 1000 * 104e-6, 1e-9);
    EXPECT_NEAR(summary->spend.variant, 120 * 104e-6, 1e-12);
    EXPECT_EQ(summary->spend.judge, 0.0);
    EXPECT_NEAR(r.spent.variant, r.spentUsd, 1e-15);

    auto run = RunRepository(f.project->writer()).get(r.runId);
    EXPECT_EQ((*run)->status, RunStatus::Succeeded);
}

TEST(AbTestJob, JudgeGradesEveryCellAndPairwiseSwapsPositions)
{
    Fixture f(12);
    auto params = f.params();
    params.config.judgeEndpoint = "judge";
    params.config.pairwiseJudge = true;
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_TRUE(st) << st.error().message;
    // 24 single gradings + 12 pairs judged in both orders.
    EXPECT_EQ(f.judge->calls.load(), 24 + 2 * 12);
    auto summary = promptlab::summarizeRun(f.project->writer(), job.runId());
    ASSERT_TRUE(summary) << summary.error().message;
    // A is wrong on k = 3, 6, 9, 12: judge mean (8 x 10 + 4 x 3) / 12.
    const auto& a = summary->variants[0].scores;
    auto judgeA
        = std::find_if(a.begin(), a.end(), [](const promptlab::ScorerSummary& s) { return s.scorer == "judge"; });
    ASSERT_NE(judgeA, a.end());
    EXPECT_NEAR(judgeA->mean.mean, (8 * 10.0 + 4 * 3.0) / 12, 1e-12);
    // Pairwise: B wins the 4 pairs where A is wrong, the other 8 are agreed ties: (4 + 8 x 0.5) / 12.
    auto pair = std::find_if(summary->pairs.begin(), summary->pairs.end(),
                             [](const promptlab::PairSummary& p) { return p.scorer == "pairwise vs A v1"; });
    ASSERT_NE(pair, summary->pairs.end());
    EXPECT_NEAR(pair->comparison.meanB, 8.0 / 12, 1e-12);
    EXPECT_NE(pair->verdict.find("B v1 wins 67% against A v1"), std::string::npos) << pair->verdict;
    ASSERT_TRUE(pair->swapConsistency);
    EXPECT_DOUBLE_EQ(*pair->swapConsistency, 1.0) << "this judge compares answers, not positions";
    EXPECT_NE(pair->verdict.find("same winner in both orders on 100% of 12 pairs"), std::string::npos) << pair->verdict;

    // The user rates 12 outputs: the same band as the judge on 9, another band on 3. The ratings are not a scorer;
    // the summary compares them with the judge.
    auto stored = CellRepository(f.project->writer()).cells(job.runId());
    ASSERT_TRUE(stored);
    int rated = 0, disagreed = 0;
    std::vector<int> judgeBands, userBands;
    for (const Cell& c : *stored) {
        auto judge
            = std::find_if(c.scores.begin(), c.scores.end(), [](const CellScore& s) { return s.scorer == "judge"; });
        if (judge == c.scores.end() || rated == 12)
            continue;
        const double user = disagreed < 3 ? (judge->value >= 7 ? 2.0 : 9.0) : judge->value;
        disagreed += disagreed < 3 ? 1 : 0;
        ASSERT_TRUE(
            CellRepository(f.project->writer()).putScore(c, {promptlab::kUserRatingScore, user, std::nullopt, ""}, {}));
        judgeBands.push_back(eval::ratingBand(judge->value));
        userBands.push_back(eval::ratingBand(user));
        ++rated;
    }
    auto withRatings = promptlab::summarizeRun(f.project->writer(), job.runId());
    ASSERT_TRUE(withRatings) << withRatings.error().message;
    EXPECT_EQ(withRatings->userRated, 12u);
    ASSERT_TRUE(withRatings->judgeAgreement);
    EXPECT_EQ(withRatings->judgeAgreement->n, 12u);
    EXPECT_DOUBLE_EQ(withRatings->judgeAgreement->percentAgreement, 9.0 / 12);
    auto expected = eval::cohensKappa(judgeBands, userBands, 3);
    ASSERT_TRUE(expected && expected->kappa && withRatings->judgeAgreement->kappa);
    EXPECT_DOUBLE_EQ(*withRatings->judgeAgreement->kappa, *expected->kappa);
    for (const auto& v : withRatings->variants)
        for (const auto& sc : v.scores)
            EXPECT_NE(sc.scorer, promptlab::kUserRatingScore) << "the user's ratings are not one of the run's scorers";
    const auto j = promptlab::abSummaryToJson(*withRatings);
    EXPECT_EQ(j["user_rated"], 12);
    EXPECT_DOUBLE_EQ(j["judge_agreement"]["percent"].get<double>(), 0.75);
    auto judgeVerdict = std::find_if(summary->pairs.begin(), summary->pairs.end(),
                                     [](const promptlab::PairSummary& p) { return p.scorer == "judge"; });
    ASSERT_NE(judgeVerdict, summary->pairs.end());
    EXPECT_NE(judgeVerdict->verdict.find("B v1 \u2212 A v1 = +2.3 points"), std::string::npos) << judgeVerdict->verdict;

    // A judge that always picks the first position: every pair is inconsistent, so all ties.
    Fixture g(6);
    g.judge->positionBiased = true;
    auto biased = g.params();
    biased.config.judgeEndpoint = "judge";
    biased.config.pairwiseJudge = true;
    AbTestJob job2(biased);
    ASSERT_TRUE(job2.run({}, progress));
    auto cells = CellRepository(g.project->writer()).cells(job2.runId());
    int pairwise = 0;
    for (const auto& c : *cells)
        for (const auto& sc : c.scores)
            if (sc.scorer == "pairwise vs A v1") {
                ++pairwise;
                EXPECT_EQ(sc.value, 0.5);
                EXPECT_NE(sc.detail.find("inconsistent"), std::string::npos) << sc.detail;
            }
    EXPECT_EQ(pairwise, 6);
    auto biasedSummary = promptlab::summarizeRun(g.project->writer(), job2.runId());
    ASSERT_TRUE(biasedSummary);
    auto biasedPair = std::find_if(biasedSummary->pairs.begin(), biasedSummary->pairs.end(),
                                   [](const promptlab::PairSummary& p) { return p.scorer == "pairwise vs A v1"; });
    ASSERT_NE(biasedPair, biasedSummary->pairs.end());
    EXPECT_DOUBLE_EQ(biasedPair->swapConsistency.value_or(-1), 0.0) << "a judge that always says [[A]] agrees never";
    EXPECT_EQ(promptlab::abSummaryToJson(*biasedSummary)["comparisons"][0].value("swap_consistency", -1.0), 0.0);
}

TEST(AbTestJob, CancelThenResumeSkipsTheDoneCells)
{
    Fixture f(40);
    f.provider->delayMs = 20;
    auto params = f.params();
    params.config.concurrency = 2;
    CancelToken cancel;
    std::atomic<int> stored {0};
    params.onCell = [&](const Cell&) {
        if (stored.fetch_add(1) + 1 == 10)
            cancel.requestStop();
    };
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run(cancel, progress);
    ASSERT_TRUE(isCancelled(st)) << (st ? "finished" : st.error().message);
    const int64_t runId = job.runId();
    auto run = RunRepository(f.project->writer()).get(runId);
    EXPECT_EQ((*run)->status, RunStatus::Cancelled);
    const auto firstDone = CellRepository(f.project->writer()).doneCells(runId)->size();
    EXPECT_GE(firstDone, 10u);
    EXPECT_LT(firstDone, 80u);

    f.provider->calls = 0;
    f.provider->delayMs = 0;
    AbTestParams resume = f.params();
    resume.config = {}; // the stored config wins
    resume.resumeRunId = runId;
    AbTestJob again(resume);
    auto st2 = again.run({}, progress);
    ASSERT_TRUE(st2) << st2.error().message;
    EXPECT_EQ(again.result().skipped, static_cast<int64_t>(firstDone));
    EXPECT_EQ(f.provider->calls.load(), static_cast<int>(80 - firstDone));
    auto cells = CellRepository(f.project->writer()).cells(runId);
    ASSERT_EQ(cells->size(), 80u);
    std::set<CellKey> keys;
    for (const auto& c : *cells)
        EXPECT_TRUE(keys.insert({c.variant, c.exampleId, c.repeat}).second) << "duplicate cell";
}

TEST(AbTestJob, ABusyProjectFileIsWaitedOutWithoutLosingCells)
{
    // After the first stored cell another connection (as another process would) takes the write lock and holds it
    // past the writer's 5 s busy timeout. The run waits, says so in its progress, and stores every cell once; the
    // lock is given back when the run reports the wait.
    Fixture f(4);
    auto params = f.params();
    params.config.concurrency = 1;
    std::mutex blockerMutex;
    std::optional<Database> blocker;
    int busyReports = 0;
    std::atomic<int> stored {0};
    params.onCell = [&](const Cell&) {
        if (stored.fetch_add(1) != 0)
            return;
        auto db = Database::open(f.dir / "lab.tunesmith", Database::Mode::ReadWrite);
        ASSERT_TRUE(db) << db.error().message;
        ASSERT_TRUE(db->exec("BEGIN IMMEDIATE"));
        std::lock_guard<std::mutex> g(blockerMutex);
        blocker = std::move(*db);
    };
    CallbackProgress progress([&](const Progress& report) {
        std::lock_guard<std::mutex> g(blockerMutex);
        if (blocker && report.message.find("The project file is busy") != std::string::npos) {
            ++busyReports;
            EXPECT_TRUE(blocker->exec("ROLLBACK"));
            blocker.reset();
        }
    });
    AbTestJob job(params);
    auto st = job.run({}, progress);
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(busyReports, 1);
    EXPECT_EQ(job.result().done, 8);
    auto cells = CellRepository(f.project->writer()).cells(job.runId());
    ASSERT_TRUE(cells);
    EXPECT_EQ(cells->size(), 8u);
    auto run = RunRepository(f.project->writer()).get(job.runId());
    EXPECT_EQ((*run)->status, RunStatus::Succeeded);
}

TEST(AbTestJob, AnExceptionInAWorkerFailsTheRunWithItsMessage)
{
    // A provider that throws (a bug in a plug-in, an allocation failure) must not end the process: the run stops
    // and fails with the exception's message, and the cells stored before it stay.
    class ThrowingProvider final : public llm::Provider
    {
    public:
        std::string describe() const override { return "throwing"; }
        llm::ChatOutcome chat(const std::vector<llm::ChatMessage>&, const llm::ChatParams&, const CancelToken&,
                              const llm::DeltaCallback&) override
        {
            if (calls.fetch_add(1) == 2)
                throw std::runtime_error("provider exploded");
            llm::ChatResult r;
            r.text = "0";
            r.usage = {1, 1};
            return r;
        }
        std::atomic<int> calls {0};
    };
    Fixture f(6);
    auto params = f.params();
    params.config.concurrency = 1;
    auto throwing = std::make_shared<ThrowingProvider>();
    params.providers = [throwing](const Endpoint&) -> Expected<std::shared_ptr<llm::Provider>> {
        return std::shared_ptr<llm::Provider>(throwing);
    };
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_FALSE(isCancelled(st));
    EXPECT_NE(st.error().message.find("provider exploded"), std::string::npos) << st.error().message;
    auto run = RunRepository(f.project->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->status, RunStatus::Failed);
    EXPECT_NE((*run)->error.find("provider exploded"), std::string::npos);
    EXPECT_EQ(CellRepository(f.project->writer()).cells(job.runId())->size(), 2u);
}

// The most a call of `variant` on example k can cost at the fixture's price ($1 / $2 per 1M): its rendered
// prompt's token bound in, `maxTokens` out.
double fixtureWorstCase(Project& project, const std::string& variant, int k, int maxTokens)
{
    auto version = PromptRepository(project.writer()).resolve(variant);
    EXPECT_TRUE(version);
    auto e = qa("What is " + std::to_string(k) + " + " + std::to_string(k) + "?", std::to_string(2 * k));
    auto rendered = promptlab::renderForExample(version->variant, {}, e);
    EXPECT_TRUE(rendered);
    return llm::cost(llm::ModelPrice {1.0, 2.0}, llm::worstCaseUsage(rendered->messages, maxTokens));
}

TEST(AbTestJob, SpendCapStartsNoCallWhoseWorstCaseWouldPassIt)
{
    Fixture f(40);
    auto params = f.params();
    params.config.concurrency = 1;
    // The variants name no max tokens: under a cap they are sent 4,096, so that is each call's worst case.
    const auto worst = [&](int task) { // tasks run A1, B1, A2, B2, ...
        return fixtureWorstCase(*f.project, task % 2 ? "B" : "A", task / 2 + 1, promptlab::kMaxTokensUnderSpendCap);
    };
    const double cap = 10.5 * 104e-6 + std::max(worst(0), worst(1));
    params.config.spendCapUsd = cap;
    // Serial calls, each measured at 104e-6: a call starts while spent + its worst case fits.
    int expected = 0;
    for (double spent = 0; spent + worst(expected) <= cap; spent += 104e-6)
        ++expected;
    ASSERT_GE(expected, 10);
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("spend cap of $0.0"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("resume to continue"), std::string::npos) << st.error().message;
    EXPECT_TRUE(job.result().spendCapReached);
    EXPECT_EQ(job.result().done, expected);
    EXPECT_EQ(f.provider->calls.load(), expected);
    EXPECT_NEAR(job.result().spentUsd, expected * 104e-6, 1e-12);
    EXPECT_LE(job.result().spentUsd, cap);
    auto run = RunRepository(f.project->writer()).get(job.runId());
    EXPECT_EQ((*run)->status, RunStatus::Failed);
    EXPECT_NE((*run)->error.find("spend cap"), std::string::npos);
}

// Answers like ArithmeticProvider, but holds every call until released: the test decides when the calls
// in flight end.
class GatedProvider final : public llm::Provider
{
public:
    std::string describe() const override { return "gated"; }
    llm::ChatOutcome chat(const std::vector<llm::ChatMessage>& messages, const llm::ChatParams&,
                          const CancelToken& cancel, const llm::DeltaCallback&) override
    {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            ++started;
            // A fail-safe, not a synchronisation: the test opens the gate on the job's own event.
            if (!m_open.wait_for(lock, std::chrono::seconds(30), [&] { return released || cancel.stopRequested(); }))
                return llm::ChatError {llm::ChatErrorKind::Timeout, "the test never released the call"};
        }
        if (cancel.stopRequested())
            return llm::ChatError {llm::ChatErrorKind::Cancelled, "cancelled"};
        const int k = std::stoi(messages.back().content.substr(8));
        llm::ChatResult r;
        r.text = std::to_string(2 * k);
        r.usage = {10, 2};
        return r;
    }
    void release()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        released = true;
        m_open.notify_all();
    }
    int startedCalls()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return started;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_open;
    int started = 0;
    bool released = false;
};

TEST(AbTestJob, CallsInFlightAtTheSpendCapFinishAndAreStored)
{
    Fixture f(9); // k = 1..9: every prompt has the same size, so the same worst case
    auto gated = std::make_shared<GatedProvider>();
    auto params = f.params();
    params.config.variants = {"A"};
    params.config.concurrency = 4;
    const double worst = fixtureWorstCase(*f.project, "A", 1, promptlab::kMaxTokensUnderSpendCap);
    params.config.spendCapUsd = 3.5 * worst; // three calls fit, a fourth does not
    params.providers = [gated](const Endpoint&) -> Expected<std::shared_ptr<llm::Provider>> {
        return std::shared_ptr<llm::Provider>(gated);
    };
    int startedAtCap = -1;
    CallbackProgress progress([&](const Progress& p) {
        if (p.message.find("Spend cap reached") != std::string::npos && startedAtCap < 0) {
            startedAtCap = gated->startedCalls();
            gated->release(); // the calls in flight may end now
        }
    });
    AbTestJob job(params);
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("spend cap"), std::string::npos) << st.error().message;
    EXPECT_EQ(startedAtCap, 3) << "three calls were in flight when the fourth was refused";
    EXPECT_EQ(gated->startedCalls(), 3);
    auto cells = CellRepository(f.project->writer()).cells(job.runId());
    ASSERT_TRUE(cells);
    ASSERT_EQ(cells->size(), 3u) << "the calls in flight at the cap are stored, not dropped";
    for (const auto& c : *cells) {
        EXPECT_TRUE(c.ok()) << c.error;
        ASSERT_TRUE(c.cost);
        EXPECT_NEAR(*c.cost, 14e-6, 1e-15);
    }
    EXPECT_EQ(job.result().done, 3);
    auto ledger = promptlab::runSpend(f.project->writer(), job.runId());
    ASSERT_TRUE(ledger && *ledger);
    EXPECT_NEAR((*ledger)->variant, 3 * 14e-6, 1e-15);

    // The user raises the cap and resumes: the six cells left are done; the three stored ones are not
    // asked (or paid) again.
    auto config = params.config;
    config.spendCapUsd = 1.0;
    config.variantVersionIds = {PromptRepository(f.project->writer()).resolve("A")->id};
    ASSERT_TRUE(
        RunRepository(f.project->writer()).setConfig(job.runId(), promptlab::abTestConfigToJson(config).dump()));
    auto resume = f.params();
    resume.resumeRunId = job.runId();
    resume.providers = params.providers;
    AbTestJob again(resume);
    NullProgress quiet;
    auto st2 = again.run({}, quiet);
    ASSERT_TRUE(st2) << st2.error().message;
    EXPECT_EQ(again.result().skipped, 3);
    EXPECT_EQ(again.result().done, 6);
    EXPECT_EQ(gated->startedCalls(), 9);
    ledger = promptlab::runSpend(f.project->writer(), job.runId());
    EXPECT_NEAR((*ledger)->variant, 9 * 14e-6, 1e-15);
}

// The messages and max_tokens of an OpenAI-style request body, at its worst case at `price`.
double worstCaseOfRequest(const std::string& body, const llm::ModelPrice& price)
{
    const auto j = json::parse(body);
    std::vector<llm::ChatMessage> messages;
    for (const auto& m : j.at("messages"))
        messages.push_back({m.at("role").get<std::string>(), m.at("content").get<std::string>()});
    return llm::cost(price, llm::worstCaseUsage(messages, j.at("max_tokens").get<int64_t>()));
}

TEST(AbTestJob, SpendCapCountsTheJudgeOverHttpAndResumesPayNoCallTwice)
{
    // Two OpenAI-compatible peers on loopback: the variants' model and a judge that grades 7 and calls
    // every pair a tie. Prices make a cell cost about a quarter of the cap, so the cap bites mid-run in
    // the cells and again in the pairwise judging; each session is resumed until the run is done.
    tstest::FaultHttpServer variantPeer, judgePeer;
    auto reply = [](const std::string& text, int in, int out) {
        return tstest::ScriptedResponse::json(
            200,
            json {
                {"choices",
                 {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", in}, {"completion_tokens", out}}}}
                .dump());
    };
    variantPeer.setFallback(reply("2", 30, 4));
    judgePeer.setFallback(reply("Both fine. Rating: [[7]] Verdict: [[C]]", 200, 20));
    const llm::ModelPrice variantPrice {1000.0, 20000.0}, judgePrice {100.0, 6000.0};
    const double variantCall = (30 * 1000.0 + 4 * 20000.0) / 1e6, judgeCall = (200 * 100.0 + 20 * 6000.0) / 1e6;

    tstest::TempDir dir;
    auto project = makeProject(dir / "cap.tunesmith", 6);
    Endpoint model;
    model.name = "model";
    model.provider = tstest::fastProviderConfig(variantPeer, llm::ProviderKind::OpenAiCompatible);
    model.price = variantPrice;
    ASSERT_TRUE(EndpointRepository(project->writer()).save(model));
    Endpoint judge;
    judge.name = "judge";
    judge.provider = tstest::fastProviderConfig(judgePeer, llm::ProviderKind::OpenAiCompatible);
    judge.provider.model = "judge-model";
    judge.price = judgePrice;
    ASSERT_TRUE(EndpointRepository(project->writer()).save(judge));
    promptlab::PromptVariant a;
    a.role = "You add numbers.";
    a.endpoint = "model";
    a.sampling.maxTokens = 8;
    promptlab::PromptVariant b = a;
    b.instructions = "Be careful.";
    ASSERT_TRUE(PromptRepository(project->writer()).save("A", a));
    ASSERT_TRUE(PromptRepository(project->writer()).save("B", b));

    const double cap = 3.0;
    AbTestParams params;
    params.project = project.get();
    params.config.variants = {"A", "B"};
    params.config.scorers = {eval::ScorerSpec {}};
    params.config.concurrency = 2;
    params.config.spendCapUsd = cap;
    params.config.judgeEndpoint = "judge";
    params.config.judgeMaxTokens = 64;
    params.config.pairwiseJudge = true;
    NullProgress progress;
    std::vector<promptlab::SpendByRole> sessions;
    std::vector<bool> capReached;
    int64_t runId = 0;
    double ledgerBefore = 0;
    for (int session = 0; session < 30; ++session) {
        AbTestParams p = params;
        if (runId)
            p.resumeRunId = runId;
        AbTestJob job(p);
        auto st = job.run({}, progress);
        runId = job.runId();
        ASSERT_NE(runId, 0);
        if (!st)
            ASSERT_NE(st.error().message.find("spend cap"), std::string::npos) << st.error().message;
        ASSERT_EQ(job.result().spendCapReached, !st);
        sessions.push_back(job.result().spent);
        capReached.push_back(job.result().spendCapReached);
        // The session's spend is in the ledger, stored with the results.
        auto ledger = promptlab::runSpend(project->writer(), runId);
        ASSERT_TRUE(ledger && *ledger);
        EXPECT_NEAR((*ledger)->total() - ledgerBefore, job.result().spentUsd, 1e-9);
        ledgerBefore = (*ledger)->total();
        if (st)
            break;
    }
    std::printf("[ sessions ] %zu, first spent %s\n", sessions.size(), promptlab::spendText(sessions.front()).c_str());
    ASSERT_FALSE(capReached.back()) << "the run never finished";
    ASSERT_GE(sessions.size(), 2u) << "the cap should bite";

    // One call's worst case: the largest over every request the peers received.
    double worstCall = 0;
    int variantRequests = 0, gradings = 0, pairwise = 0;
    for (const auto& r : variantPeer.requests()) {
        worstCall = std::max(worstCall, worstCaseOfRequest(r.body, variantPrice));
        ++variantRequests;
    }
    for (const auto& r : judgePeer.requests()) {
        worstCall = std::max(worstCall, worstCaseOfRequest(r.body, judgePrice));
        EXPECT_EQ(json::parse(r.body).at("max_tokens"), 64);
        ++(r.body.find("Assistant A's answer") != std::string::npos ? pairwise : gradings);
    }
    ASSERT_LT(worstCall, cap);
    for (size_t i = 0; i < sessions.size(); ++i)
        EXPECT_LE(sessions[i].total(), cap + worstCall) << "session " << i;
    EXPECT_GT(sessions.front().judge, 0.0) << "the judge's calls count";

    // Every call was made once: 12 cells, 12 gradings, 6 pairs in both orders; nothing paid twice.
    EXPECT_EQ(variantRequests, 12);
    EXPECT_EQ(gradings, 12);
    EXPECT_EQ(pairwise, 12);
    auto cells = CellRepository(project->writer()).cells(runId);
    ASSERT_TRUE(cells);
    ASSERT_EQ(cells->size(), 12u);
    for (const auto& c : *cells)
        EXPECT_TRUE(c.ok()) << c.error;
    auto summary = promptlab::summarizeRun(project->writer(), runId);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_NEAR(summary->spend.variant, 12 * variantCall, 1e-9);
    EXPECT_NEAR(summary->spend.judge, 12 * judgeCall, 1e-9);
    EXPECT_NEAR(summary->spend.pairwise, 12 * judgeCall, 1e-9);
    promptlab::SpendByRole all;
    for (const auto& s : sessions)
        all += s;
    EXPECT_NEAR(all.total(), summary->spend.total(), 1e-9);
    EXPECT_EQ(promptlab::abSummaryToJson(*summary)["spend_usd"]["judge"].get<double>(), summary->spend.judge);
    EXPECT_EQ(promptlab::spendText({0.3, 0.08, 0.04}),
              "Spent $0.4200: variants $0.3000 · judge $0.0800 · pairwise $0.0400");
}

TEST(AbTestJob, TheProjectsScorersApplyWhenTheRunNamesNone)
{
    Fixture f(4);
    ASSERT_TRUE(
        f.project->setMeta(kProjectScorersKey, R"([{"kind": "regex", "name": "digits", "pattern": "^[0-9]+$"}])"));
    auto params = f.params();
    params.config.scorers.clear();
    AbTestJob job(params);
    NullProgress progress;
    ASSERT_TRUE(job.run({}, progress));
    auto cells = CellRepository(f.project->writer()).cells(job.runId());
    ASSERT_EQ(cells->size(), 8u);
    for (const auto& c : *cells) {
        ASSERT_EQ(c.scores.size(), 1u);
        EXPECT_EQ(c.scores[0].scorer, "digits");
        EXPECT_EQ(c.scores[0].value, 1.0);
    }

    ASSERT_TRUE(f.project->setMeta(kProjectScorersKey, R"([{"kind": "regex", "pattern": "("}])"));
    AbTestJob bad(params);
    auto st = bad.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("promptlab.scorers"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("pattern"), std::string::npos) << st.error().message;
}

TEST(AbTestJob, BadSetupFailsWithAClearMessage)
{
    Fixture f(3);
    NullProgress progress;
    auto params = f.params();
    params.config.variants = {"A", "nope"};
    AbTestJob missing(params);
    auto st = missing.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("\"nope\""), std::string::npos) << st.error().message;

    promptlab::PromptVariant orphan;
    orphan.endpoint = "no-such-endpoint";
    ASSERT_TRUE(PromptRepository(f.project->writer()).save("C", orphan));
    params.config.variants = {"A", "C"};
    AbTestJob noEndpoint(params);
    st = noEndpoint.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("no-such-endpoint"), std::string::npos) << st.error().message;
    auto run = RunRepository(f.project->writer()).get(noEndpoint.runId());
    EXPECT_EQ((*run)->status, RunStatus::Failed);
}

TEST(AbTestJob, FaultsFromAnHttpPeerAreRecordedPerCellAndResumeRetriesThem)
{
    // A real OpenAI-compatible client against a fault-injecting server on loopback: 429 with
    // Retry-After, 500, 503, a stall past the timeout, a cut connection and malformed JSON. The key
    // comes from the environment and never reaches the project file.
    tstest::FaultHttpServer server;
    const std::string key = "sk-abtest-secret-4242424242";
    ::setenv("TUNESMITH_TEST_AB_KEY", key.c_str(), 1);
    tstest::TempDir dir;
    auto project = makeProject(dir / "faults.tunesmith", 6);
    Endpoint e;
    e.name = "peer";
    e.provider = tstest::fastProviderConfig(server, llm::ProviderKind::OpenAiCompatible);
    e.provider.apiKeyEnv = "TUNESMITH_TEST_AB_KEY";
    e.provider.retry.maxAttempts = 2;
    ASSERT_TRUE(EndpointRepository(project->writer()).save(e));
    promptlab::PromptVariant v;
    v.endpoint = "peer";
    ASSERT_TRUE(PromptRepository(project->writer()).save("A", v));

    auto ok = [](const std::string& text) {
        return tstest::ScriptedResponse::json(
            200,
            json {
                {"choices",
                 {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 1}}}}
                .dump());
    };
    using namespace std::chrono_literals;
    // Serial (concurrency 1), six cells: 1 ok; 2 429 (Retry-After 0) then ok; 3 500 twice → fails;
    // 4 stall twice → timeout; 5 cut twice → network; 6 malformed JSON (a bad body is not retried).
    server.enqueue(ok("2"));
    server.enqueue(
        tstest::ScriptedResponse::json(429, R"({"error":{"message":"slow down"}})").header("Retry-After", "0"));
    server.enqueue(ok("4"));
    server.enqueue(tstest::ScriptedResponse::json(500, R"({"error":{"message":"boom"}})"));
    server.enqueue(tstest::ScriptedResponse::json(503, R"({"error":{"message":"busy"}})"));
    server.enqueue(ok("late").delay(1500ms));
    server.enqueue(ok("late").delay(1500ms));
    server.enqueue(ok("cut-off-answer").cut());
    server.enqueue(ok("cut-off-answer").cut());
    server.enqueue(tstest::ScriptedResponse::json(200, "{\"choices\": [ {\"message\": ")); // not retried

    AbTestParams params;
    params.project = project.get();
    params.config.variants = {"A"};
    params.config.concurrency = 1;
    params.config.scorers = {eval::ScorerSpec {}};
    AbTestJob job(params);
    NullProgress progress;
    auto st = job.run({}, progress);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("4 of 6 calls failed"), std::string::npos) << st.error().message;
    auto cells = CellRepository(project->writer()).cells(job.runId());
    ASSERT_TRUE(cells);
    ASSERT_EQ(cells->size(), 6u) << "every cell recorded once";
    std::vector<std::string> kinds;
    for (const auto& c : *cells)
        kinds.push_back(c.errorKind);
    EXPECT_EQ(kinds, (std::vector<std::string> {"", "", "server", "timeout", "network", "bad-response"}));
    EXPECT_EQ((*cells)[1].attempts, 2);
    EXPECT_EQ((*cells)[1].output, "4");
    for (const auto& c : *cells)
        if (!c.ok())
            EXPECT_EQ(c.error.find(key), std::string::npos);
    const auto requests = server.requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests.front().header("authorization").value_or(""), "Bearer " + key);

    // Resume: the four failed cells are asked again and now succeed; nothing is duplicated.
    server.setFallback(ok("fine"));
    AbTestParams resume;
    resume.project = project.get();
    resume.resumeRunId = job.runId();
    AbTestJob again(resume);
    auto st2 = again.run({}, progress);
    ASSERT_TRUE(st2) << st2.error().message;
    EXPECT_EQ(again.result().skipped, 2);
    EXPECT_EQ(again.result().done, 4);
    cells = CellRepository(project->writer()).cells(job.runId());
    ASSERT_EQ(cells->size(), 6u);
    for (const auto& c : *cells)
        EXPECT_TRUE(c.ok()) << c.error;

    // The key is nowhere in the project file (nor its WAL).
    project.reset();
    for (const auto& path : {dir / "faults.tunesmith", dir / "faults.tunesmith-wal"}) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        EXPECT_EQ(bytes.str().find(key), std::string::npos) << path;
        EXPECT_EQ(bytes.str().find("sk-abtest"), std::string::npos) << path;
    }
    ::unsetenv("TUNESMITH_TEST_AB_KEY");
}

// An evaluation is the A/B machinery with other contestants: one prompt on two endpoints (a "base" that errs on
// every third sum and a "tuned" one that never does), run as kind "eval" under the contestants' labels, summarised
// and resumed like an A/B test; an adapter is merged only into a local endpoint.
TEST(Evaluation, ContestantsShareTheAbMachineryUnderTheirOwnLabels)
{
    Fixture f(30);
    Endpoint tuned;
    tuned.name = "tuned";
    tuned.provider.kind = llm::ProviderKind::Local;
    tuned.provider.model = (f.dir / "model").string();
    ASSERT_TRUE(EndpointRepository(f.project->writer()).save(tuned));
    struct ExactProvider final : llm::Provider
    {
        std::string describe() const override { return "exact"; }
        llm::ChatOutcome chat(const std::vector<llm::ChatMessage>& messages, const llm::ChatParams&, const CancelToken&,
                              const llm::DeltaCallback&) override
        {
            llm::ChatResult r;
            r.text = std::to_string(2 * std::stoi(messages.back().content.substr(8)));
            r.usage = {100, 2};
            return r;
        }
    };
    auto exact = std::make_shared<ExactProvider>();
    std::vector<Endpoint> asked; // what the factory was given
    std::mutex askedMutex;
    auto p = f.params();
    p.runKind = "eval";
    p.config.variants = {"A", "A"};
    p.config.contestants = {{"base", "", std::nullopt}, {"tuned", "tuned", std::string("/runs/7/adapter")}};
    auto arithmetic = f.provider;
    p.providers = [&, arithmetic, exact](const Endpoint& e) -> Expected<std::shared_ptr<llm::Provider>> {
        std::lock_guard<std::mutex> g(askedMutex);
        asked.push_back(e);
        if (e.name == "tuned")
            return std::shared_ptr<llm::Provider>(exact);
        return std::shared_ptr<llm::Provider>(arithmetic);
    };
    AbTestJob job(p);
    EXPECT_EQ(job.title(), "Evaluation");
    NullProgress progress;
    auto status = job.run({}, progress);
    ASSERT_TRUE(status) << status.error().message;
    auto run = RunRepository(f.project->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->kind, "eval");
    ASSERT_EQ(asked.size(), 2u);
    const auto local = std::find_if(asked.begin(), asked.end(), [](const Endpoint& e) { return e.name == "tuned"; });
    ASSERT_NE(local, asked.end());
    EXPECT_EQ(local->provider.adapter, "/runs/7/adapter") << "the contestant's adapter, merged into the local model";

    auto summary = promptlab::summarizeRun(f.project->writer(), job.runId());
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_EQ(summary->variants.size(), 2u);
    EXPECT_EQ(summary->variants[0].variant, "base");
    EXPECT_EQ(summary->variants[1].variant, "tuned");
    EXPECT_NEAR(summary->variants[0].scores[0].mean.mean, 20.0 / 30.0, 1e-12);
    EXPECT_NEAR(summary->variants[1].scores[0].mean.mean, 1.0, 1e-12);
    ASSERT_EQ(summary->pairs.size(), 1u);
    EXPECT_TRUE(summary->pairs[0].comparison.significant);
    EXPECT_NE(summary->pairs[0].verdict.find("tuned \u2212 base"), std::string::npos) << summary->pairs[0].verdict;

    // Resumed as an evaluation, nothing is asked again; an A/B resume does not find it.
    auto again = f.params();
    again.runKind = "eval";
    again.resumeRunId = job.runId();
    again.providers = p.providers;
    AbTestJob second(again);
    ASSERT_TRUE(second.run({}, progress));
    EXPECT_EQ(second.result().skipped, 60);
    auto asAb = f.params();
    asAb.resumeRunId = job.runId();
    AbTestJob third(asAb);
    auto wrongKind = third.run({}, progress);
    ASSERT_FALSE(wrongKind);
    EXPECT_NE(wrongKind.error().message.find("not found"), std::string::npos);
}

TEST(Evaluation, AnAdapterOnARemoteEndpointOrTwiceTheSameLabelIsRefused)
{
    Fixture f(5);
    auto p = f.params();
    p.runKind = "eval";
    p.config.variants = {"A", "B"};
    p.config.contestants = {{"a", "", std::nullopt}, {"b", "", std::string("/some/adapter")}};
    AbTestJob job(p);
    NullProgress progress;
    auto status = job.run({}, progress);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("not local"), std::string::npos) << status.error().message;

    promptlab::AbTestConfig twice;
    twice.variants = {"A", "B"};
    twice.contestants = {{"same", "", std::nullopt}, {"same", "", std::nullopt}};
    auto v = promptlab::validateAbTestConfig(twice);
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().message.find("\"same\" is used twice"), std::string::npos) << v.error().message;
    twice.contestants.pop_back();
    EXPECT_FALSE(promptlab::validateAbTestConfig(twice)) << "one contestant per variant";
    // The contestants survive the run's config JSON.
    promptlab::AbTestConfig c;
    c.variants = {"A"};
    c.contestants = {{"ft", "local", std::string("")}};
    auto back = promptlab::abTestConfigFromJson(promptlab::abTestConfigToJson(c));
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_EQ(back->contestants.size(), 1u);
    EXPECT_EQ(back->contestants[0].label, "ft");
    EXPECT_EQ(back->contestants[0].endpoint, "local");
    EXPECT_EQ(back->contestants[0].adapter, std::string(""));
}

TEST(Evaluation, RunIdNamesATrainingRunsFinalAdapter)
{
    Fixture f(3);
    Database& db = f.project->writer();
    ts::Run train;
    train.kind = "train";
    train.name = "lookup";
    ASSERT_TRUE(RunRepository(db).create(train));
    const auto folder = f.project->path().parent_path();
    auto none = promptlab::resolveAdapterReference(db, f.project->path(), "run:" + std::to_string(train.id));
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("has written no adapter yet"), std::string::npos) << none.error().message;
    Artifact adapter;
    adapter.runId = train.id;
    adapter.kind = "adapter";
    adapter.path = "lab.tunesmith-assets/runs/1/adapter";
    ASSERT_TRUE(RunRepository(db).addArtifact(adapter));
    auto found = promptlab::resolveAdapterReference(db, f.project->path(), "run:" + std::to_string(train.id));
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(*found, (folder / "lab.tunesmith-assets/runs/1/adapter").string());
    EXPECT_EQ(*promptlab::resolveAdapterReference(db, f.project->path(), "adapters/mine"),
              (folder / "adapters/mine").string());
    EXPECT_EQ(*promptlab::resolveAdapterReference(db, f.project->path(), "/abs/adapter"), "/abs/adapter");
    EXPECT_EQ(*promptlab::resolveAdapterReference(db, f.project->path(), ""), "");
    EXPECT_FALSE(promptlab::resolveAdapterReference(db, f.project->path(), "run:99"));
    EXPECT_FALSE(promptlab::resolveAdapterReference(db, f.project->path(), "run:x"));
}

// EvolveJob end to end in process: a rule-following teacher (an llm::Provider that rewrites, answers, judges and
// compares as told by markers in the seed text) drives every path of the pipeline — each elimination rule, an exact
// duplicate, a leak into the eval split, a low judge score, a failed judge, failed calls, the information-gain
// check, a JSON schema — and the funnel, lineage, cancel/resume, spend cap and promotion are checked on the project
// file. (Over real HTTP with `tunesmith-cli serve` as the teacher: tests/engine/test-evolve-cli.cpp.)
#include <atomic>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "llm/endpoint_repository.h"
#include "promptlab/prompt_repository.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "synth/evolve_job.h"
#include "synth/synthetic_row_repository.h"
#include "test_support.h"

using namespace ts;
using namespace ts::synth;

namespace {

constexpr const char* kLeakedEvalText = "What does the policy pay for a stolen bicycle kept in a locked garden shed?";

// Distinct, unrelated sentences for the teacher's rewrites (so that rewrites are not near duplicates of each other).
std::string freshSentence(int n)
{
    static const char* kWords[] = {
        "hailstone", "windscreen", "adjuster",  "roundabout", "kitchen",   "terraced", "luggage",    "courier",
        "mortgage",  "scaffold",   "orchard",   "lighthouse", "tenancy",   "pharmacy", "vineyard",   "quarry",
        "ferry",     "bakery",     "glacier",   "harbour",    "monsoon",   "tractor",  "chimney",    "balcony",
        "warehouse", "caravan",    "cathedral", "marathon",   "telescope", "saddle",   "compass",    "lantern",
        "meadow",    "tunnel",     "violin",    "pottery",    "canal",     "beehive",  "greenhouse", "trampoline",
    };
    constexpr int kCount = sizeof(kWords) / sizeof(kWords[0]);
    std::string s = "Case " + std::to_string(n) + ":";
    for (int i = 0; i < 6; ++i)
        s += std::string(" ") + kWords[(n * 7 + i * 13 + i * i * 5) % kCount];
    return s + ".";
}

class RuleTeacher final : public llm::Provider
{
public:
    std::string describe() const override { return "rule teacher"; }
    llm::ChatOutcome chat(const std::vector<llm::ChatMessage>& messages, const llm::ChatParams&,
                          const CancelToken& cancel, const llm::DeltaCallback&) override
    {
        calls.fetch_add(1);
        if (cancel.stopRequested())
            return llm::ChatError {llm::ChatErrorKind::Cancelled, "cancelled"};
        std::string prompt; // every message, to tell the prompts apart
        for (const auto& m : messages)
            prompt += m.content + "\n";
        llm::ChatResult r;
        r.usage = {100, 20};
        r.latencyMs = 1;
        if (prompt.find("You rewrite instructions") != std::string::npos) {
            if (failRewrites)
                return llm::ChatError {llm::ChatErrorKind::Server, "HTTP 500: the teacher is down"};
            const std::string parent
                = messages.back().content.substr(messages.back().content.rfind("Instruction:\n") + 13);
            if (parent.find("MARKER") != std::string::npos)
                r.text = "#Rewritten Prompt#: " + parent;
            else if (parent.find("LEAK") != std::string::npos)
                r.text = kLeakedEvalText;
            else if (parent.find("TWIN") != std::string::npos)
                r.text = "List every document a traveller needs to claim for lost luggage.";
            else
                r.text = std::string(parent.find("REFUSE") != std::string::npos ? "REFUSE " : "")
                    + (parent.find("LOWQ") != std::string::npos ? "LOWQ " : "")
                    + (parent.find("BADJSON") != std::string::npos ? "BADJSON " : "")
                    + freshSentence(rewrites.fetch_add(1));
        } else if (prompt.find("Rating: [[5]]") != std::string::npos) {
            if (judgeBroken)
                r.text = "I would rather not put a number on it.";
            else
                r.text = prompt.find("LOWQ") != std::string::npos ? "Vague. Rating: [[3]]" : "Good. Rating: [[8]]";
        } else if (prompt.find("Equal or Not Equal") != std::string::npos) {
            r.text = sayEqual ? "Equal" : "Not Equal";
        } else { // the answer
            const bool structured
                = prompt.find("category") != std::string::npos || prompt.find("JSON") != std::string::npos;
            if (prompt.find("REFUSE") != std::string::npos)
                r.text = "Sorry, I can't help with that.";
            else if (structured)
                r.text
                    = prompt.find("BADJSON") != std::string::npos ? R"({"category": 5})" : R"({"category": "glass"})";
            else
                r.text = "Collect the photographs, the receipts and the policy number, then call the claims line.";
        }
        return r;
    }
    std::atomic<int> calls {0};
    std::atomic<int> rewrites {0};
    std::atomic<bool> failRewrites {false};
    std::atomic<bool> judgeBroken {false};
    std::atomic<bool> sayEqual {false};
};

Example row(const std::string& in, const std::string& out, Split split = Split::Train)
{
    Example e;
    e.messages = {{"system", "You handle insurance claims."}, {"user", in}, {"assistant", out}};
    e.split = split;
    e.tags = {"claims"};
    return e;
}

struct Fixture
{
    tstest::TempDir dir;
    std::unique_ptr<Project> project;
    std::shared_ptr<RuleTeacher> teacher = std::make_shared<RuleTeacher>();
    std::vector<int64_t> seedIds;
    int64_t leakedEvalId = 0;

    explicit Fixture(bool structured = false)
    {
        auto p = Project::create(dir / "synth.tunesmith");
        EXPECT_TRUE(p) << (p ? "" : p.error().message);
        project = std::move(*p);
        ExampleRepository repo(project->writer());
        const std::string answer = structured ? R"({"category": "glass"})" : "File it online with photographs.";
        const std::vector<std::string> seeds = structured
            ? std::vector<std::string> {"Classify: a cracked windscreen after hail.",
                                        "BADJSON Classify: a dented car door."}
            : std::vector<std::string> {
                "Explain how to file a claim for a cracked windscreen after a hailstorm in Leeds.",
                "MARKER Describe the steps to report water damage from a burst pipe in a flat.",
                "REFUSE Outline what a policyholder should do after a minor car accident at a roundabout.",
                "LEAK Summarise the coverage for stolen bicycles left in a locked garden shed.",
                "TWIN List the documents needed to claim for a lost suitcase on a train journey.",
                "TWIN Give advice on claiming for storm damage to a garden fence and shed roof.",
                "LOWQ Write a short note about claiming for a dropped phone with a cracked screen.",
                "Describe how an adjuster estimates fire damage to a kitchen in a terraced house.",
            };
        for (const auto& s : seeds) {
            auto e = row(s, answer);
            EXPECT_TRUE(repo.insert(e));
            seedIds.push_back(e.id);
        }
        auto leaked = row(kLeakedEvalText, "Up to the bicycle's value, less the excess.", Split::Eval);
        EXPECT_TRUE(repo.insert(leaked));
        leakedEvalId = leaked.id;
        auto other = row("How long does a claim for a flooded basement take?", "About six weeks.", Split::Test);
        EXPECT_TRUE(repo.insert(other));
        Endpoint e;
        e.name = "teacher";
        e.provider.kind = llm::ProviderKind::OpenAiCompatible;
        e.provider.baseUrl = "http://127.0.0.1:9/v1"; // never called: the factory below answers
        e.provider.model = "teacher-1";
        e.price = llm::ModelPrice {1.0, 2.0}; // $ per 1M tokens
        EXPECT_TRUE(EndpointRepository(project->writer()).save(e));
    }

    EvolveParams params()
    {
        EvolveParams p;
        p.project = project.get();
        p.config.teacherEndpoint = "teacher";
        p.config.rounds = 2;
        p.config.targetCount = 12; // 16 candidates, 8 a round
        p.config.keepRate = 0.75;
        p.config.concurrency = 4;
        p.runName = "evolve test";
        auto teacher = this->teacher;
        p.providers = [teacher](const Endpoint&) -> Expected<std::shared_ptr<llm::Provider>> {
            return std::shared_ptr<llm::Provider>(teacher);
        };
        return p;
    }

    std::vector<SyntheticRow> rows(int64_t runId)
    {
        auto r = SyntheticRowRepository(project->writer()).rows(runId);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : std::vector<SyntheticRow> {};
    }
};

Status runJob(EvolveJob& job, const CancelToken& cancel = CancelToken())
{
    NullProgress progress;
    return job.run(cancel, progress);
}

const SyntheticRow& atSlot(const std::vector<SyntheticRow>& rows, int64_t slot)
{
    for (const auto& r : rows)
        if (r.slot == slot)
            return r;
    throw std::runtime_error("no row at slot " + std::to_string(slot));
}

// The stages every fixture run reaches (see the markers above): slot → stage.
void expectTheFullRun(const std::vector<SyntheticRow>& rows, const Fixture& f)
{
    ASSERT_EQ(rows.size(), 16u);
    std::set<int64_t> slots;
    for (const auto& r : rows)
        slots.insert(r.slot);
    EXPECT_EQ(slots.size(), 16u) << "every planned row exactly once";
    const SyntheticStage expected[16] = {
        SyntheticStage::Passed, SyntheticStage::Eliminated, SyntheticStage::Eliminated, SyntheticStage::Leak,
        SyntheticStage::Passed, SyntheticStage::Duplicate,  SyntheticStage::LowQuality, SyntheticStage::Passed,
        SyntheticStage::Passed, SyntheticStage::Eliminated, SyntheticStage::Eliminated, SyntheticStage::Passed,
        SyntheticStage::Passed, SyntheticStage::Passed,     SyntheticStage::LowQuality, SyntheticStage::Passed,
    };
    for (int64_t s = 0; s < 16; ++s)
        EXPECT_EQ(syntheticStageName(atSlot(rows, s).stage), syntheticStageName(expected[s]))
            << "slot " << s << ": " << atSlot(rows, s).reason;
    EXPECT_NE(atSlot(rows, 1).reason.find("rewriting prompt's words"), std::string::npos) << atSlot(rows, 1).reason;
    EXPECT_NE(atSlot(rows, 2).reason.find("refusal"), std::string::npos) << atSlot(rows, 2).reason;
    EXPECT_EQ(atSlot(rows, 3).leakExampleId, f.leakedEvalId);
    EXPECT_NE(atSlot(rows, 3).reason.find(std::to_string(f.leakedEvalId)), std::string::npos) << atSlot(rows, 3).reason;
    EXPECT_EQ(atSlot(rows, 5).duplicateOfRowId, atSlot(rows, 4).id);
    EXPECT_EQ(atSlot(rows, 6).quality, 3.0);
    EXPECT_EQ(atSlot(rows, 0).quality, 8.0);
    // Lineage: round 2 evolves round 1's rows; an eliminated row's parent (the seed) goes back into the pool.
    EXPECT_EQ(atSlot(rows, 8).parentRowId, atSlot(rows, 0).id);
    EXPECT_EQ(atSlot(rows, 8).seedExampleId, f.seedIds[0]);
    EXPECT_FALSE(atSlot(rows, 9).parentRowId.has_value());
    EXPECT_EQ(atSlot(rows, 9).seedExampleId, f.seedIds[1]);
    EXPECT_EQ(atSlot(rows, 13).parentRowId, atSlot(rows, 5).id) << "a duplicate passed elimination: it may evolve";
    for (const auto& r : rows) {
        EXPECT_EQ(r.teacherEndpoint, "teacher");
        EXPECT_EQ(r.teacherModel, "teacher-1");
        EXPECT_GT(r.tokensIn, 0);
        ASSERT_TRUE(r.cost.has_value());
        EXPECT_GT(*r.cost, 0);
        EXPECT_FALSE(r.operation.empty());
        EXPECT_TRUE(evolOperationFromName(r.operation).has_value()) << r.operation;
    }
}

} // namespace

TEST(SynthEvolveJob, EveryRuleFiresAndTheFunnelAddsUp)
{
    Fixture f;
    EvolveJob job(f.params());
    auto status = runJob(job);
    ASSERT_TRUE(status) << status.error().message;
    const auto rows = f.rows(job.runId());
    expectTheFullRun(rows, f);
    const SyntheticFunnel& funnel = job.result().funnel;
    EXPECT_EQ(funnel.failed, 0);
    EXPECT_EQ(funnel.generated, 16);
    EXPECT_EQ(funnel.passedElimination, 12);
    EXPECT_EQ(funnel.unique, 10);
    EXPECT_EQ(funnel.aboveThreshold, 8);
    EXPECT_EQ(funnel.waiting, 0);
    // Calls: 16 rewrites, 14 answers (the two marker rows stop before), 10 judge calls.
    EXPECT_EQ(f.teacher->calls.load(), 16 + 14 + 10);
    double cost = 0;
    for (const auto& r : rows)
        cost += r.cost.value_or(0);
    EXPECT_NEAR(job.result().runSpentUsd, cost, 1e-12);
    auto run = RunRepository(f.project->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ((*run)->kind, "evolve");
    EXPECT_EQ((*run)->status, RunStatus::Succeeded);
}

TEST(SynthEvolveJob, LineageRunsFromTheSeedThroughEachStep)
{
    Fixture f;
    EvolveJob job(f.params());
    ASSERT_TRUE(runJob(job));
    const auto rows = f.rows(job.runId());
    auto chain = SyntheticRowRepository(f.project->writer()).lineage(atSlot(rows, 8).id);
    ASSERT_TRUE(chain) << chain.error().message;
    ASSERT_EQ(chain->size(), 2u);
    EXPECT_EQ(chain->front().id, atSlot(rows, 0).id);
    EXPECT_EQ(chain->back().id, atSlot(rows, 8).id);
    EXPECT_EQ(chain->front().seedExampleId, f.seedIds[0]);
    EXPECT_EQ(chain->front().round, 1);
    EXPECT_EQ(chain->back().round, 2);
}

TEST(SynthEvolveJob, CancelledThenResumedMakesEveryRowExactlyOnce)
{
    Fixture f;
    CancelToken cancel;
    std::atomic<int> stored {0};
    auto p = f.params();
    p.onRow = [&](const SyntheticRow&) {
        if (++stored == 5)
            cancel.requestStop();
    };
    EvolveJob first(p);
    auto status = runJob(first, cancel);
    ASSERT_FALSE(status);
    EXPECT_TRUE(isCancelled(status)) << status.error().message;
    const auto partial = f.rows(first.runId());
    EXPECT_GE(partial.size(), 5u);
    EXPECT_LT(partial.size(), 16u);

    auto resume = f.params();
    resume.resumeRunId = first.runId();
    EvolveJob second(resume);
    ASSERT_TRUE(runJob(second));
    EXPECT_EQ(second.result().skipped, static_cast<int64_t>(partial.size()));
    const auto rows = f.rows(first.runId());
    expectTheFullRun(rows, f);
    for (const auto& before : partial)
        EXPECT_EQ(atSlot(rows, before.slot).id, before.id) << "a stored row is kept, not made again";
}

TEST(SynthEvolveJob, TheSpendCapStopsBeforeItIsPassedAndCountsTheJudge)
{
    Fixture f;
    auto p = f.params();
    p.config.spendCapUsd = 0.004; // the whole run costs 40 calls × $0.00014 = $0.0056
    p.config.maxTokens = 256;
    EvolveJob job(p);
    auto status = runJob(job);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("spend cap"), std::string::npos) << status.error().message;
    EXPECT_TRUE(job.result().spendCapReached);
    const auto rows = f.rows(job.runId());
    EXPECT_LT(rows.size(), 16u);
    EXPECT_GT(rows.size(), 0u);
    double cost = 0;
    for (const auto& r : rows)
        cost += r.cost.value_or(0);
    EXPECT_LE(cost, 0.004);
    EXPECT_NEAR(job.result().runSpentUsd, cost, 1e-12);

    // Resumed with the same cap, the run may use what the first session's reservations left unspent, and stops at
    // the cap again without passing it; with the cap raised it finishes, and the run keeps the new cap.
    auto again = f.params();
    again.resumeRunId = job.runId();
    EvolveJob second(again);
    auto secondStatus = runJob(second);
    ASSERT_FALSE(secondStatus);
    EXPECT_NE(secondStatus.error().message.find("spend cap"), std::string::npos) << secondStatus.error().message;
    const auto afterSecond = f.rows(job.runId());
    EXPECT_GE(afterSecond.size(), rows.size());
    EXPECT_LT(afterSecond.size(), 16u);
    double secondCost = 0;
    for (const auto& r : afterSecond)
        secondCost += r.cost.value_or(0);
    EXPECT_LE(secondCost, 0.004);
    again.newSpendCapUsd = 1.0;
    EvolveJob third(again);
    ASSERT_TRUE(runJob(third));
    expectTheFullRun(f.rows(job.runId()), f);
    auto run = RunRepository(f.project->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_EQ(evolveConfigFromJson(nlohmann::json::parse((*run)->config))->spendCapUsd, 1.0);
}

TEST(SynthEvolveJob, AnEqualVerdictEliminatesForNoInformationGain)
{
    Fixture f;
    f.teacher->sayEqual = true;
    auto p = f.params();
    p.config.checkInformationGain = true;
    EvolveJob job(p);
    ASSERT_TRUE(runJob(job));
    int noGain = 0;
    for (const auto& r : f.rows(job.runId()))
        if (r.stage == SyntheticStage::Eliminated && r.reason.find("no information gain") != std::string::npos)
            ++noGain;
    EXPECT_EQ(noGain, 12) << "every row that passed the text rules";
    EXPECT_EQ(job.result().funnel.unique, 0);
}

TEST(SynthEvolveJob, AFailedJudgeIsRecordedNeverAZeroAndIsJudgedAgainOnResume)
{
    Fixture f;
    f.teacher->judgeBroken = true;
    EvolveJob job(f.params());
    auto status = runJob(job);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("resume to retry"), std::string::npos) << status.error().message;
    for (const auto& r : f.rows(job.runId())) {
        EXPECT_NE(r.stage, SyntheticStage::LowQuality);
        if (r.stage == SyntheticStage::JudgeFailed) {
            EXPECT_FALSE(r.quality.has_value());
            EXPECT_NE(r.reason.find("judge"), std::string::npos);
        }
    }
    EXPECT_EQ(job.result().judgeFailed, 10);
    f.teacher->judgeBroken = false;
    auto resume = f.params();
    resume.resumeRunId = job.runId();
    EvolveJob second(resume);
    ASSERT_TRUE(runJob(second));
    expectTheFullRun(f.rows(job.runId()), f);
}

TEST(SynthEvolveJob, FailedCallsAreKeptWithTheirReasonAndMadeAgainOnResume)
{
    Fixture f;
    f.teacher->failRewrites = true;
    EvolveJob job(f.params());
    auto status = runJob(job);
    ASSERT_FALSE(status);
    const auto failed = f.rows(job.runId());
    ASSERT_EQ(failed.size(), 16u);
    for (const auto& r : failed) {
        EXPECT_EQ(r.stage, SyntheticStage::Failed);
        EXPECT_NE(r.reason.find("teacher is down"), std::string::npos) << r.reason;
    }
    EXPECT_EQ(job.result().funnel.failed, 16);
    f.teacher->failRewrites = false;
    auto resume = f.params();
    resume.resumeRunId = job.runId();
    EvolveJob second(resume);
    ASSERT_TRUE(runJob(second));
    const auto rows = f.rows(job.runId());
    expectTheFullRun(rows, f);
    for (const auto& before : failed)
        EXPECT_EQ(atSlot(rows, before.slot).id, before.id) << "made again in place";
}

TEST(SynthEvolveJob, StructuredAnswersKeepTheSchemaOfTheAnswerPrompt)
{
    Fixture f(/*structured=*/true);
    promptlab::PromptVariant v;
    v.role = "You classify claims.";
    v.jsonSchema = nlohmann::json::parse(R"({"type": "object", "properties": {"category": {"type": "string"}},
                                               "required": ["category"]})");
    v.endpoint = "teacher";
    ASSERT_TRUE(PromptRepository(f.project->writer()).save("classify", v));
    auto p = f.params();
    p.config.answerPrompt = "classify";
    p.config.rounds = 1;
    p.config.targetCount = 2;
    p.config.keepRate = 1;
    EvolveJob job(p);
    ASSERT_TRUE(runJob(job));
    const auto rows = f.rows(job.runId());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(atSlot(rows, 0).stage, SyntheticStage::Passed) << atSlot(rows, 0).reason;
    EXPECT_EQ(atSlot(rows, 0).output, R"({"category": "glass"})");
    EXPECT_EQ(atSlot(rows, 1).stage, SyntheticStage::Eliminated);
    EXPECT_NE(atSlot(rows, 1).reason.find("/category"), std::string::npos) << atSlot(rows, 1).reason;
    // The rewrite prompt carried the task's answer form.
    auto run = RunRepository(f.project->writer()).get(job.runId());
    ASSERT_TRUE(run && *run);
    EXPECT_TRUE(evolveConfigFromJson(nlohmann::json::parse((*run)->config))->answerPromptVersionId.has_value());
}

TEST(SynthEvolveJob, AcceptedRowsArePromotedToTheTrainSplitAndTheUndoRemovesThem)
{
    Fixture f;
    EvolveJob job(f.params());
    ASSERT_TRUE(runJob(job));
    SyntheticRowRepository repo(f.project->writer());
    const auto rows = f.rows(job.runId());
    auto before = repo.setReview({atSlot(rows, 0).id, atSlot(rows, 8).id}, SyntheticReview::Accepted);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->at(0), SyntheticReview::Pending);
    ASSERT_TRUE(repo.setReview({atSlot(rows, 6).id}, SyntheticReview::Rejected));
    auto promoted = repo.promoteAccepted(job.runId());
    ASSERT_TRUE(promoted) << promoted.error().message;
    ASSERT_EQ(promoted->size(), 2u);
    auto example = ExampleRepository(f.project->writer()).get(promoted->at(1));
    ASSERT_TRUE(example && *example);
    EXPECT_EQ((*example)->split, Split::Train);
    EXPECT_EQ((*example)->source, Source::Synthetic);
    EXPECT_EQ((*example)->parentId, f.seedIds[0]);
    EXPECT_EQ((*example)->input(), atSlot(rows, 8).instruction);
    EXPECT_EQ((*example)->output(), atSlot(rows, 8).output);
    EXPECT_EQ((*example)->system(), "You handle insurance claims.");
    EXPECT_EQ((*example)->evolutionOp, atSlot(rows, 8).operation);
    auto funnel = repo.funnel(job.runId());
    ASSERT_TRUE(funnel);
    EXPECT_EQ(funnel->accepted, 2);
    EXPECT_EQ(funnel->rejected, 1);
    EXPECT_EQ(funnel->promoted, 2);
    EXPECT_TRUE(repo.promoteAccepted(job.runId())->empty()) << "promoted once";
    ASSERT_TRUE(repo.unpromote(*promoted));
    EXPECT_FALSE(*ExampleRepository(f.project->writer()).get(promoted->at(0)));
    EXPECT_EQ(repo.funnel(job.runId())->promoted, 0);
    // The rejected row stays in the project with its reason.
    EXPECT_EQ(repo.get(atSlot(rows, 6).id)->value().review, SyntheticReview::Rejected);
}

TEST(SynthEvolveJob, BadSettingsAreNamedBeforeAnythingIsStored)
{
    Fixture f;
    auto p = f.params();
    p.config.teacherEndpoint = "nope";
    EvolveJob job(p);
    auto status = runJob(job);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("\"nope\""), std::string::npos) << status.error().message;
    auto p2 = f.params();
    p2.config.seedTags = {"no-such-tag"};
    EvolveJob job2(p2);
    auto status2 = runJob(job2);
    ASSERT_FALSE(status2);
    EXPECT_NE(status2.error().message.find("no seed rows"), std::string::npos) << status2.error().message;
    EXPECT_TRUE(RunRepository(f.project->writer()).list()->empty());
}

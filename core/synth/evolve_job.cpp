// EvolveJob::run, top to bottom:
//   1. the run: new (seeds, answer prompt and templates resolved into its config) or resumed
//   2. what it needs: seeds, the answer variant, teacher and judge providers and prices, the golden eval/test rows
//   3. per round: the candidates not stored yet (and the failed ones of the round it stopped in), each on a
//      worker: parent → operation → reserve worst-case cost → rewrite → rules → answer → rules → (gain check)
//      → store
//   4. per round: dedupe over the run's rows and the references; then the judge on the unique rows
//   5. the run's status: succeeded, cancelled, spend cap, or failed with the count of failed calls
#include "synth/evolve_job.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "eval/json_output.h"
#include "eval/json_schema.h"
#include "eval/judge.h"
#include "jobs/worker_pool.h"
#include "promptlab/endpoint_price.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/render.h"
#include "promptlab/spend_budget.h"
#include "store/busy_retry.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_lease.h"
#include "store/run_repository.h"
#include "synth/elimination.h"
#include "synth/information_gain.h"
#include "synth/synthetic_row_repository.h"
#include "synth/writing_script.h"

namespace ts::synth {

using json = nlohmann::json;

EvolveJob::EvolveJob(EvolveParams params)
    : m_params(std::move(params))
{ }

std::string EvolveJob::title() const
{
    return "Evolve" + (m_params.runName.empty() ? std::string() : " " + m_params.runName);
}

ResourceClaims EvolveJob::resources() const
{
    ResourceClaims claims = m_params.claims;
    claims.push_back(projectFileClaim());
    return claims;
}

namespace {

// A model the run calls: its provider, price and model name.
struct Caller
{
    std::string endpoint;
    std::shared_ptr<llm::Provider> provider;
    promptlab::EndpointPrice price;
};

// What a candidate evolves: a seed, or a row that passed elimination.
struct ParentText
{
    std::optional<int64_t> rowId; // nullopt: the seed itself
    int64_t seedExampleId = 0;
    std::string instruction;
};

// The cost, tokens and time of a row's calls so far.
struct CallTally
{
    int64_t tokensIn = 0, tokensOut = 0, latencyMs = 0;
    std::optional<double> cost;

    void add(const llm::ChatResult& r, const promptlab::EndpointPrice& price)
    {
        tokensIn += r.usage.inputTokens;
        tokensOut += r.usage.outputTokens;
        latencyMs += r.latencyMs;
        if (auto c = price.cost(r.usage))
            cost = cost.value_or(0) + *c;
    }
    void into(SyntheticRow& row) const
    {
        row.tokensIn += tokensIn;
        row.tokensOut += tokensOut;
        row.latencyMs += latencyMs;
        if (cost)
            row.cost = row.cost.value_or(0) + *cost;
    }
};

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

bool isStructured(std::string_view output)
{
    auto parsed = eval::parseJsonOutput(output);
    return parsed && (parsed->value.is_object() || parsed->value.is_array());
}

std::string usd(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 1 ? "$%.4f" : "$%.2f", v);
    return buf;
}

Status setStatus(Project& project, int64_t runId, RunStatus status, const std::string& error = {})
{
    auto lock = project.writeLock();
    return RunRepository(project.writer()).setStatus(runId, status, error);
}

// Creates the run: the config validated, seeds, answer prompt and templates resolved.
Expected<int64_t> createRun(Project& project, EvolveConfig& config, const std::string& name)
{
    if (auto v = validateEvolveConfig(config); !v)
        return v.error();
    auto lock = project.writeLock();
    Database& db = project.writer();
    if (auto e = EndpointRepository(db).get(config.teacherEndpoint); !e)
        return e.error();
    else if (!*e)
        return makeError("teacher endpoint \"" + config.teacherEndpoint + "\" not found in this project");
    if (!config.judgeEndpoint.empty()) {
        if (auto e = EndpointRepository(db).get(config.judgeEndpoint); !e)
            return e.error();
        else if (!*e)
            return makeError("judge endpoint \"" + config.judgeEndpoint + "\" not found in this project");
    }
    if (config.seedIds.empty()) {
        auto split = splitFromName(config.seedSplit);
        if (!split)
            return makeError("unknown seed split \"" + config.seedSplit + "\"");
        auto rows = ExampleRepository(db).inSplit(*split);
        if (!rows)
            return rows.error();
        for (const Example& e : *rows) {
            const bool tagged = std::all_of(config.seedTags.begin(), config.seedTags.end(), [&](const std::string& t) {
                return std::find(e.tags.begin(), e.tags.end(), t) != e.tags.end();
            });
            if (tagged && e.source != Source::Synthetic && !e.input().empty())
                config.seedIds.push_back(e.id);
        }
        std::sort(config.seedIds.begin(), config.seedIds.end());
    }
    if (config.seedIds.empty())
        return makeError("no seed rows: the " + config.seedSplit + " split has no golden examples with a user turn"
                         + (config.seedTags.empty() ? std::string() : " carrying the chosen tags"));
    if (!config.answerPrompt.empty()) {
        auto version = PromptRepository(db).resolve(config.answerPrompt);
        if (!version)
            return makeError("answer prompt: " + version.error().message);
        config.answerPromptVersionId = version->id;
    }
    // The project's templates, as they are now: the run keeps its copy.
    lock.unlock();
    auto templates = loadEvolTemplates(project);
    if (!templates)
        return templates.error();
    config.templates = *templates;
    lock.lock();
    Run run;
    run.kind = "evolve";
    run.name = name;
    run.config = evolveConfigToJson(config).dump();
    if (auto c = RunRepository(db).create(run); !c)
        return c.error();
    return run.id;
}

} // namespace

Status EvolveJob::run(const CancelToken& cancel, ProgressSink& progress)
{
    if (!m_params.project)
        return makeError("evolve: no project");
    Project& project = *m_params.project;
    auto providers = m_params.providers ? m_params.providers : makeDefaultProviderFactory();

    // 1. The run -------------------------------------------------------------------------------
    EvolveConfig config = m_params.config;
    int64_t runId = 0;
    if (m_params.resumeRunId) {
        auto lock = project.writeLock();
        auto run = RunRepository(project.writer()).get(*m_params.resumeRunId);
        if (!run)
            return run.error();
        if (!*run || (*run)->kind != "evolve")
            return makeError("evolve run " + std::to_string(*m_params.resumeRunId) + " not found");
        auto stored = evolveConfigFromJson(json::parse((*run)->config, nullptr, false));
        if (!stored)
            return makeError("evolve run " + std::to_string((*run)->id) + ": " + stored.error().message);
        config = std::move(*stored);
        runId = (*run)->id;
        if (m_params.newSpendCapUsd) {
            // The user raised (or lowered) the cap to go on: the run's config says so from now on.
            config.spendCapUsd = *m_params.newSpendCapUsd;
            if (auto v = validateEvolveConfig(config); !v)
                return v.error();
            if (auto s = RunRepository(project.writer()).setConfig(runId, evolveConfigToJson(config).dump()); !s)
                return s;
        }
    } else {
        auto created = createRun(project, config, m_params.runName);
        if (!created)
            return created.error();
        runId = *created;
    }
    m_runId = runId;
    m_result.runId = runId;
    auto lease = RunLease::acquire(project.path(), runId, cancel);
    if (!lease)
        return lease.error();
    if (auto s = setStatus(project, runId, RunStatus::Running); !s)
        return s;
    auto fail = [&](const std::string& message) -> Status {
        (void)setStatus(project, runId, RunStatus::Failed, message);
        return makeError(message);
    };

    // 2. Seeds, answer variant, providers, references, stored rows ------------------------------
    std::map<int64_t, Example> seeds;
    std::vector<int64_t> seedOrder;
    std::optional<PromptVersion> answerVersion;
    std::vector<Example> fewShot;
    std::vector<ReferenceText> references;
    Caller teacher, judge;
    std::map<int64_t, SyntheticRow> stored; // by slot
    {
        auto reader = project.openReader();
        if (!reader)
            return fail(reader.error().message);
        ExampleRepository examples(*reader);
        auto rows = examples.getMany(config.seedIds);
        if (!rows)
            return fail(rows.error().message);
        for (Example& e : *rows) {
            seedOrder.push_back(e.id);
            seeds.emplace(e.id, std::move(e));
        }
        if (seeds.empty())
            return fail("every seed row of this run was deleted");
        if (config.answerPromptVersionId) {
            auto version = PromptRepository(*reader).byId(*config.answerPromptVersionId);
            if (!version)
                return fail(version.error().message);
            if (!*version)
                return fail("the answer prompt's version " + std::to_string(*config.answerPromptVersionId)
                            + " no longer exists");
            answerVersion = **version;
            auto shots = examples.getMany(answerVersion->variant.fewShotIds);
            if (!shots)
                return fail(shots.error().message);
            fewShot = std::move(*shots);
        }
        EndpointRepository endpoints(*reader);
        auto makeCaller = [&](const std::string& name, Caller& caller) -> Status {
            auto e = endpoints.get(name);
            if (!e)
                return e.error();
            if (!*e)
                return makeError("endpoint \"" + name + "\" not found in this project");
            auto p = providers(**e);
            if (!p)
                return p.error();
            caller.endpoint = name;
            caller.provider = *p;
            caller.price.price = (*e)->price;
            caller.price.model = (*e)->provider.model;
            return {};
        };
        if (auto s = makeCaller(config.teacherEndpoint, teacher); !s)
            return fail("teacher: " + s.error().message);
        if (config.judgeEndpoint.empty() || config.judgeEndpoint == config.teacherEndpoint)
            judge = teacher;
        else if (auto s = makeCaller(config.judgeEndpoint, judge); !s)
            return fail("judge: " + s.error().message);
        for (Split split : {Split::Eval, Split::Test}) {
            auto refs = examples.inSplit(split);
            if (!refs)
                return fail(refs.error().message);
            for (const Example& e : *refs)
                references.push_back({e.id, std::string(splitName(split)), e.input()});
        }
        auto rowsSoFar = SyntheticRowRepository(*reader).rows(runId);
        if (!rowsSoFar)
            return fail(rowsSoFar.error().message);
        for (SyntheticRow& r : *rowsSoFar)
            stored.emplace(r.slot, std::move(r));
    }
    const json* schema
        = answerVersion && answerVersion->variant.jsonSchema ? &*answerVersion->variant.jsonSchema : nullptr;

    const int64_t perRound = config.perRound();
    m_result.planned = perRound * config.rounds;
    double spentBefore = 0;
    for (const auto& [slot, r] : stored)
        spentBefore += r.cost.value_or(0);
    // The cap covers the whole run: earlier sessions' spend is taken off it.
    std::optional<double> capLeft;
    if (config.spendCapUsd)
        capLeft = std::max(1e-12, *config.spendCapUsd - spentBefore);
    promptlab::SpendBudget budget(capLeft);
    if (config.spendCapUsd && spentBefore >= *config.spendCapUsd) {
        m_result.spendCapReached = true;
        m_result.runSpentUsd = spentBefore;
        return fail("spend cap of " + usd(*config.spendCapUsd) + " already reached (" + usd(spentBefore)
                    + " spent in this run); resume with a higher cap to continue");
    }

    // Cancel and a lost lease stop the workers and abort the calls in flight.
    CancelToken stop;
    std::atomic<bool> finished {false};
    std::thread watcher([&] {
        while (!finished.load() && !stop.stopRequested()) {
            if (cancel.stopRequested() || (*lease)->lost())
                stop.requestStop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::mutex mutex; // m_result, stored, progress, errors
    std::optional<Error> storeError;
    std::optional<std::string> workerError;
    std::string firstError;
    int64_t doneSlots = static_cast<int64_t>(stored.size()); // for progress: slots stored (any session)

    const auto progressText = [&](const std::string& what) {
        const double spent = spentBefore + budget.spent().total();
        return what + (spent > 0 ? ", " + usd(spent) + " spent" : std::string())
            + (config.spendCapUsd ? " of " + usd(*config.spendCapUsd) : std::string());
    };
    const auto storeRow = [&](SyntheticRow& row, bool update) -> bool {
        auto write = [&]() -> Status {
            auto lock = project.writeLock();
            SyntheticRowRepository repo(project.writer());
            return update ? repo.updatePipeline(row) : repo.put(row);
        };
        auto onBusy = [&](int attempt, const std::string& message) {
            std::lock_guard<std::mutex> g(mutex);
            progress.report({doneSlots, m_result.planned,
                             "The project file is busy (another process is writing to it); waiting to store a row, "
                             "attempt "
                                 + std::to_string(attempt) + " (" + message + ")"});
        };
        if (auto s = retryWhileBusy(write, cancel, onBusy); !s) {
            std::lock_guard<std::mutex> g(mutex);
            if (!storeError && !isCancelled(s))
                storeError = s.error();
            stop.requestStop();
            return false;
        }
        if (m_params.onRow)
            m_params.onRow(row);
        return true;
    };
    const auto runPool = [&](size_t count, const std::function<void()>& work) {
        const int threads = std::max(1, std::min<int>(config.concurrency, static_cast<int>(count)));
        auto escaped = runWorkerPool(threads, work, [&] { stop.requestStop(); });
        std::lock_guard<std::mutex> g(mutex);
        if (escaped && !workerError)
            workerError = escaped;
    };
    const auto capStop = [&] {
        std::lock_guard<std::mutex> g(mutex);
        progress.report({doneSlots, m_result.planned, progressText("Spend cap reached: no new calls start")});
    };

    // Rows whose judging failed in an earlier session are judged again (once in this session).
    std::set<int64_t> judgeAgain;
    for (const auto& [slot, r] : stored)
        if (r.stage == SyntheticStage::JudgeFailed)
            judgeAgain.insert(slot);
    const auto stopping = [&] { return stop.stopRequested() || cancel.stopRequested(); };

    for (int round = 1; round <= config.rounds && !stopping() && !budget.capReached(); ++round) {
        // 3. The round's candidates ----------------------------------------------------------------
        struct Task
        {
            int64_t slot;
            ParentText parent;
            EvolOperation op;
        };
        std::vector<Task> tasks;
        for (int64_t j = 0; j < perRound; ++j) {
            const int64_t slot = int64_t(round - 1) * perRound + j;
            auto have = stored.find(slot);
            if (have != stored.end()) {
                // Finished rows are kept; a row whose call failed is made again (once per session).
                if (have->second.stage != SyntheticStage::Failed) {
                    ++m_result.skipped;
                    continue;
                }
            }
            ParentText parent;
            if (round == 1) {
                const Example& seed = seeds.at(seedOrder[size_t(j) % seedOrder.size()]);
                parent = {std::nullopt, seed.id, seed.input()};
            } else {
                auto prev = stored.find(slot - perRound);
                if (prev == stored.end())
                    continue; // its predecessor never ran (stopped at the cap): nothing to evolve
                const SyntheticRow* from = &prev->second;
                if (!passedElimination(from->stage)) {
                    // A failed evolution puts its parent back into the pool.
                    const SyntheticRow* up = nullptr;
                    if (from->parentRowId)
                        for (const auto& [s, r] : stored)
                            if (r.id == *from->parentRowId)
                                up = &r;
                    if (!up) {
                        auto seed = from->seedExampleId ? seeds.find(*from->seedExampleId) : seeds.end();
                        if (seed == seeds.end())
                            continue; // its seed was deleted
                        parent = {std::nullopt, seed->first, seed->second.input()};
                    } else {
                        parent = {up->id, up->seedExampleId.value_or(0), up->instruction};
                    }
                } else {
                    parent = {from->id, from->seedExampleId.value_or(0), from->instruction};
                }
            }
            std::mt19937_64 rng(config.seed * 0x9E3779B97F4A7C15ull + uint64_t(slot) * 0xBF58476D1CE4E5B9ull + 1);
            auto op = pickEvolOperation(config.weights, rng);
            if (!op)
                break;
            tasks.push_back({slot, parent, *op});
        }
        progress.report({doneSlots, m_result.planned,
                         progressText("Round " + std::to_string(round) + " of " + std::to_string(config.rounds) + ": "
                                      + std::to_string(tasks.size()) + " candidates")});

        std::atomic<size_t> next {0};
        runPool(tasks.size(), [&] {
            for (;;) {
                if (stop.stopRequested() || cancel.stopRequested() || budget.capReached())
                    return;
                const size_t i = next.fetch_add(1);
                if (i >= tasks.size())
                    return;
                const Task& task = tasks[i];
                const Example& seed = seeds.count(task.parent.seedExampleId) ? seeds.at(task.parent.seedExampleId)
                                                                             : seeds.begin()->second;
                const std::string seedOutput = seed.output();
                const bool structured = schema || isStructured(seedOutput);

                SyntheticRow row;
                row.runId = runId;
                row.round = round;
                row.slot = task.slot;
                row.seedExampleId = task.parent.seedExampleId;
                row.parentRowId = task.parent.rowId;
                row.operation = std::string(evolOperationName(task.op));
                row.teacherEndpoint = teacher.endpoint;
                row.teacherModel = teacher.price.model;
                row.templateVersion = config.templates.version;
                CallTally tally;

                // Rewrite, answer and (optional) gain check are reserved together: a started row is finished.
                const std::vector<llm::ChatMessage> rewrite
                    = {{"user",
                        fillEvolTemplate(config.templates.of(task.op), task.parent.instruction,
                                         structured ? seedOutput : std::string())}};
                std::vector<llm::ChatMessage> answerShape = {{"user", std::string()}};
                if (structured && !answerVersion)
                    answerShape.insert(answerShape.begin(), {"system", seedOutput});
                const double rewriteWorst = teacher.price.worstCase(rewrite, config.maxTokens);
                double answerWorst = teacher.price.worstCase(answerShape, config.maxTokens, config.maxTokens + 512);
                double gainWorst = config.checkInformationGain
                    ? judge.price.worstCase(informationGainPrompt(task.parent.instruction, ""), 8, config.maxTokens)
                    : 0.0;
                if (!budget.tryReserve(rewriteWorst + answerWorst + gainWorst)) {
                    capStop();
                    return; // not started: a resume makes this row
                }
                llm::ChatParams params;
                params.model = teacher.price.model;
                params.temperature = 0.7;
                params.maxTokens = config.maxTokens;
                params.seed = config.seed + uint64_t(task.slot);
                bool finishedRow = true;
                [&] {
                    auto evolved = teacher.provider->chat(rewrite, params, stop);
                    if (!evolved) {
                        budget.release(rewriteWorst + answerWorst + gainWorst);
                        if (evolved.error().kind == llm::ChatErrorKind::Cancelled) {
                            finishedRow = false;
                            return;
                        }
                        row.stage = SyntheticStage::Failed;
                        row.reason = "rewrite call: " + evolved.error().message;
                        return;
                    }
                    tally.add(evolved.result(), teacher.price);
                    budget.settle(rewriteWorst, promptlab::SpendRole::Variant,
                                  teacher.price.cost(evolved.result().usage).value_or(0));
                    row.evolveReply = evolved.result().text;
                    row.instruction = trimmed(evolved.result().text);
                    if (auto why = instructionEliminationReason(task.parent.instruction, row.instruction)) {
                        budget.release(answerWorst + gainWorst);
                        row.stage = SyntheticStage::Eliminated;
                        row.reason = *why;
                        return;
                    }
                    // The answer: with the chosen prompt variant, else the instruction alone (and, for a structured
                    // task, the seed's answer as the form to keep).
                    std::vector<llm::ChatMessage> answerPrompt;
                    if (answerVersion) {
                        Example asked;
                        asked.setInput(row.instruction);
                        auto rendered = promptlab::renderForExample(answerVersion->variant, fewShot, asked);
                        if (!rendered) {
                            budget.release(answerWorst + gainWorst);
                            row.stage = SyntheticStage::Failed;
                            row.reason = "answer prompt: " + rendered.error().message;
                            return;
                        }
                        answerPrompt = std::move(rendered->messages);
                    } else {
                        if (structured)
                            answerPrompt.push_back({"system",
                                                    "Answer in exactly the same form as this example answer (same "
                                                    "kind of output, same fields), with nothing around it:\n"
                                                        + seedOutput});
                        answerPrompt.push_back({"user", row.instruction});
                    }
                    const double exactAnswerWorst = teacher.price.worstCase(answerPrompt, config.maxTokens);
                    budget.adjust(answerWorst, exactAnswerWorst);
                    answerWorst = exactAnswerWorst;
                    auto answered = teacher.provider->chat(answerPrompt, params, stop);
                    if (!answered) {
                        budget.release(answerWorst + gainWorst);
                        if (answered.error().kind == llm::ChatErrorKind::Cancelled) {
                            finishedRow = false;
                            return;
                        }
                        row.stage = SyntheticStage::Failed;
                        row.reason = "answer call: " + answered.error().message;
                        return;
                    }
                    tally.add(answered.result(), teacher.price);
                    budget.settle(answerWorst, promptlab::SpendRole::Variant,
                                  teacher.price.cost(answered.result().usage).value_or(0));
                    row.output = answerVersion ? promptlab::answerText(answerVersion->variant, answered.result().text)
                                               : trimmed(answered.result().text);
                    std::optional<std::string> why = responseEliminationReason(row.output);
                    const auto chars = static_cast<int64_t>(row.output.size());
                    if (!why && config.minOutputChars && chars < config.minOutputChars)
                        why = "the answer is shorter than " + std::to_string(config.minOutputChars) + " characters";
                    if (!why && config.maxOutputChars && chars > config.maxOutputChars)
                        why = "the answer is longer than " + std::to_string(config.maxOutputChars) + " characters";
                    if (!why && config.sameScriptAsSeed)
                        why = scriptMismatchReason(seed.input() + "\n" + seedOutput, row.output);
                    if (!why && structured) {
                        auto parsed = eval::parseJsonOutput(row.output);
                        if (!parsed)
                            why = "the answer is not JSON: " + eval::jsonErrorText(row.output);
                        else if (schema)
                            if (auto violation = eval::validateAgainstSchema(*schema, parsed->value))
                                why = "the answer fails the prompt's JSON schema at \""
                                    + (violation->pointer.empty() ? std::string("/") : violation->pointer)
                                    + "\": " + violation->message;
                    }
                    if (why) {
                        budget.release(gainWorst);
                        row.stage = SyntheticStage::Eliminated;
                        row.reason = *why;
                        return;
                    }
                    if (config.checkInformationGain) {
                        const auto prompt = informationGainPrompt(task.parent.instruction, row.instruction);
                        llm::ChatParams checkParams;
                        checkParams.model = judge.price.model;
                        checkParams.temperature = 0.0;
                        checkParams.maxTokens = 8;
                        auto verdict = judge.provider->chat(prompt, checkParams, stop);
                        if (!verdict) {
                            budget.release(gainWorst);
                            if (verdict.error().kind == llm::ChatErrorKind::Cancelled) {
                                finishedRow = false;
                                return;
                            }
                            row.stage = SyntheticStage::Failed;
                            row.reason = "information-gain check: " + verdict.error().message;
                            return;
                        }
                        tally.add(verdict.result(), judge.price);
                        budget.settle(gainWorst, promptlab::SpendRole::Judge,
                                      judge.price.cost(verdict.result().usage).value_or(0));
                        if (parseEqualVerdict(verdict.result().text).value_or(false)) {
                            row.stage = SyntheticStage::Eliminated;
                            row.reason = "no information gain: the judge found it Equal to the instruction it "
                                         "evolved from";
                            return;
                        }
                    }
                    row.stage = SyntheticStage::Generated;
                }();
                if (!finishedRow)
                    return; // cancelled mid-call: a resume makes this row again
                tally.into(row);
                if (!storeRow(row, false))
                    return;
                std::lock_guard<std::mutex> g(mutex);
                if (!stored.count(row.slot))
                    ++doneSlots; // a failed row made again was counted already
                stored[row.slot] = row;
                ++m_result.generated;
                if (row.stage == SyntheticStage::Failed) {
                    ++m_result.failed;
                    if (firstError.empty())
                        firstError = "row " + std::to_string(row.slot + 1) + ": " + row.reason;
                }
                progress.report({doneSlots, m_result.planned,
                                 progressText("Round " + std::to_string(round) + " of " + std::to_string(config.rounds)
                                              + ": " + std::to_string(doneSlots) + " of "
                                              + std::to_string(m_result.planned) + " candidates")});
            }
        });
        if (stopping() || storeError || workerError)
            break;

        // 4a. Dedupe: the run's rows that passed elimination, earliest first, against each other and the
        // golden eval and test rows. Only rows still waiting for it change.
        {
            std::vector<CandidateText> candidates;
            std::map<int64_t, int64_t> slotOfRow;
            for (const auto& [slot, r] : stored)
                if (passedElimination(r.stage)) {
                    candidates.push_back({r.id, r.instruction});
                    slotOfRow[r.id] = slot;
                }
            DedupeOptions options;
            options.threshold = config.dedupeThreshold;
            progress.report({doneSlots, m_result.planned,
                             progressText("Round " + std::to_string(round) + ": checking "
                                          + std::to_string(candidates.size()) + " rows for duplicates")});
            auto verdicts = dedupeSynthetic(references, candidates, options, &stop);
            if (!verdicts) {
                if (isCancelled(verdicts.error()))
                    break;
                finished = true;
                watcher.join();
                return fail("dedupe: " + verdicts.error().message);
            }
            for (const DedupeVerdict& v : *verdicts) {
                SyntheticRow& row = stored.at(slotOfRow.at(v.rowId));
                if (row.stage != SyntheticStage::Generated)
                    continue;
                row.stage = v.kind == DuplicateKind::Unique ? SyntheticStage::Unique
                    : v.kind == DuplicateKind::Leak         ? SyntheticStage::Leak
                                                            : SyntheticStage::Duplicate;
                row.reason = v.kind == DuplicateKind::Unique ? std::string() : v.reason;
                if (v.kind == DuplicateKind::Exact || v.kind == DuplicateKind::Near)
                    row.duplicateOfRowId = v.duplicateOfRowId;
                if (v.kind == DuplicateKind::Leak)
                    row.leakExampleId = v.leakExampleId;
                if (!config.qualityFilter && row.stage == SyntheticStage::Unique)
                    row.stage = SyntheticStage::Passed;
                if (!storeRow(row, true))
                    break;
            }
            if (storeError)
                break;
        }

        // 4b. The quality judge on the unique rows (and those whose judging failed before).
        if (config.qualityFilter) {
            std::vector<int64_t> toJudge;
            for (const auto& [slot, r] : stored)
                if (r.stage == SyntheticStage::Unique
                    || (r.stage == SyntheticStage::JudgeFailed && judgeAgain.erase(slot)))
                    toJudge.push_back(slot);
            std::atomic<size_t> nextJudged {0};
            std::atomic<int64_t> judgedNow {0};
            runPool(toJudge.size(), [&] {
                for (;;) {
                    if (stop.stopRequested() || cancel.stopRequested() || budget.capReached())
                        return;
                    const size_t i = nextJudged.fetch_add(1);
                    if (i >= toJudge.size())
                        return;
                    SyntheticRow row;
                    {
                        std::lock_guard<std::mutex> g(mutex);
                        row = stored.at(toJudge[i]);
                    }
                    eval::SingleGradingRequest grading;
                    grading.question = row.instruction;
                    grading.answer = row.output;
                    grading.criteria = config.judgeCriteria;
                    const auto prompt = eval::singleGradingPrompt(grading);
                    const int judgeMaxTokens = 512;
                    const double worst = judge.price.worstCase(prompt, judgeMaxTokens);
                    if (!budget.tryReserve(worst)) {
                        capStop();
                        return;
                    }
                    llm::ChatParams judgeParams;
                    judgeParams.model = judge.price.model;
                    judgeParams.temperature = 0.0;
                    judgeParams.maxTokens = judgeMaxTokens;
                    auto reply = judge.provider->chat(prompt, judgeParams, stop);
                    if (!reply) {
                        budget.release(worst);
                        if (reply.error().kind == llm::ChatErrorKind::Cancelled)
                            return;
                        row.stage = SyntheticStage::JudgeFailed;
                        row.reason = "judge call: " + reply.error().message;
                    } else {
                        budget.settle(worst, promptlab::SpendRole::Judge,
                                      judge.price.cost(reply.result().usage).value_or(0));
                        CallTally tally;
                        tally.add(reply.result(), judge.price);
                        tally.into(row);
                        row.judgeReply = reply.result().text;
                        if (auto rating = eval::parseRating(reply.result().text); !rating) {
                            row.stage = SyntheticStage::JudgeFailed;
                            row.reason = "judge: " + rating.error().message;
                        } else {
                            row.quality = *rating;
                            row.stage = *rating >= config.qualityThreshold ? SyntheticStage::Passed
                                                                           : SyntheticStage::LowQuality;
                            row.reason = row.stage == SyntheticStage::LowQuality
                                ? "judged " + std::to_string(int(*rating)) + "/10, below the threshold of "
                                    + std::to_string(int(config.qualityThreshold))
                                : std::string();
                        }
                    }
                    if (!storeRow(row, true))
                        return;
                    std::lock_guard<std::mutex> g(mutex);
                    stored[row.slot] = row;
                    ++m_result.judged;
                    if (row.stage == SyntheticStage::JudgeFailed) {
                        ++m_result.judgeFailed;
                        if (firstError.empty())
                            firstError = "row " + std::to_string(row.slot + 1) + ": " + row.reason;
                    }
                    const int64_t n = ++judgedNow;
                    progress.report({doneSlots, m_result.planned,
                                     progressText("Round " + std::to_string(round) + ": judged " + std::to_string(n)
                                                  + " of " + std::to_string(toJudge.size()) + " rows")});
                }
            });
        }
    }
    finished = true;
    watcher.join();
    m_result.spentUsd = budget.spent().total();
    m_result.runSpentUsd = spentBefore + m_result.spentUsd;
    m_result.spendCapReached = budget.capReached();
    {
        auto lock = project.writeLock();
        if (auto f = SyntheticRowRepository(project.writer()).funnel(runId))
            m_result.funnel = *f;
    }

    // 5. Status --------------------------------------------------------------------------------
    if ((*lease)->lost())
        return makeError("evolve: run " + std::to_string(runId)
                         + " was taken over by another process while this one could not reach the project file; "
                           "this process stopped");
    if (workerError)
        return fail("evolve: a worker failed: " + *workerError);
    if (storeError)
        return fail("evolve: cannot store a row: " + storeError->message);
    if (m_result.spendCapReached)
        return fail("spend cap of " + usd(*config.spendCapUsd) + " reached (" + usd(m_result.runSpentUsd)
                    + " spent in this run; the next call could cost up to " + usd(budget.refusedUsd())
                    + "); resume with a higher cap to continue");
    if (cancel.stopRequested()) {
        m_result.cancelled = true;
        (void)setStatus(project, runId, RunStatus::Cancelled);
        return cancelledError();
    }
    if (m_result.failed || m_result.judgeFailed)
        return fail(std::to_string(m_result.failed + m_result.judgeFailed)
                    + " teacher or judge calls failed (first: " + firstError + "); resume to retry them");
    if (auto s = setStatus(project, runId, RunStatus::Succeeded); !s)
        return s;
    return {};
}

} // namespace ts::synth

// AbTestJob::run, top to bottom:
//   1. the run: new (config resolved: variant references → prompt version ids) or resumed
//   2. what it needs: prompt versions, endpoints and their providers, the split's examples, the
//      few-shot examples, the scorers, the judge
//   3. the cells: variants × examples × repeats, minus those already done
//   4. workers take cells in order: render → reserve the worst-case cost → chat → score (→ judge) →
//      store with the calls' costs; a watcher turns the job's cancel into the in-flight requests'
//      cancel; at the spend cap no new call starts and the calls in flight finish
//   4b. with a pairwise judge: each later variant against the first, in both orders
//   5. the run's status: succeeded, cancelled, or failed with the count of failed calls
#include "promptlab/ab_test_job.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "eval/judge.h"
#include "jobs/worker_pool.h"
#include "llm/provider_config.h"
#include "promptlab/adapter_reference.h"
#include "promptlab/endpoint_price.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/render.h"
#include "promptlab/spend_budget.h"
#include "store/busy_retry.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_lease.h"
#include "store/run_repository.h"

namespace ts {

using json = nlohmann::json;

ProviderFactory makeDefaultProviderFactory()
{
    return [](const Endpoint& e) -> Expected<std::shared_ptr<llm::Provider>> {
        if (e.provider.kind == llm::ProviderKind::Local)
            return makeError("endpoint \"" + e.name + "\": the local engine is not available here");
        auto p = llm::makeHttpProvider(e.provider);
        if (!p)
            return makeError("endpoint \"" + e.name + "\": " + p.error().message);
        return std::shared_ptr<llm::Provider>(std::move(*p));
    };
}

AbTestJob::AbTestJob(AbTestParams params)
    : m_params(std::move(params))
{ }

namespace {

std::string runNoun(const std::string& kind)
{
    return kind == "eval" ? "evaluation" : "A/B test";
}

} // namespace

std::string AbTestJob::title() const
{
    return (m_params.runKind == "eval" ? "Evaluation" : "A/B test")
        + (m_params.runName.empty() ? std::string() : " " + m_params.runName);
}

ResourceClaims AbTestJob::resources() const
{
    ResourceClaims claims = m_params.claims;
    claims.push_back(projectFileClaim());
    return claims;
}

ResourceClaims abTestClaims(const std::vector<Endpoint>& endpoints)
{
    for (const Endpoint& endpoint : endpoints)
        if (endpoint.provider.kind == llm::ProviderKind::Local)
            return {computeDeviceClaim("cpu")}; // the local engine computes on the CPU
    return {};
}

namespace {

using promptlab::EndpointPrice;

struct VariantPlan
{
    PromptVersion version;
    std::string label; // "A v2"
    std::vector<Example> fewShot;
    std::shared_ptr<llm::Provider> provider;
    EndpointPrice price;
};

struct CellTask
{
    size_t variant;
    size_t example;
    int repeat;
};

Status setStatus(Project& project, int64_t runId, RunStatus status, const std::string& error = {})
{
    auto lock = project.writeLock();
    return RunRepository(project.writer()).setStatus(runId, status, error);
}

std::string lastUserTurn(const std::vector<llm::ChatMessage>& messages)
{
    for (auto it = messages.rbegin(); it != messages.rend(); ++it)
        if (it->role == "user")
            return it->content;
    return {};
}

} // namespace

Status AbTestJob::run(const CancelToken& cancel, ProgressSink& progress)
{
    if (!m_params.project)
        return makeError("A/B test: no project");
    Project& project = *m_params.project;
    auto providers = m_params.providers ? m_params.providers : makeDefaultProviderFactory();

    // 1. The run -------------------------------------------------------------------------------
    promptlab::AbTestConfig config = m_params.config;
    int64_t runId = 0;
    {
        auto lock = project.writeLock();
        RunRepository runs(project.writer());
        if (m_params.resumeRunId) {
            auto run = runs.get(*m_params.resumeRunId);
            if (!run)
                return run.error();
            if (!*run || (*run)->kind != m_params.runKind)
                return makeError(runNoun(m_params.runKind) + " run " + std::to_string(*m_params.resumeRunId)
                                 + " not found");
            auto stored = promptlab::abTestConfigFromJson(json::parse((*run)->config, nullptr, false));
            if (!stored)
                return makeError("A/B test run " + std::to_string((*run)->id) + ": " + stored.error().message);
            config = std::move(*stored);
            runId = (*run)->id;
        } else {
            if (auto v = promptlab::validateAbTestConfig(config); !v)
                return v;
            PromptRepository prompts(project.writer());
            config.variantVersionIds.clear();
            for (const auto& ref : config.variants) {
                auto version = prompts.resolve(ref);
                if (!version)
                    return version.error();
                config.variantVersionIds.push_back(version->id);
            }
            if (config.scorers.empty()) {
                // The project's scorer list (meta promptlab.scorers), else the defaults.
                auto stored = project.meta(kProjectScorersKey);
                if (!stored)
                    return stored.error();
                if (stored->empty()) {
                    config.scorers = eval::defaultScorers();
                } else {
                    auto scorers = eval::scorersFromJson(json::parse(*stored, nullptr, false));
                    if (!scorers)
                        return makeError(std::string("project setting ") + kProjectScorersKey + ": "
                                         + scorers.error().message);
                    config.scorers = std::move(*scorers);
                }
            }
            Run run;
            run.kind = m_params.runKind;
            run.name = m_params.runName;
            run.config = promptlab::abTestConfigToJson(config).dump();
            if (auto c = runs.create(run); !c)
                return c;
            runId = run.id;
        }
    }
    m_runId = runId;
    m_result.runId = runId;
    // Only one process drives a run: a second one (or a second job here) is refused while the owner lives.
    auto lease = RunLease::acquire(project.path(), runId, cancel);
    if (!lease)
        return lease.error(); // "run 7 is being run by process 1234 on host X (...); cancel it there first"
    if (auto s = setStatus(project, runId, RunStatus::Running); !s)
        return s;
    auto fail = [&](const std::string& message) -> Status {
        (void)setStatus(project, runId, RunStatus::Failed, message);
        return makeError(message);
    };

    // 2. Variants, endpoints, examples ---------------------------------------------------------
    std::vector<VariantPlan> variants;
    std::vector<Example> examples;
    std::shared_ptr<llm::Provider> judge;
    EndpointPrice judgePrice;
    {
        auto reader = project.openReader();
        if (!reader)
            return fail(reader.error().message);
        PromptRepository prompts(*reader);
        EndpointRepository endpoints(*reader);
        ExampleRepository exampleRepo(*reader);
        std::map<std::string, std::shared_ptr<llm::Provider>> byEndpoint;
        // `adapter`: a contestant's LoRA adapter for a local endpoint, instead of the endpoint's own.
        auto providerFor = [&](const std::string& name, const std::optional<std::string>& adapter,
                               std::optional<llm::ModelPrice>* price,
                               std::string* model) -> Expected<std::shared_ptr<llm::Provider>> {
            if (name.empty())
                return makeError("no endpoint chosen");
            auto e = endpoints.get(name);
            if (!e)
                return e.error();
            if (!*e)
                return makeError("endpoint \"" + name + "\" not found in this project");
            Endpoint endpoint = **e;
            if (adapter) {
                if (endpoint.provider.kind != llm::ProviderKind::Local)
                    return makeError("endpoint \"" + name
                                     + "\" is not local: an adapter can only be merged into a local model");
                auto folder = promptlab::resolveAdapterReference(*reader, project.path(), *adapter);
                if (!folder)
                    return folder.error();
                endpoint.provider.adapter = *folder;
            }
            if (price)
                *price = endpoint.price;
            if (model)
                *model = endpoint.provider.model;
            const std::string key = name + '\n' + endpoint.provider.adapter;
            if (auto it = byEndpoint.find(key); it != byEndpoint.end())
                return it->second;
            auto p = providers(endpoint);
            if (!p)
                return p.error();
            byEndpoint[key] = *p;
            return *p;
        };
        std::set<std::string> labels;
        for (size_t i = 0; i < config.variantVersionIds.size(); ++i) {
            const int64_t id = config.variantVersionIds[i];
            auto version = prompts.byId(id);
            if (!version)
                return fail(version.error().message);
            if (!*version)
                return fail("prompt version " + std::to_string(id) + " no longer exists");
            VariantPlan v;
            v.version = **version;
            v.label = promptlab::contestantLabel(config, i, v.version.label());
            if (!labels.insert(v.label).second)
                return fail("variant " + v.label + " is listed twice");
            const promptlab::Contestant* who = i < config.contestants.size() ? &config.contestants[i] : nullptr;
            const std::string endpointName = who && !who->endpoint.empty() ? who->endpoint : v.version.variant.endpoint;
            auto p = providerFor(endpointName, who ? who->adapter : std::nullopt, &v.price.price, &v.price.model);
            if (!p)
                return fail("variant " + v.label + ": " + p.error().message);
            v.provider = *p;
            auto shots = exampleRepo.getMany(v.version.variant.fewShotIds);
            if (!shots)
                return fail(shots.error().message);
            for (int64_t shotId : v.version.variant.fewShotIds) {
                auto it = std::find_if(shots->begin(), shots->end(), [&](const Example& e) { return e.id == shotId; });
                if (it == shots->end())
                    return fail("variant " + v.label + ": few-shot example " + std::to_string(shotId) + " was deleted");
                v.fewShot.push_back(*it);
            }
            variants.push_back(std::move(v));
        }
        if (!config.judgeEndpoint.empty()) {
            auto p = providerFor(config.judgeEndpoint, std::nullopt, &judgePrice.price, &judgePrice.model);
            if (!p)
                return fail("judge: " + p.error().message);
            judge = *p;
        }
        ExampleQuery q;
        q.split = config.split;
        auto ids = exampleRepo.queryIds(q);
        if (!ids)
            return fail(ids.error().message);
        if (config.limit && static_cast<int64_t>(ids->size()) > *config.limit)
            ids->resize(static_cast<size_t>(*config.limit));
        auto rows = exampleRepo.getMany(*ids);
        if (!rows)
            return fail(rows.error().message);
        examples = std::move(*rows);
        std::sort(examples.begin(), examples.end(), [](const Example& a, const Example& b) { return a.id < b.id; });
    }
    if (examples.empty())
        return fail(std::string("the ") + std::string(splitName(config.split)) + " split has no examples");

    // 3. Cells ---------------------------------------------------------------------------------
    std::set<CellKey> done;
    {
        // The lock is released before fail(), which takes it again to record the failure.
        auto d = [&] {
            auto lock = project.writeLock();
            return CellRepository(project.writer()).doneCells(runId);
        }();
        if (!d)
            return fail(d.error().message);
        done = std::move(*d);
    }
    std::vector<CellTask> tasks;
    for (int r = 0; r < config.repeats; ++r)
        for (size_t e = 0; e < examples.size(); ++e)
            for (size_t v = 0; v < variants.size(); ++v) {
                ++m_result.cells;
                if (done.count({variants[v].label, examples[e].id, r}))
                    ++m_result.skipped;
                else
                    tasks.push_back({v, e, r});
            }

    // 4. Workers -------------------------------------------------------------------------------
    CancelToken stop; // job cancel or a worker's fatal error: also aborts requests in flight
    std::atomic<bool> finished {false};
    std::thread watcher([&] {
        while (!finished.load() && !stop.stopRequested()) {
            if (cancel.stopRequested() || (*lease)->lost())
                stop.requestStop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::mutex mutex; // m_result, firstError, progress, workerError, storeError
    std::optional<Error> storeError;
    promptlab::SpendBudget budget(config.spendCapUsd);
    std::atomic<int> inFlight {0}; // cells or pairs whose calls have started and are not stored yet
    std::atomic<bool> capReported {false};
    // The worker whose call did not fit under the cap says so (once); the calls in flight go on.
    const auto reportCapReached = [&](int64_t doneSoFar, int64_t of) {
        if (capReported.exchange(true))
            return;
        std::lock_guard<std::mutex> g(mutex);
        progress.report({doneSoFar, of,
                         "Spend cap reached: no new calls start; " + std::to_string(inFlight.load())
                             + " in flight finish and are kept"});
    };
    // The cost of calls whose result is not stored (cancelled before the rest of their cell or pair was
    // done): recorded anyway, since it was paid.
    const auto recordUnstoredSpend = [&](const std::vector<promptlab::CallSpend>& spend) {
        if (spend.empty())
            return;
        auto write = [&]() -> Status {
            auto lock = project.writeLock();
            return promptlab::appendSpend(project.writer(), runId, 0, spend);
        };
        if (auto s = retryWhileBusy(write, cancel); !s && !isCancelled(s)) {
            std::lock_guard<std::mutex> g(mutex);
            if (!storeError)
                storeError = s.error();
        }
    };
    std::atomic<size_t> next {0};
    std::string firstError;
    std::optional<std::string> workerError; // an exception escaped a worker: the run stops and fails with it
    // Runs `work` on min(concurrency, count) threads and waits for them. An exception thrown in a worker (a
    // provider, a scorer) stops the run and becomes its error, instead of ending the process.
    const auto runPool = [&](int concurrency, size_t count, const std::function<void()>& work) {
        const int threads = std::max(1, std::min<int>(concurrency, static_cast<int>(count)));
        auto escaped = runWorkerPool(threads, work, [&] { stop.requestStop(); });
        std::lock_guard<std::mutex> g(mutex);
        if (escaped && !workerError)
            workerError = escaped;
    };
    const int64_t total = m_result.cells;
    progress.report({m_result.skipped, total, "Running " + std::to_string(tasks.size()) + " calls"});

    auto work = [&] {
        for (;;) {
            if (stop.stopRequested() || budget.capReached())
                return;
            const size_t i = next.fetch_add(1);
            if (i >= tasks.size())
                return;
            const CellTask& t = tasks[i];
            const VariantPlan& v = variants[t.variant];
            const Example& example = examples[t.example];
            Cell cell;
            cell.runId = runId;
            cell.variant = v.label;
            cell.promptVersionId = v.version.id;
            cell.exampleId = example.id;
            cell.repeat = t.repeat;
            std::vector<promptlab::CallSpend> spend; // the paid calls of this cell, stored with it

            auto rendered = promptlab::renderForExample(v.version.variant, v.fewShot, example);
            if (!rendered) {
                cell.error = rendered.error().message;
                cell.errorKind = "render";
            } else {
                cell.request = promptlab::messagesJson(rendered->messages);
                llm::ChatParams params;
                params.model = v.price.model;
                const auto& sampling = v.version.variant.sampling;
                params.temperature = sampling.temperature;
                params.topP = sampling.topP;
                params.maxTokens = sampling.maxTokens;
                if (!params.maxTokens && config.spendCapUsd)
                    params.maxTokens = promptlab::kMaxTokensUnderSpendCap;
                params.stop = sampling.stop;
                params.seed = config.seed + static_cast<uint64_t>(t.repeat);
                params.jsonMode = false;
                // The cell's calls are reserved together, so a started cell is always judged: the answer
                // at its worst, and the judge's grading of an answer as long as the answer may be.
                const int64_t maxAnswerTokens = params.maxTokens.value_or(0);
                const double answerWorst = v.price.worstCase(rendered->messages, maxAnswerTokens);
                eval::SingleGradingRequest grading;
                grading.question = lastUserTurn(rendered->messages);
                grading.reference = rendered->reference;
                grading.criteria = config.judgeCriteria;
                double judgeWorst = judge
                    ? judgePrice.worstCase(eval::singleGradingPrompt(grading), config.judgeMaxTokens, maxAnswerTokens)
                    : 0.0;
                if (!budget.tryReserve(answerWorst + judgeWorst)) {
                    reportCapReached(static_cast<int64_t>(i), static_cast<int64_t>(tasks.size()));
                    return; // not started: a resume does this cell
                }
                ++inFlight;
                auto outcome = v.provider->chat(rendered->messages, params, stop);
                if (!outcome) {
                    budget.release(answerWorst + judgeWorst);
                    if (outcome.error().kind == llm::ChatErrorKind::Cancelled) {
                        --inFlight;
                        return; // not a failure: a resume does this cell again
                    }
                    cell.error = outcome.error().message;
                    cell.errorKind = llm::chatErrorKindName(outcome.error().kind);
                    cell.attempts = outcome.error().attempts;
                } else {
                    const auto& r = outcome.result();
                    cell.output = r.text;
                    cell.attempts = r.attempts;
                    cell.tokensIn = r.usage.inputTokens;
                    cell.tokensOut = r.usage.outputTokens;
                    cell.latencyMs = r.latencyMs;
                    cell.cost = v.price.cost(r.usage);
                    budget.settle(answerWorst, promptlab::SpendRole::Variant, cell.cost.value_or(0));
                    if (cell.cost)
                        spend.push_back({promptlab::SpendRole::Variant, *cell.cost});
                    const std::string answer = promptlab::answerText(v.version.variant, r.text);
                    for (const auto& spec : config.scorers) {
                        const auto s = eval::score(spec, answer, rendered->reference);
                        cell.scores.push_back({spec.displayName(), s.value,
                                               eval::isPassFail(spec.kind) ? std::optional<bool>(s.pass) : std::nullopt,
                                               s.detail});
                    }
                    if (judge) {
                        grading.answer = answer;
                        const auto prompt = eval::singleGradingPrompt(grading);
                        const double exactWorst = judgePrice.worstCase(prompt, config.judgeMaxTokens);
                        budget.adjust(judgeWorst, exactWorst);
                        judgeWorst = exactWorst;
                        llm::ChatParams judgeParams;
                        judgeParams.model = judgePrice.model;
                        judgeParams.temperature = 0.0;
                        judgeParams.maxTokens = config.judgeMaxTokens;
                        auto verdict = judge->chat(prompt, judgeParams, stop);
                        if (!verdict) {
                            budget.release(judgeWorst);
                            if (verdict.error().kind == llm::ChatErrorKind::Cancelled) {
                                --inFlight;
                                recordUnstoredSpend(spend);
                                return;
                            }
                            cell.error = "judge: " + verdict.error().message;
                            cell.errorKind = llm::chatErrorKindName(verdict.error().kind);
                        } else {
                            const auto judgeCost = judgePrice.cost(verdict.result().usage);
                            budget.settle(judgeWorst, promptlab::SpendRole::Judge, judgeCost.value_or(0));
                            if (judgeCost)
                                spend.push_back({promptlab::SpendRole::Judge, *judgeCost});
                            if (auto rating = eval::parseRating(verdict.result().text); !rating) {
                                cell.error = "judge: " + rating.error().message;
                                cell.errorKind = "bad-response";
                            } else {
                                cell.scores.push_back({"judge", *rating, std::nullopt, verdict.result().text});
                            }
                        }
                    } else {
                        budget.release(judgeWorst);
                    }
                }
                --inFlight;
            }
            // A busy project file (another process writing) is waited out; the lock is taken per attempt.
            auto write = [&]() -> Status {
                auto lock = project.writeLock();
                return CellRepository(project.writer()).put(cell, spend);
            };
            auto onBusy = [&](int attempt, const std::string& message) {
                std::lock_guard<std::mutex> g(mutex);
                progress.report({m_result.skipped + m_result.done + m_result.failed, total,
                                 "The project file is busy (another process is writing to it); waiting to store a "
                                 "cell, attempt "
                                     + std::to_string(attempt) + " (" + message + ")"});
            };
            if (auto s = retryWhileBusy(write, cancel, onBusy); !s) {
                std::lock_guard<std::mutex> g(mutex);
                if (!storeError)
                    storeError = s.error();
                stop.requestStop();
                return;
            }
            if (m_params.onCell)
                m_params.onCell(cell);
            std::lock_guard<std::mutex> g(mutex);
            if (cell.ok()) {
                ++m_result.done;
            } else {
                ++m_result.failed;
                if (firstError.empty())
                    firstError = cell.variant + ", example " + std::to_string(cell.exampleId) + ": " + cell.error;
            }
            progress.report({m_result.skipped + m_result.done + m_result.failed, total,
                             std::to_string(m_result.done + m_result.skipped) + " of " + std::to_string(total)
                                 + " calls done"
                                 + (m_result.failed ? ", " + std::to_string(m_result.failed) + " failed" : "")});
        }
    };
    runPool(config.concurrency, tasks.size(), work);

    // 4b. Pairwise judge: each later variant against the first, both orders --------------------
    int64_t judgeFailures = 0;
    if (config.pairwiseJudge && judge && variants.size() > 1 && !stop.stopRequested() && !budget.capReached()
        && !storeError && !workerError) {
        std::vector<Cell> stored;
        {
            auto c = [&] {
                auto lock = project.writeLock();
                return CellRepository(project.writer()).cells(runId);
            }();
            if (!c) // after the lock is released: fail() takes it again
                return fail(c.error().message);
            stored = std::move(*c);
        }
        std::map<CellKey, const Cell*> byKey;
        for (const auto& c : stored)
            byKey[{c.variant, c.exampleId, c.repeat}] = &c;
        const std::string scoreName = promptlab::pairwiseScoreName(variants.front().label);
        std::vector<std::pair<const Cell*, const Cell*>> pairs; // (baseline, other)
        for (const auto& c : stored) {
            if (c.variant == variants.front().label || !c.ok())
                continue;
            auto base = byKey.find({variants.front().label, c.exampleId, c.repeat});
            const bool judged = std::any_of(c.scores.begin(), c.scores.end(),
                                            [&](const CellScore& s) { return s.scorer == scoreName; });
            if (base != byKey.end() && base->second->ok() && !judged)
                pairs.emplace_back(base->second, &c);
        }
        const auto exampleById = [&](int64_t id) -> const Example* {
            for (const auto& e : examples)
                if (e.id == id)
                    return &e;
            return nullptr;
        };
        const auto planOf = [&](const std::string& label) -> const VariantPlan* {
            for (const auto& v : variants)
                if (v.label == label)
                    return &v;
            return nullptr;
        };
        std::atomic<size_t> nextPair {0};
        progress.report({0, static_cast<int64_t>(pairs.size()), "Judging " + std::to_string(pairs.size()) + " pairs"});
        runPool(config.concurrency, pairs.size(), [&] {
            for (;;) {
                if (stop.stopRequested() || budget.capReached())
                    return;
                const size_t i = nextPair.fetch_add(1);
                if (i >= pairs.size())
                    return;
                const auto [base, other] = pairs[i];
                const Example* example = exampleById(other->exampleId);
                eval::PairwiseRequest request;
                request.question = example ? example->input() : std::string();
                request.answerA = promptlab::answerText(variants.front().version.variant, base->output);
                request.answerB = promptlab::answerText(planOf(other->variant)->version.variant, other->output);
                request.reference = example ? example->output() : std::string();
                request.criteria = config.judgeCriteria;
                llm::ChatParams judgeParams;
                judgeParams.model = judgePrice.model;
                judgeParams.temperature = 0.0;
                judgeParams.maxTokens = config.judgeMaxTokens;
                std::string error;
                std::optional<eval::PairVerdict> verdicts[2];
                std::string replies[2];
                const eval::PairwiseRequest orders[2] = {request, eval::swapAnswers(request)};
                const std::vector<llm::ChatMessage> prompts[2]
                    = {eval::pairwisePrompt(orders[0]), eval::pairwisePrompt(orders[1])};
                // Both orders are reserved together: a started pair is judged both ways.
                double worst[2] = {judgePrice.worstCase(prompts[0], config.judgeMaxTokens),
                                   judgePrice.worstCase(prompts[1], config.judgeMaxTokens)};
                if (!budget.tryReserve(worst[0] + worst[1])) {
                    reportCapReached(static_cast<int64_t>(i), static_cast<int64_t>(pairs.size()));
                    return; // not started: a resume judges this pair
                }
                ++inFlight;
                std::vector<promptlab::CallSpend> spend;
                for (int k = 0; k < 2 && error.empty(); ++k) {
                    auto reply = judge->chat(prompts[k], judgeParams, stop);
                    if (!reply) {
                        budget.release(worst[k] + (k == 0 ? worst[1] : 0.0));
                        if (reply.error().kind == llm::ChatErrorKind::Cancelled) {
                            --inFlight;
                            recordUnstoredSpend(spend);
                            return;
                        }
                        error = reply.error().message;
                        continue;
                    }
                    const auto paid = judgePrice.cost(reply.result().usage);
                    budget.settle(worst[k], promptlab::SpendRole::Pairwise, paid.value_or(0));
                    if (paid)
                        spend.push_back({promptlab::SpendRole::Pairwise, *paid});
                    if (auto v = eval::parsePairVerdict(reply.result().text); !v) {
                        error = v.error().message;
                        if (k == 0)
                            budget.release(worst[1]);
                    } else {
                        verdicts[k] = *v;
                        replies[k] = reply.result().text;
                    }
                }
                --inFlight;
                if (!error.empty()) {
                    recordUnstoredSpend(spend);
                    std::lock_guard<std::mutex> g(mutex);
                    ++judgeFailures;
                    if (firstError.empty())
                        firstError = "pairwise judge, example " + std::to_string(other->exampleId) + ": " + error;
                    continue;
                }
                const auto outcome = eval::combineSwapped(*verdicts[0], *verdicts[1]);
                CellScore score;
                score.scorer = scoreName;
                score.value = outcome.winner == eval::PairVerdict::B ? 1.0
                    : outcome.winner == eval::PairVerdict::A         ? 0.0
                                                                     : 0.5;
                score.detail = std::string("original order: ") + eval::pairVerdictName(*verdicts[0])
                    + ", swapped order: " + eval::pairVerdictName(*verdicts[1])
                    + (outcome.consistent ? "" : " (inconsistent: tie)") + "\n\n" + replies[0];
                auto write = [&]() -> Status {
                    auto lock = project.writeLock();
                    return CellRepository(project.writer()).putScore(*other, score, spend);
                };
                if (auto st = retryWhileBusy(write, cancel); !st) {
                    std::lock_guard<std::mutex> g(mutex);
                    if (!storeError)
                        storeError = st.error();
                    stop.requestStop();
                    return;
                }
            }
        });
    }
    finished = true;
    watcher.join();
    m_result.spent = budget.spent();
    m_result.spentUsd = m_result.spent.total();
    m_result.spendCapReached = budget.capReached();

    // 5. Status --------------------------------------------------------------------------------
    if ((*lease)->lost()) // another process took the run over: its status is its own now
        return makeError("A/B test: run " + std::to_string(runId)
                         + " was taken over by another process while this one could not reach the project file; "
                           "this process stopped");
    if (workerError)
        return fail("A/B test: a worker failed: " + *workerError);
    if (storeError)
        return fail("A/B test: cannot store a result: " + storeError->message);
    if (m_result.spendCapReached)
        return fail("spend cap of " + promptlab::usdText(*config.spendCapUsd) + " reached after "
                    + std::to_string(m_result.done) + " calls (" + promptlab::spendText(m_result.spent)
                    + "; the next calls could cost up to " + promptlab::usdText(budget.refusedUsd())
                    + "); resume to continue");
    if (cancel.stopRequested()) {
        m_result.cancelled = true;
        (void)setStatus(project, runId, RunStatus::Cancelled);
        return cancelledError();
    }
    if (m_result.failed)
        return fail(std::to_string(m_result.failed) + " of " + std::to_string(total)
                    + " calls failed (first: " + firstError + "); resume to retry them");
    if (judgeFailures)
        return fail(std::to_string(judgeFailures) + " pairwise judgements failed (first: " + firstError
                    + "); resume to retry them");
    if (auto s = setStatus(project, runId, RunStatus::Succeeded); !s)
        return s;
    return {};
}

} // namespace ts

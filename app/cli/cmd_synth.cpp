// tunesmith-cli evolve: an Evol-Instruct run (core/synth/evolve_job.h) headless, with its estimate first;
// tunesmith-cli synthetic: the run's rows, their review, promotion to the training set and lineage.
#include <filesystem>
#include <iostream>
#include <mutex>

#include "cli/cli_providers.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "jobs/job_runner.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "synth/evolve_job.h"
#include "synth/evolve_run_estimate.h"
#include "synth/synthetic_row_repository.h"

namespace tscli {

namespace {

using json = nlohmann::json;
using namespace ts::synth;

json funnelJson(const SyntheticFunnel& f)
{
    return {{"generated", f.generated}, {"passed_elimination", f.passedElimination},
            {"unique", f.unique},       {"above_threshold", f.aboveThreshold},
            {"accepted", f.accepted},   {"rejected", f.rejected},
            {"promoted", f.promoted},   {"failed", f.failed},
            {"waiting", f.waiting}};
}

json rowJson(const SyntheticRow& r)
{
    json j = {{"id", r.id},
              {"round", r.round},
              {"slot", r.slot},
              {"operation", r.operation},
              {"instruction", r.instruction},
              {"output", r.output},
              {"stage", syntheticStageName(r.stage)},
              {"review", syntheticReviewName(r.review)},
              {"teacher", r.teacherEndpoint},
              {"template_version", r.templateVersion},
              {"tokens_in", r.tokensIn},
              {"tokens_out", r.tokensOut},
              {"latency_ms", r.latencyMs}};
    if (!r.reason.empty())
        j["reason"] = r.reason;
    if (r.seedExampleId)
        j["seed_example_id"] = *r.seedExampleId;
    if (r.parentRowId)
        j["parent_row_id"] = *r.parentRowId;
    if (r.quality)
        j["quality"] = *r.quality;
    if (r.cost)
        j["cost_usd"] = *r.cost;
    if (r.duplicateOfRowId)
        j["duplicate_of_row_id"] = *r.duplicateOfRowId;
    if (r.leakExampleId)
        j["leak_example_id"] = *r.leakExampleId;
    if (r.promotedExampleId)
        j["promoted_example_id"] = *r.promotedExampleId;
    if (r.edited)
        j["edited"] = true;
    return j;
}

// The evolve options into `c`; an error message for the first bad one.
std::optional<std::string> readEvolveOptions(const Options& opts, EvolveConfig& c)
{
    c.teacherEndpoint = opts.value("--teacher").value_or("");
    c.judgeEndpoint = opts.value("--judge").value_or("");
    c.answerPrompt = opts.value("--answer-prompt").value_or("");
    c.seedSplit = opts.value("--split").value_or(c.seedSplit);
    if (auto tags = opts.value("--tags"))
        c.seedTags = splitList(*tags);
    c.judgeCriteria = opts.value("--judge-criteria").value_or("");
    struct NumberFlag
    {
        const char* flag;
        std::function<void(double)> set;
    };
    for (const NumberFlag& f : std::vector<NumberFlag> {
             {"--rounds", [&](double v) { c.rounds = static_cast<int>(v); }},
             {"--target", [&](double v) { c.targetCount = static_cast<int64_t>(v); }},
             {"--keep-rate", [&](double v) { c.keepRate = v; }},
             {"--concurrency", [&](double v) { c.concurrency = static_cast<int>(v); }},
             {"--seed", [&](double v) { c.seed = static_cast<uint64_t>(v); }},
             {"--spend-cap", [&](double v) { c.spendCapUsd = v; }},
             {"--max-tokens", [&](double v) { c.maxTokens = static_cast<int>(v); }},
             {"--quality-threshold", [&](double v) { c.qualityThreshold = v; }},
             {"--dedupe-threshold", [&](double v) { c.dedupeThreshold = v; }},
             {"--min-chars", [&](double v) { c.minOutputChars = static_cast<int>(v); }},
             {"--max-chars", [&](double v) { c.maxOutputChars = static_cast<int>(v); }},
         })
        if (auto v = opts.value(f.flag)) {
            double n = 0;
            if (!parseNumber(*v, n))
                return std::string(f.flag) + ": expected a number";
            f.set(n);
        }
    if (auto weights = opts.value("--weights")) {
        c.weights.fill(0);
        for (const std::string& item : splitList(*weights)) {
            const auto eq = item.find('=');
            auto op = evolOperationFromName(item.substr(0, eq));
            double w = 1;
            if (!op)
                return "--weights: unknown operation \"" + item.substr(0, eq)
                    + "\" (add_constraints, deepen, concretize, increase_reasoning, complicate_input, breadth)";
            if (eq != std::string::npos && !parseNumber(item.substr(eq + 1), w))
                return "--weights: \"" + item + "\": expected OPERATION=WEIGHT";
            c.weights[static_cast<size_t>(*op)] = w;
        }
    }
    c.qualityFilter = !opts.flag("--no-quality-filter");
    c.checkInformationGain = opts.flag("--check-gain");
    c.sameScriptAsSeed = !opts.flag("--any-script");
    if (auto v = validateEvolveConfig(c); !v)
        return v.error().message;
    return std::nullopt;
}

int commandEvolve(const Args& args)
{
    Options opts(args, 0,
                 {"--verbose", "--dry-run", "--estimate", "--no-quality-filter", "--check-gain", "--any-script"});
    if (!opts.ok())
        return fail("evolve: " + opts.error(), 2);
    auto projectPath = opts.value("--project");
    if (!projectPath)
        return fail("evolve: --project FILE is required", 2);
    EvolveParams params;
    params.runName = opts.value("--name").value_or("");
    int threads = 0;
    if (auto t = opts.value("--threads"); t && !parseNumber(*t, threads))
        return fail("evolve: --threads: expected a whole number", 2);
    if (auto id = opts.value("--resume")) {
        int64_t runId = 0;
        if (!parseNumber(*id, runId))
            return fail("evolve: --resume: expected a run id", 2);
        params.resumeRunId = runId;
        if (auto cap = opts.value("--spend-cap")) {
            double usd = 0;
            if (!parseNumber(*cap, usd) || !(usd > 0))
                return fail("evolve: --spend-cap: expected USD above 0, e.g. 2.50", 2);
            params.newSpendCapUsd = usd;
        }
    } else if (auto bad = readEvolveOptions(opts, params.config)) {
        return fail("evolve: " + *bad, 2);
    }
    if (!std::filesystem::exists(*projectPath))
        return fail("evolve: " + *projectPath + " does not exist", 2);
    if (opts.flag("--dry-run")) {
        json out = {{"dry_run", true}, {"project", *projectPath}, {"name", params.runName}, {"threads", threads}};
        if (params.resumeRunId)
            out["resume"] = *params.resumeRunId;
        else
            out["config"] = evolveConfigToJson(params.config);
        return printJson(out);
    }
    auto project = ts::Project::open(*projectPath);
    if (!project)
        return fail(project.error().message);
    if (opts.flag("--estimate")) {
        if (params.resumeRunId)
            return fail("evolve: --estimate is for a new run, not --resume", 2);
        auto e = estimateEvolveRun((*project)->writer(), params.config);
        if (!e)
            return fail("evolve: " + e.error().message, 2);
        json out = {{"seed_rows", e->seedRows},
                    {"candidates", e->estimate.candidates},
                    {"calls", e->estimate.calls},
                    {"input_tokens", e->estimate.inputTokens},
                    {"output_tokens", e->estimate.outputTokens},
                    {"model",
                     "tokens ≈ characters / 4; instructions grow 20 tokens a round; answers 1.5× the "
                     "seeds'; every candidate judged (an upper bound)"}};
        if (e->estimate.costUsd)
            out["cost_usd"] = *e->estimate.costUsd;
        else
            out["cost_usd"] = nullptr;
        return printJson(out);
    }
    params.project = project->get();
    params.providers = cliProviders(threads);
    std::mutex out;
    if (opts.flag("--verbose"))
        params.onRow = [&](const SyntheticRow& row) {
            std::lock_guard<std::mutex> g(out);
            std::cout << rowJson(row).dump() << std::endl;
        };
    installInterruptHandler();
    EvolveJob job(params);
    StderrProgress progress;
    const auto status = ts::JobRunner::runHere(job, interruptToken(), progress);
    const auto& r = job.result();
    if (r.runId == 0)
        return fail("evolve: " + status.error().message, 2);
    json result = {{"run_id", r.runId},
                   {"status",
                    status                        ? "succeeded"
                        : ts::isCancelled(status) ? "cancelled"
                                                  : "failed"},
                   {"planned", r.planned},
                   {"skipped", r.skipped},
                   {"generated", r.generated},
                   {"failed", r.failed},
                   {"judged", r.judged},
                   {"judge_failed", r.judgeFailed},
                   {"spent_usd", r.spentUsd},
                   {"run_spent_usd", r.runSpentUsd},
                   {"spend_cap_reached", r.spendCapReached},
                   {"funnel", funnelJson(r.funnel)}};
    if (!status && !ts::isCancelled(status))
        result["error"] = status.error().message;
    return printJson(result, status ? 0 : ts::isCancelled(status) ? 130 : 1);
}

int commandSynthetic(const Args& args)
{
    if (args.size() < 2)
        return fail("synthetic: expected PROJECT and an action (rows, funnel, accept, reject, accept-above, "
                    "promote, lineage)",
                    2);
    Options opts(args, 2, {});
    if (!opts.ok())
        return fail("synthetic: " + opts.error(), 2);
    const std::string& action = opts.positional(1);
    if (!std::filesystem::exists(opts.positional(0)))
        return fail("synthetic: " + opts.positional(0) + " does not exist", 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    SyntheticRowRepository repo((*project)->writer());
    int64_t runId = 0;
    if (auto v = opts.value("--run"); v && !parseNumber(*v, runId))
        return fail("synthetic: --run: expected a run id", 2);
    const auto needRun = [&]() -> std::optional<int> {
        if (runId == 0)
            return fail("synthetic " + action + ": --run RUN_ID is required", 2);
        return std::nullopt;
    };
    if (action == "rows" || action == "funnel") {
        if (auto r = needRun())
            return *r;
        if (action == "funnel") {
            auto f = repo.funnel(runId);
            return f ? printJson(funnelJson(*f)) : fail(f.error().message);
        }
        auto rows = repo.rows(runId);
        if (!rows)
            return fail(rows.error().message);
        const auto stage = opts.value("--stage");
        if (stage && !syntheticStageFromName(*stage))
            return fail("synthetic rows: --stage: unknown stage \"" + *stage + "\"", 2);
        json out = json::array();
        for (const auto& row : *rows)
            if (!stage || syntheticStageName(row.stage) == *stage)
                out.push_back(rowJson(row));
        return printJson(out);
    }
    if (action == "accept" || action == "reject") {
        auto ids = opts.value("--ids");
        if (!ids)
            return fail("synthetic " + action + ": --ids 1,2,... is required", 2);
        std::vector<int64_t> list;
        for (const auto& item : splitList(*ids)) {
            int64_t id = 0;
            if (!parseNumber(item, id))
                return fail("synthetic " + action + ": --ids: \"" + item + "\" is not a row id", 2);
            list.push_back(id);
        }
        auto before = repo.setReview(list, action == "accept" ? SyntheticReview::Accepted : SyntheticReview::Rejected);
        return before ? printJson({{"changed", list.size()}}) : fail(before.error().message);
    }
    if (action == "accept-above") {
        if (auto r = needRun())
            return *r;
        double threshold = 0;
        if (!opts.value("--threshold") || !parseNumber(*opts.value("--threshold"), threshold))
            return fail("synthetic accept-above: --threshold RATING is required", 2);
        auto rows = repo.rows(runId);
        if (!rows)
            return fail(rows.error().message);
        std::vector<int64_t> ids;
        for (const auto& row : *rows)
            if (row.stage == SyntheticStage::Passed && row.review == SyntheticReview::Pending && row.quality
                && *row.quality >= threshold)
                ids.push_back(row.id);
        auto before = repo.setReview(ids, SyntheticReview::Accepted);
        return before ? printJson({{"accepted", ids.size()}}) : fail(before.error().message);
    }
    if (action == "promote") {
        if (auto r = needRun())
            return *r;
        auto ids = repo.promoteAccepted(runId);
        return ids ? printJson({{"promoted", ids->size()}, {"example_ids", *ids}}) : fail(ids.error().message);
    }
    if (action == "lineage") {
        int64_t rowId = 0;
        if (!opts.value("--row") || !parseNumber(*opts.value("--row"), rowId))
            return fail("synthetic lineage: --row ROW_ID is required", 2);
        auto chain = repo.lineage(rowId);
        if (!chain)
            return fail(chain.error().message);
        if (chain->empty())
            return fail("synthetic lineage: row " + std::to_string(rowId) + " not found", 2);
        json steps = json::array();
        for (const auto& row : *chain)
            steps.push_back(rowJson(row));
        json out = {{"steps", steps}};
        if (chain->front().seedExampleId)
            out["seed_example_id"] = *chain->front().seedExampleId;
        return printJson(out);
    }
    return fail("synthetic: unknown action \"" + action + "\"", 2);
}

const CommandRegistration evolveCommand(
    "evolve",
    "  evolve --project FILE --teacher ENDPOINT [--judge ENDPOINT] [--answer-prompt NAME[@VERSION]]\n"
    "     [--split train] [--tags a,b] [--rounds N] [--target N] [--keep-rate X] [--concurrency N] [--seed N]\n"
    "     [--spend-cap USD] [--max-tokens N] [--weights add_constraints=1,deepen=1,...] [--check-gain]\n"
    "     [--no-quality-filter] [--quality-threshold 1-10] [--judge-criteria T] [--dedupe-threshold X]\n"
    "     [--min-chars N] [--max-chars N] [--any-script] [--threads N] [--name T] [--verbose] [--estimate]\n"
    "     [--dry-run]\n"
    "     | evolve --project FILE --resume RUN_ID [--spend-cap USD]   (a new cap for the rest of the run)\n"
    "                                    Evol-Instruct from the golden rows: rewrite, answer, eliminate, dedupe\n"
    "                                    (also against eval/test), judge; rows stored as they arrive; prints\n"
    "                                    the funnel as JSON. --estimate: calls, tokens and cost, nothing run",
    commandEvolve);

const CommandRegistration syntheticCommand(
    "synthetic",
    "  synthetic PROJECT rows --run ID [--stage passed|low_quality|duplicate|leak|eliminated|failed|...]\n"
    "  synthetic PROJECT funnel --run ID | promote --run ID | accept-above --run ID --threshold RATING\n"
    "  synthetic PROJECT accept|reject --ids 1,2 | lineage --row ID\n"
    "                                    review an evolve run's rows; promote the accepted ones to the train\n"
    "                                    split (source synthetic)",
    commandSynthetic);

} // namespace

} // namespace tscli

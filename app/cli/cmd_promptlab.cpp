// Prompt lab commands: model endpoints, prompt variants, and A/B tests.
//   endpoint PROJECT add|list|remove ...   where prompts are sent (keys: environment variables)
//   prompt PROJECT set|show|list ...       versioned prompt variants
//   ab --project FILE --variants A,B ...   an A/B test; one JSON line per stored cell with
//                                          --verbose, then the summary (means with CIs, verdicts, cost)
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "cli/cli_providers.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/json_file.h"
#include "evaluation/contestant_cost.h"
#include "evaluation/evaluation_warnings.h"
#include "jobs/job_runner.h"
#include "llm/endpoint_check.h"
#include "llm/endpoint_repository.h"
#include "llm/local/provider_factory.h"
#include "peft/adapter_fit.h"
#include "promptlab/ab_summary.h"
#include "promptlab/ab_test_job.h"
#include "promptlab/cell_repository.h"
#include "promptlab/line_diff.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/results_export.h"
#include "promptlab/variant_text.h"
#include "store/example_repository.h"
#include "store/project.h"
#include "store/run_repository.h"

namespace tscli {

namespace {

using json = nlohmann::json;

json endpointJson(const ts::Endpoint& e)
{
    json j = {{"name", e.name}, {"provider", ts::llm::providerConfigToJson(e.provider)}};
    if (e.price)
        j["price"]
            = {{"input_per_million", e.price->inputPerMillion}, {"output_per_million", e.price->outputPerMillion}};
    return j;
}

// ---------------------------------------------------------------------------------------------
// endpoint

// `endpoint PROJECT test --name NAME`: the GUI's Test Connection with the key from the environment variable.
int testEndpoint(ts::EndpointRepository& repo, const std::string& name)
{
    auto endpoint = repo.get(name);
    if (!endpoint)
        return fail(endpoint.error().message);
    if (!*endpoint)
        return fail("endpoint test: no endpoint named \"" + name + "\"", 2);
    const ts::llm::ProviderConfig& config = (**endpoint).provider;
    const std::string env = ts::llm::effectiveApiKeyEnv(config);
    auto key = ts::llm::apiKeyFromConfigEnv(config);
    installInterruptHandler();
    const ts::llm::EndpointCheck check = ts::llm::checkEndpoint(config, key ? *key : std::string(), interruptToken());
    std::cerr << check.summary(config.model) << "\nKey sent: "
              << (key && !key->empty() ? "the one in $" + env
                      : env.empty()    ? "none"
                                       : "none ($" + env + " is not set)")
              << std::endl;
    json out = {{"name", name}, {"ok", check.ok}, {"model_list_url", ts::llm::modelListUrl(config)}};
    if (check.ok)
        out["latency_ms"] = check.latencyMs;
    else
        out["problem"] = check.problem;
    if (check.httpStatus != 0)
        out["http_status"] = check.httpStatus;
    if (check.models)
        out["models"] = *check.models;
    else if (!check.modelsProblem.empty())
        out["models_problem"] = check.modelsProblem;
    return printJson(out, check.ok ? 0 : 1);
}

int commandEndpoint(const Args& args)
{
    Options opts(args, 2, {});
    if (!opts.ok())
        return fail("endpoint: " + opts.error(), 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::EndpointRepository repo((*project)->writer());
    const std::string& action = opts.positional(1);
    if (action == "list") {
        auto all = repo.all();
        if (!all)
            return fail(all.error().message);
        json out = json::array();
        for (const auto& e : *all)
            out.push_back(endpointJson(e));
        return printJson(out);
    }
    auto name = opts.value("--name");
    if (!name)
        return fail("endpoint " + action + ": --name is required", 2);
    if (action == "remove") {
        if (auto s = repo.remove(*name); !s)
            return fail(s.error().message);
        return printJson({{"removed", *name}});
    }
    if (action == "test")
        return testEndpoint(repo, *name);
    if (action != "add")
        return fail("endpoint: expected add, list, remove or test, got \"" + action + "\"", 2);

    ts::Endpoint e;
    e.name = *name;
    json provider = json::object();
    if (auto file = opts.value("--config")) {
        auto j = ts::readJsonFile(*file);
        if (!j)
            return fail("endpoint add: " + j.error().message, 2);
        provider = *j;
    }
    for (const auto& [flag, field] : std::vector<std::pair<std::string, std::string>> {
             {"--kind", "kind"}, {"--base-url", "base_url"}, {"--model", "model"}, {"--key-env", "api_key_env"}})
        if (auto v = opts.value(flag))
            provider[field] = *v;
    if (auto v = opts.value("--concurrency")) {
        int n = 0;
        if (!parseNumber(*v, n))
            return fail("endpoint add: --concurrency: expected a whole number", 2);
        provider["max_concurrency"] = n;
    }
    if (auto v = opts.value("--adapter")) // stored absolute: the endpoint is used from other folders
        provider["adapter"] = v->empty() ? std::string() : std::filesystem::absolute(*v).lexically_normal().string();
    auto config = ts::llm::providerConfigFromJson(provider);
    if (!config)
        return fail("endpoint add: " + config.error().message, 2);
    e.provider = *config;
    // A bad adapter is refused before anything is stored: the endpoint stays as it was.
    if (!e.provider.adapter.empty())
        if (auto fits = ts::checkAdapterFitsModel(e.provider.adapter, e.provider.model); !fits)
            return fail("endpoint add: " + fits.error().message, 2);
    const auto in = opts.value("--price-in"), out = opts.value("--price-out");
    if (in || out) {
        ts::llm::ModelPrice price;
        if (!in || !out || !parseNumber(*in, price.inputPerMillion) || !parseNumber(*out, price.outputPerMillion))
            return fail("endpoint add: give both --price-in and --price-out, in USD per 1M tokens", 2);
        e.price = price;
    }
    if (auto s = repo.save(e); !s)
        return fail(s.error().message, 2);
    return printJson(endpointJson(e));
}

// ---------------------------------------------------------------------------------------------
// prompt

json versionJson(const ts::PromptVersion& v)
{
    return {{"name", v.name},
            {"version", v.version},
            {"id", v.id},
            {"variant", ts::promptlab::variantToJson(v.variant)},
            {"system_prompt",
             ts::promptlab::systemPrompt(v.variant).ok() ? *ts::promptlab::systemPrompt(v.variant) : std::string()}};
}

int commandPrompt(const Args& args)
{
    Options opts(args, 2, {"--cot", "--no-cot"});
    if (!opts.ok())
        return fail("prompt: " + opts.error(), 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::PromptRepository repo((*project)->writer());
    const std::string& action = opts.positional(1);
    if (action == "list") {
        auto names = repo.names();
        if (!names)
            return fail(names.error().message);
        json out = json::array();
        for (const auto& n : *names) {
            auto v = repo.latest(n);
            if (v && *v)
                out.push_back({{"name", n}, {"version", (*v)->version}, {"endpoint", (*v)->variant.endpoint}});
        }
        return printJson(out);
    }
    auto name = opts.value("--name");
    if (!name)
        return fail("prompt " + action + ": --name is required", 2);
    if (action == "show") {
        auto v = repo.resolve(*name);
        if (!v)
            return fail(v.error().message);
        return printJson(versionJson(*v));
    }
    if (action == "history") {
        auto versions = repo.versions(*name);
        if (!versions)
            return fail(versions.error().message);
        if (versions->empty())
            return fail("prompt \"" + *name + "\" not found in this project");
        json out = json::array();
        std::string previous;
        for (const ts::PromptVersion& v : *versions) {
            const std::string text = ts::promptlab::variantText(v.variant);
            const auto diff = ts::promptlab::diffLines(previous, text);
            out.push_back({{"version", v.version},
                           {"id", v.id},
                           {"created_at", v.createdAt},
                           {"lines_added", diff.added},
                           {"lines_removed", diff.removed}});
            previous = text;
        }
        return printJson(out);
    }
    if (action != "set")
        return fail("prompt: expected set, show, history or list, got \"" + action + "\"", 2);

    // Start from --file, else the newest version, then apply the flags.
    json j = json::object();
    if (auto latest = repo.latest(*name); latest && *latest)
        j = ts::promptlab::variantToJson((*latest)->variant);
    if (auto file = opts.value("--file")) {
        auto f = ts::readJsonFile(*file);
        if (!f)
            return fail("prompt set: " + f.error().message, 2);
        j = *f;
    }
    for (const auto& [flag, field] :
         std::vector<std::pair<std::string, std::string>> {{"--role", "role"},
                                                           {"--instructions", "instructions"},
                                                           {"--audience", "audience"},
                                                           {"--output-format", "output_format"},
                                                           {"--endpoint", "endpoint"}})
        if (auto v = opts.value(flag))
            j[field] = *v;
    if (auto c = opts.values("--constraint"); !c.empty())
        j["constraints"] = c;
    if (opts.flag("--cot"))
        j["chain_of_thought"] = true;
    if (opts.flag("--no-cot"))
        j["chain_of_thought"] = false;
    if (auto ids = opts.value("--few-shot")) {
        json list = json::array();
        for (const auto& item : splitList(*ids)) {
            int64_t id = 0;
            if (!parseNumber(item, id))
                return fail("prompt set: --few-shot: \"" + item + "\" is not an example id", 2);
            list.push_back(id);
        }
        j["few_shot_ids"] = list;
    }
    if (auto schema = opts.value("--json-schema")) {
        auto s = ts::readJsonFile(*schema);
        if (!s)
            return fail("prompt set: --json-schema: " + s.error().message, 2);
        j["json_schema"] = *s;
    }
    for (const auto& kv : opts.values("--var")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            return fail("prompt set: --var: expected NAME=VALUE, got \"" + kv + "\"", 2);
        j["variables"][kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [flag, field] :
         std::vector<std::pair<std::string, std::string>> {{"--temperature", "temperature"}, {"--top-p", "top_p"}})
        if (auto v = opts.value(flag)) {
            double x = 0;
            if (!parseNumber(*v, x))
                return fail("prompt set: " + flag + ": expected a number", 2);
            j[field] = x;
        }
    if (auto v = opts.value("--max-tokens")) {
        int n = 0;
        if (!parseNumber(*v, n))
            return fail("prompt set: --max-tokens: expected a whole number", 2);
        j["max_tokens"] = n;
    }
    auto variant = ts::promptlab::variantFromJson(j);
    if (!variant)
        return fail("prompt set: " + variant.error().message, 2);
    if (auto system = ts::promptlab::systemPrompt(*variant); !system)
        return fail("prompt set: " + system.error().message, 2);
    auto saved = repo.save(*name, *variant);
    if (!saved)
        return fail(saved.error().message, 2);
    return printJson(versionJson(*saved));
}

// ---------------------------------------------------------------------------------------------
// ab

// The options of `ab` and `eval` into `params` (`command` names the command in messages); an exit code when they
// are wrong, else nullopt.
std::optional<int> readComparisonOptions(const Options& opts, const std::string& command, ts::AbTestParams& params)
{
    params.runName = opts.value("--name").value_or("");
    auto& c = params.config;
    if (auto id = opts.value("--resume")) {
        int64_t runId = 0;
        if (!parseNumber(*id, runId))
            return fail(command + ": --resume: expected a run id", 2);
        params.resumeRunId = runId;
    } else {
        auto variants = opts.value("--variants");
        if (!variants)
            return fail(command + ": --variants A,B is required (prompt names, or NAME@VERSION)", 2);
        c.variants = splitList(*variants);
        if (auto s = opts.value("--split")) {
            auto split = ts::splitFromName(*s);
            if (!split)
                return fail(command + ": --split: expected train, eval or test", 2);
            c.split = *split;
        }
        struct IntFlag
        {
            const char* flag;
            std::function<void(int64_t)> set;
        };
        for (const IntFlag& f :
             std::vector<IntFlag> {{"--repeats", [&](int64_t v) { c.repeats = static_cast<int>(v); }},
                                   {"--seed", [&](int64_t v) { c.seed = static_cast<uint64_t>(v); }},
                                   {"--concurrency", [&](int64_t v) { c.concurrency = static_cast<int>(v); }},
                                   {"--limit", [&](int64_t v) { c.limit = v; }},
                                   {"--judge-max-tokens", [&](int64_t v) { c.judgeMaxTokens = static_cast<int>(v); }}})
            if (auto v = opts.value(f.flag)) {
                int64_t n = 0;
                if (!parseNumber(*v, n))
                    return fail(command + ": " + f.flag + ": expected a whole number", 2);
                f.set(n);
            }
        if (auto v = opts.value("--spend-cap")) {
            double usd = 0;
            if (!parseNumber(*v, usd))
                return fail(command + ": --spend-cap: expected USD, e.g. 2.50", 2);
            c.spendCapUsd = usd;
        }
        if (auto file = opts.value("--scorers")) {
            auto j = ts::readJsonFile(*file);
            if (!j)
                return fail(command + ": --scorers: " + j.error().message, 2);
            auto scorers = ts::eval::scorersFromJson(*j);
            if (!scorers)
                return fail(command + ": --scorers: " + scorers.error().message, 2);
            c.scorers = *scorers;
        }
        if (auto text = opts.value("--scorers-json")) {
            const json j = json::parse(*text, nullptr, false);
            if (j.is_discarded())
                return fail(command + ": --scorers-json: not valid JSON", 2);
            auto scorers = ts::eval::scorersFromJson(j);
            if (!scorers)
                return fail(command + ": --scorers-json: " + scorers.error().message, 2);
            c.scorers = *scorers;
        }
        c.judgeEndpoint = opts.value("--judge").value_or("");
        c.judgeCriteria = opts.value("--judge-criteria").value_or("");
        c.pairwiseJudge = opts.flag("--pairwise");
        if (auto v = validateAbTestConfig(c); !v)
            return fail(command + ": " + v.error().message, 2);
    }
    return std::nullopt;
}

// Runs an `ab` or `eval` comparison (the same job) and prints its summary; `command` names it in messages.
int runComparison(const Options& opts, const std::string& command, ts::AbTestParams params)
{
    auto projectPath = opts.value("--project");
    if (!projectPath)
        return fail(command + ": --project FILE is required", 2);
    int threads = 0;
    if (auto t = opts.value("--threads"); t && !parseNumber(*t, threads))
        return fail(command + ": --threads: expected a whole number", 2);
    if (opts.flag("--dry-run")) {
        // The settings the run would get; nothing is opened, called or stored.
        if (!std::filesystem::exists(*projectPath))
            return fail(command + ": " + *projectPath + " does not exist", 2);
        json out = {{"dry_run", true}, {"project", *projectPath}, {"name", params.runName}, {"threads", threads}};
        if (params.resumeRunId)
            out["resume"] = *params.resumeRunId;
        else
            out["config"] = ts::promptlab::abTestConfigToJson(params.config);
        return printJson(out);
    }
    auto project = ts::Project::open(*projectPath);
    if (!project)
        return fail(project.error().message);
    params.project = project->get();
    params.providers = cliProviders(threads);
    std::mutex out;
    if (opts.flag("--verbose"))
        params.onCell = [&](const ts::Cell& cell) {
            json j = {{"variant", cell.variant}, {"example_id", cell.exampleId}, {"repeat", cell.repeat}};
            if (cell.ok()) {
                j["output"] = cell.output;
                for (const auto& s : cell.scores)
                    j["scores"][s.scorer] = s.value;
            } else {
                j["error"] = cell.error;
            }
            std::lock_guard<std::mutex> g(out);
            std::cout << j.dump() << std::endl;
        };

    installInterruptHandler();
    ts::AbTestJob job(params);
    StderrProgress progress;
    const auto status = ts::JobRunner::runHere(job, interruptToken(), progress);
    const auto& r = job.result();
    if (r.runId == 0)
        return fail(command + ": " + status.error().message, 2);
    json result = {
        {"run_id", r.runId},       {"status", status ? "succeeded" : ts::isCancelled(status) ? "cancelled" : "failed"},
        {"cells", r.cells},        {"skipped", r.skipped},
        {"done", r.done},          {"failed", r.failed},
        {"spent_usd", r.spentUsd}, {"spent_by_role", ts::promptlab::spendToJson(r.spent)}};
    if (!status && !ts::isCancelled(status))
        result["error"] = status.error().message;
    auto summary = ts::promptlab::summarizeRun((*project)->writer(), r.runId);
    if (summary) {
        result["summary"] = ts::promptlab::abSummaryToJson(*summary);
        std::cerr << ts::promptlab::spendText(summary->spend) << " (the whole run; this session "
                  << ts::promptlab::usdText(r.spentUsd) << ")" << std::endl;
    } else
        result["summary_error"] = summary.error().message;
    if (params.runKind == "eval") {
        // Rows a contestant has seen (in training, or as a few-shot example), a judge that is a contestant: say so.
        auto run = ts::RunRepository((*project)->writer()).get(r.runId);
        auto config = run && *run ? ts::promptlab::abTestConfigFromJson(json::parse((*run)->config, nullptr, false))
                                  : ts::Expected<ts::promptlab::AbTestConfig>(ts::makeError("the run is gone"));
        auto warnings = config ? ts::evaluation::evaluationWarnings((*project)->writer(), *config)
                               : ts::Expected<std::vector<std::string>>(config.error());
        // Cost per 1,000 calls of each contestant, local ones at the user's price of a GPU-hour (or free).
        if (config && summary) {
            std::optional<double> gpuHour;
            if (auto stored = (*project)->meta(ts::evaluation::kGpuHourUsdKey); stored && !stored->empty()) {
                double usd = 0;
                if (parseNumber(*stored, usd) && usd >= 0)
                    gpuHour = usd;
            }
            if (auto v = opts.value("--gpu-hour-usd")) {
                double usd = 0;
                if (parseNumber(*v, usd) && usd >= 0)
                    gpuHour = usd;
            }
            if (auto costs = ts::evaluation::contestantCosts((*project)->writer(), *config, *summary, gpuHour)) {
                json list = json::array();
                for (const auto& c : *costs)
                    list.push_back({{"contestant", c.label},
                                    {"per_1000_calls_usd", c.per1000Usd ? json(*c.per1000Usd) : json(nullptr)},
                                    {"basis", c.basis}});
                result["cost_per_1000_calls"] = list;
            }
        }
        if (!warnings)
            result["warnings"] = json::array({"the evaluation's checks failed: " + warnings.error().message});
        else if (!warnings->empty()) {
            result["warnings"] = *warnings;
            for (const auto& w : *warnings)
                std::cerr << "warning: " << w << std::endl;
        }
    }
    return printJson(result, status ? 0 : ts::isCancelled(status) ? 130 : 1);
}

int commandAb(const Args& args)
{
    Options opts(args, 0, {"--verbose", "--pairwise", "--dry-run"});
    if (!opts.ok())
        return fail("ab: " + opts.error(), 2);
    ts::AbTestParams params;
    if (auto bad = readComparisonOptions(opts, "ab", params))
        return *bad;
    return runComparison(opts, "ab", std::move(params));
}

// "label=base,prompt=short@2,endpoint=local-demo,adapter=DIR" → a contestant and its prompt reference.
std::optional<std::string> parseContestant(const std::string& text, ts::promptlab::Contestant& who, std::string& prompt)
{
    for (const std::string& item : splitList(text)) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            return "\"" + item + "\": expected KEY=VALUE (label, prompt, endpoint, adapter)";
        const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "label")
            who.label = value;
        else if (key == "prompt")
            prompt = value;
        else if (key == "endpoint")
            who.endpoint = value;
        else if (key == "adapter")
            who.adapter = value;
        else
            return "unknown key \"" + key + "\" (label, prompt, endpoint, adapter)";
    }
    if (prompt.empty())
        return "\"" + text + "\": prompt=NAME is required";
    if (who.label.empty())
        who.label = prompt + (who.endpoint.empty() ? "" : " on " + who.endpoint);
    return std::nullopt;
}

int commandEval(const Args& args)
{
    Options opts(args, 0, {"--verbose", "--pairwise", "--dry-run"});
    if (!opts.ok())
        return fail("eval: " + opts.error(), 2);
    ts::AbTestParams params;
    params.runKind = "eval";
    params.config.split = ts::Split::Test;
    if (!opts.value("--resume")) {
        const auto specs = opts.values("--contestant");
        if (specs.empty())
            return fail("eval: --contestant label=L,prompt=P[,endpoint=E][,adapter=DIR] is required (one per "
                        "contestant)",
                        2);
        std::vector<std::string> prompts;
        for (const std::string& spec : specs) {
            ts::promptlab::Contestant who;
            std::string prompt;
            if (auto bad = parseContestant(spec, who, prompt))
                return fail("eval: --contestant " + *bad, 2);
            prompts.push_back(prompt);
            params.config.contestants.push_back(std::move(who));
        }
        std::string joined;
        for (const auto& prompt : prompts)
            joined += (joined.empty() ? "" : ",") + prompt;
        std::vector<std::string> withVariants(args);
        withVariants.push_back("--variants");
        withVariants.push_back(joined);
        Options all(withVariants, 0, {"--verbose", "--pairwise", "--dry-run"});
        const auto contestants = params.config.contestants;
        if (auto bad = readComparisonOptions(all, "eval", params))
            return *bad;
        params.config.contestants = contestants;
        if (auto v = validateAbTestConfig(params.config); !v)
            return fail("eval: " + v.error().message, 2);
        return runComparison(all, "eval", std::move(params));
    }
    if (auto bad = readComparisonOptions(opts, "eval", params))
        return *bad;
    return runComparison(opts, "eval", std::move(params));
}

// rate: the user's own 1-10 rating of one output of an A/B test or evaluation (what the judge is checked against).
int commandRate(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("rate: " + opts.error(), 2);
    int64_t runId = 0, exampleId = 0;
    int repeat = 0;
    double rating = 0;
    const auto variant = opts.value("--variant");
    if (!opts.value("--run") || !parseNumber(*opts.value("--run"), runId))
        return fail("rate: --run RUN_ID is required", 2);
    if (!opts.value("--example") || !parseNumber(*opts.value("--example"), exampleId))
        return fail("rate: --example ID is required", 2);
    if (!variant)
        return fail("rate: --variant LABEL is required (the contestant or \"A v1\")", 2);
    if (auto r = opts.value("--repeat"); r && !parseNumber(*r, repeat))
        return fail("rate: --repeat: expected a whole number", 2);
    if (!opts.value("--rating") || !parseNumber(*opts.value("--rating"), rating) || rating < 1 || rating > 10)
        return fail("rate: --rating 1-10 is required", 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::CellRepository cells((*project)->writer());
    auto all = cells.cells(runId);
    if (!all)
        return fail(all.error().message);
    auto it = std::find_if(all->begin(), all->end(), [&](const ts::Cell& c) {
        return c.variant == *variant && c.exampleId == exampleId && c.repeat == repeat;
    });
    if (it == all->end())
        return fail("rate: run " + std::to_string(runId) + " has no answer of \"" + *variant + "\" for example "
                        + std::to_string(exampleId) + " (repeat " + std::to_string(repeat) + ")",
                    2);
    if (!it->ok())
        return fail("rate: that call failed; there is no output to rate", 2);
    if (auto s = cells.putScore(*it, {ts::promptlab::kUserRatingScore, rating, std::nullopt, ""}, {}); !s)
        return fail(s.error().message);
    auto summary = ts::promptlab::summarizeRun((*project)->writer(), runId);
    json out = {{"rated", true}, {"cell_id", it->id}};
    if (summary) {
        const json j = ts::promptlab::abSummaryToJson(*summary);
        out["user_rated"] = j.value("user_rated", 0);
        if (j.contains("judge_agreement"))
            out["judge_agreement"] = j["judge_agreement"];
    }
    return printJson(out);
}

// results: an A/B test's or evaluation's cells as CSV or JSON Lines (promptlab/results_export.h), by extension.
int commandResults(const Args& args)
{
    Options opts(args, 1, {});
    if (!opts.ok())
        return fail("results: " + opts.error(), 2);
    int64_t runId = 0;
    if (!opts.value("--run") || !parseNumber(*opts.value("--run"), runId))
        return fail("results: --run RUN_ID is required", 2);
    const auto out = opts.value("--out");
    if (!out)
        return fail("results: --out FILE.csv or FILE.jsonl is required", 2);
    const std::string extension = std::filesystem::path(*out).extension().string();
    if (extension != ".csv" && extension != ".jsonl")
        return fail("results: --out: the file must end in .csv or .jsonl (got \"" + extension + "\")", 2);
    auto project = ts::Project::open(opts.positional(0));
    if (!project)
        return fail(project.error().message);
    ts::Database& db = (*project)->writer();
    auto run = ts::RunRepository(db).get(runId);
    if (!run)
        return fail(run.error().message);
    if (!*run || ((*run)->kind != "ab_test" && (*run)->kind != "eval"))
        return fail("results: run " + std::to_string(runId) + " is not an A/B test or an evaluation", 2);
    auto cells = ts::CellRepository(db).cells(runId);
    if (!cells)
        return fail(cells.error().message);
    std::vector<int64_t> ids;
    for (const auto& c : *cells)
        ids.push_back(c.exampleId);
    auto examples = ts::ExampleRepository(db).getMany(ids);
    if (!examples)
        return fail(examples.error().message);
    std::map<int64_t, ts::promptlab::ExampleText> texts;
    for (const auto& e : *examples)
        texts[e.id] = {e.input(), e.output()};
    const auto format = extension == ".csv" ? ts::promptlab::ResultsFormat::Csv : ts::promptlab::ResultsFormat::Jsonl;
    if (auto s = ts::promptlab::writeResults(*out, format, *cells, texts); !s)
        return fail(s.error().message);
    return printJson({{"written", *out}, {"cells", cells->size()}});
}

const CommandRegistration endpointCommand(
    "endpoint",
    "  endpoint PROJECT add --name NAME --kind openai-compatible|anthropic|local --model MODEL|DIR\n"
    "           [--base-url URL] [--key-env VAR] [--concurrency N] [--price-in USD --price-out USD] [--config FILE]\n"
    "           [--adapter DIR]          (local: merge a PEFT LoRA adapter, e.g. a training run's; \"\" = none)\n"
    "                                    a model endpoint for prompt variants (prices per 1M tokens;\n"
    "                                    keys are read from the environment variable, never stored)\n"
    "  endpoint PROJECT list | remove --name NAME\n"
    "  endpoint PROJECT test --name NAME  one 1-token request and the host's model list (GET .../models), with\n"
    "                                    the key from the endpoint's variable; prints the result as JSON",
    commandEndpoint);

const CommandRegistration promptCommand(
    "prompt",
    "  prompt PROJECT set --name NAME [--file VARIANT.json] [--role T] [--instructions T] [--constraint T]...\n"
    "           [--audience T] [--output-format T] [--json-schema FILE] [--cot|--no-cot] [--few-shot 1,2]\n"
    "           [--var K=V]... [--endpoint NAME] [--temperature X] [--top-p X] [--max-tokens N]\n"
    "                                    save a prompt variant (a new version when it changed)\n"
    "  prompt PROJECT show --name NAME[@VERSION] | list\n"
    "  prompt PROJECT history --name NAME     every saved version (oldest first) with its time (unix ms) and\n"
    "                                    the lines added and removed against the version before",
    commandPrompt);

const CommandRegistration resultsCommand(
    "results",
    "  results PROJECT --run ID --out FILE.csv|FILE.jsonl\n"
    "                                    an A/B test's or evaluation's cells (input, reference, output, checks,\n"
    "                                    usage, latency, cost, every score) as CSV or JSON Lines",
    commandResults);

const CommandRegistration rateCommand(
    "rate",
    "  rate PROJECT --run ID --variant LABEL --example ID [--repeat N] --rating 1-10\n"
    "                                    your own rating of one output of an A/B test or evaluation; once 10\n"
    "                                    are rated, the summary shows the judge's agreement with you (kappa)",
    commandRate);

const CommandRegistration evalCommand(
    "eval",
    "  eval --project FILE --contestant label=L,prompt=P[@V][,endpoint=E][,adapter=DIR] --contestant ...\n"
    "     [--split test] [--repeats N] [--seed N] [--concurrency N] [--limit N] [--spend-cap USD]\n"
    "     [--scorers FILE.json | --scorers-json JSON] [--judge ENDPOINT [--judge-criteria T] [--pairwise]]\n"
    "     [--gpu-hour-usd X] [--name TEXT] [--verbose] [--dry-run] | eval --project FILE --resume RUN_ID\n"
    "                                    evaluate contestants (a prompt on an endpoint, a local endpoint with a\n"
    "                                    trained adapter) on the test split: the A/B machinery and summary",
    commandEval);

const CommandRegistration
    abCommand("ab",
              "  ab --project FILE --variants A,B[@VERSION] [--split eval] [--repeats N] [--seed N] [--concurrency N]\n"
              "     [--limit N] [--spend-cap USD] [--scorers FILE.json | --scorers-json JSON] [--judge ENDPOINT "
              "[--judge-criteria T] [--pairwise]\n"
              "     [--judge-max-tokens N]]\n"
              "     [--name TEXT] [--verbose] [--dry-run] | ab --project FILE --resume RUN_ID\n"
              "                                    A/B test the variants on a split; prints the summary as JSON\n"
              "                                    (means with 95% CIs, paired verdicts, latency, tokens, cost, spend\n"
              "                                    by role); the spend cap counts variant, judge and pairwise calls;\n"
              "                                    --dry-run prints the resolved settings as JSON and runs nothing",
              commandAb);

} // namespace

} // namespace tscli

#include "promptlab/ab_summary.h"

#include <algorithm>
#include <cstdio>

#include "promptlab/ab_test_config.h"
#include "promptlab/prompt_repository.h"
#include "promptlab/spend_ledger.h"
#include "store/run_repository.h"

namespace ts::promptlab {

using json = nlohmann::json;

namespace {

// Per example: the mean score over repeats, and whether every repeat passed.
struct ExampleScore
{
    double sum = 0;
    int n = 0;
    bool allPassed = true;
    bool hasPass = false;
    double mean() const { return sum / n; }
};

using PerExample = std::map<int64_t, ExampleScore>; // example id →

} // namespace

Expected<AbSummary> summarizeCells(const std::vector<Cell>& cells, const std::vector<std::string>& variantOrder,
                                   const std::map<std::string, double>& pointsPerUnit,
                                   const eval::BootstrapOptions& options,
                                   const std::map<std::string, std::string>& units)
{
    AbSummary out;
    std::vector<std::string> scorerOrder;
    // variant → scorer → example → score
    std::map<std::string, std::map<std::string, PerExample>> table;
    for (const auto& variant : variantOrder) {
        VariantSummary v;
        v.variant = variant;
        std::vector<double> latencies;
        double tokensIn = 0, tokensOut = 0, cost = 0;
        int64_t ok = 0, priced = 0;
        std::map<std::string, std::vector<double>> values;
        std::map<std::string, std::pair<int64_t, int64_t>> passes; // passed, counted
        for (const auto& c : cells) {
            if (c.variant != variant)
                continue;
            ++v.cells;
            if (!c.ok()) {
                ++v.failed;
                continue;
            }
            ++ok;
            if (c.latencyMs)
                latencies.push_back(*c.latencyMs);
            tokensIn += static_cast<double>(c.tokensIn.value_or(0));
            tokensOut += static_cast<double>(c.tokensOut.value_or(0));
            if (c.cost) {
                cost += *c.cost;
                ++priced;
            }
            for (const auto& s : c.scores) {
                if (s.scorer == kUserRatingScore)
                    continue; // the user's own ratings: compared with the judge below, not a scorer
                if (std::find(scorerOrder.begin(), scorerOrder.end(), s.scorer) == scorerOrder.end())
                    scorerOrder.push_back(s.scorer);
                values[s.scorer].push_back(s.value);
                auto& e = table[variant][s.scorer][c.exampleId];
                e.sum += s.value;
                ++e.n;
                if (s.passed) {
                    e.hasPass = true;
                    e.allPassed = e.allPassed && *s.passed;
                    passes[s.scorer].first += *s.passed ? 1 : 0;
                    ++passes[s.scorer].second;
                }
            }
        }
        for (const auto& name : scorerOrder) {
            auto it = values.find(name);
            if (it == values.end())
                continue;
            auto mean = eval::bootstrapMean(it->second, options);
            if (!mean)
                return mean.error();
            ScorerSummary s;
            s.scorer = name;
            s.mean = *mean;
            if (auto p = passes.find(name); p != passes.end() && p->second.second > 0)
                s.passRate = static_cast<double>(p->second.first) / static_cast<double>(p->second.second);
            v.scores.push_back(std::move(s));
        }
        if (!latencies.empty()) {
            auto l = eval::latencySummary(latencies);
            if (l)
                v.latency = *l;
        }
        if (ok) {
            v.meanTokensIn = tokensIn / static_cast<double>(ok);
            v.meanTokensOut = tokensOut / static_cast<double>(ok);
        }
        if (priced) {
            v.costTotal = cost;
            v.costPer1000 = cost / static_cast<double>(priced) * 1000.0;
            out.spend.variant += cost;
        }
        out.variants.push_back(std::move(v));
    }

    // The judge against the user's own ratings, on the cells both rated.
    {
        std::vector<double> judge, user;
        for (const Cell& c : cells) {
            std::optional<double> j, u;
            for (const CellScore& sc : c.scores) {
                if (sc.scorer == "judge")
                    j = sc.value;
                else if (sc.scorer == kUserRatingScore)
                    u = sc.value;
            }
            if (u)
                ++out.userRated;
            if (j && u) {
                judge.push_back(*j);
                user.push_back(*u);
            }
        }
        auto agreement = eval::judgeUserAgreement(judge, user);
        if (!agreement)
            return agreement.error();
        out.judgeAgreement = *agreement;
    }

    // Pairwise judge scores live on the later variants only: their mean is the win rate.
    for (const auto& v : out.variants)
        for (const auto& sc : v.scores)
            if (sc.scorer.rfind("pairwise vs ", 0) == 0) {
                PairSummary p;
                p.a = sc.scorer.substr(12);
                p.b = v.variant;
                p.scorer = sc.scorer;
                p.comparison.n = sc.mean.n;
                p.comparison.meanB = sc.mean.mean;
                p.comparison.difference = sc.mean.mean - 0.5;
                p.comparison.ciLow = sc.mean.ciLow - 0.5;
                p.comparison.ciHigh = sc.mean.ciHigh - 0.5;
                p.comparison.significant = sc.mean.n >= 2 && (sc.mean.ciLow > 0.5 || sc.mean.ciHigh < 0.5);
                // The judged pairs whose two orders disagreed were stored as ties marked "inconsistent".
                int64_t judged = 0, consistent = 0;
                for (const Cell& c : cells)
                    if (c.variant == v.variant)
                        for (const CellScore& s : c.scores)
                            if (s.scorer == sc.scorer) {
                                ++judged;
                                consistent += s.detail.find("(inconsistent: tie)") == std::string::npos ? 1 : 0;
                            }
                if (judged)
                    p.swapConsistency = static_cast<double>(consistent) / static_cast<double>(judged);
                char text[300];
                std::snprintf(text, sizeof text,
                              "judge, both orders: %s wins %.0f%% against %s (ties half; 95%% CI %.0f%% to %.0f%%)%s; "
                              "the judge named the same winner in both orders on %.0f%% of %lld pairs",
                              v.variant.c_str(), 100 * sc.mean.mean, p.a.c_str(), 100 * sc.mean.ciLow,
                              100 * sc.mean.ciHigh, p.comparison.significant ? "" : ", not significant",
                              100 * p.swapConsistency.value_or(0), static_cast<long long>(judged));
                p.verdict = text;
                out.pairs.push_back(std::move(p));
            }
    if (variantOrder.size() < 2)
        return out;
    const std::string& base = variantOrder.front();
    for (size_t i = 1; i < variantOrder.size(); ++i) {
        const std::string& other = variantOrder[i];
        for (const auto& scorer : scorerOrder) {
            if (scorer.rfind("pairwise vs ", 0) == 0)
                continue; // summarised above
            const PerExample& a = table[base][scorer];
            const PerExample& b = table[other][scorer];
            std::vector<double> va, vb;
            std::vector<bool> pa, pb;
            bool passFail = true;
            for (const auto& [example, sa] : a) {
                auto it = b.find(example);
                if (it == b.end())
                    continue;
                va.push_back(sa.mean());
                vb.push_back(it->second.mean());
                passFail = passFail && sa.hasPass && it->second.hasPass;
                pa.push_back(sa.allPassed);
                pb.push_back(it->second.allPassed);
            }
            if (va.empty())
                continue;
            PairSummary p;
            p.a = base;
            p.b = other;
            p.scorer = scorer;
            auto cmp = eval::comparePaired(va, vb, options);
            if (!cmp)
                return cmp.error();
            p.comparison = *cmp;
            if (passFail) {
                auto m = eval::mcnemarExact(pa, pb);
                if (m)
                    p.mcnemar = *m;
            }
            auto points = pointsPerUnit.find(scorer);
            auto unit = units.find(scorer);
            p.verdict = scorer + ": "
                + eval::verdictText(p.comparison, base, other, points == pointsPerUnit.end() ? 100.0 : points->second,
                                    unit == units.end() ? "points" : unit->second);
            out.pairs.push_back(std::move(p));
        }
    }
    return out;
}

Expected<AbSummarySetup> summarySetup(Database& db, int64_t runId)
{
    auto run = RunRepository(db).get(runId);
    if (!run)
        return run.error();
    if (!*run || ((*run)->kind != "ab_test" && (*run)->kind != "eval"))
        return makeError("A/B test or evaluation run " + std::to_string(runId) + " not found");
    auto config = abTestConfigFromJson(json::parse((*run)->config, nullptr, false));
    if (!config)
        return makeError("A/B test run " + std::to_string(runId) + ": " + config.error().message);
    AbSummarySetup setup;
    PromptRepository prompts(db);
    for (size_t i = 0; i < config->variantVersionIds.size(); ++i) {
        const int64_t id = config->variantVersionIds[i];
        auto v = prompts.byId(id);
        if (!v)
            return v.error();
        setup.variantOrder.push_back(
            contestantLabel(*config, i, *v ? (*v)->label() : "prompt version " + std::to_string(id)));
    }
    for (const auto& scorer : config->scorers) {
        setup.pointsPerUnit[scorer.displayName()] = eval::pointsPerUnit(scorer.kind);
        setup.units[scorer.displayName()] = eval::verdictUnit(scorer);
    }
    setup.pointsPerUnit["judge"] = 1.0; // 1-10 ratings
    return setup;
}

Expected<AbSummary> summarizeRun(Database& db, int64_t runId, const eval::BootstrapOptions& options)
{
    auto setup = summarySetup(db, runId);
    if (!setup)
        return setup.error();
    auto cells = CellRepository(db).cells(runId);
    if (!cells)
        return cells.error();
    auto summary = summarizeCells(*cells, setup->variantOrder, setup->pointsPerUnit, options, setup->units);
    if (!summary)
        return summary;
    auto ledger = runSpend(db, runId);
    if (!ledger)
        return ledger.error();
    if (*ledger)
        summary->spend = **ledger;
    return summary;
}

json abSummaryToJson(const AbSummary& s)
{
    json variants = json::array();
    for (const auto& v : s.variants) {
        json scores = json::object();
        for (const auto& sc : v.scores) {
            json j = {{"mean", sc.mean.mean}, {"ci_low", sc.mean.ciLow}, {"ci_high", sc.mean.ciHigh}, {"n", sc.mean.n}};
            if (sc.passRate)
                j["pass_rate"] = *sc.passRate;
            scores[sc.scorer] = j;
        }
        json j = {{"variant", v.variant},
                  {"cells", v.cells},
                  {"failed", v.failed},
                  {"scores", scores},
                  {"mean_tokens_in", v.meanTokensIn},
                  {"mean_tokens_out", v.meanTokensOut},
                  {"cost_total_usd", v.costTotal ? json(*v.costTotal) : json(nullptr)},
                  {"cost_per_1000_calls_usd", v.costPer1000 ? json(*v.costPer1000) : json(nullptr)}};
        if (v.latency)
            j["latency_ms"] = {{"p50", v.latency->p50}, {"p95", v.latency->p95}};
        variants.push_back(j);
    }
    json pairs = json::array();
    for (const auto& p : s.pairs) {
        json j = {{"a", p.a},
                  {"b", p.b},
                  {"scorer", p.scorer},
                  {"n", p.comparison.n},
                  {"mean_a", p.comparison.meanA},
                  {"mean_b", p.comparison.meanB},
                  {"difference", p.comparison.difference},
                  {"ci_low", p.comparison.ciLow},
                  {"ci_high", p.comparison.ciHigh},
                  {"p_value", p.comparison.pValue},
                  {"significant", p.comparison.significant},
                  {"verdict", p.verdict}};
        if (p.mcnemar)
            j["mcnemar"] = {{"only_a", p.mcnemar->onlyA}, {"only_b", p.mcnemar->onlyB}, {"p_value", p.mcnemar->pValue}};
        if (p.swapConsistency)
            j["swap_consistency"] = *p.swapConsistency;
        pairs.push_back(j);
    }
    json out = {{"variants", variants}, {"comparisons", pairs}, {"spend_usd", spendToJson(s.spend)}};
    if (s.userRated)
        out["user_rated"] = s.userRated;
    if (s.judgeAgreement) {
        out["judge_agreement"] = {{"n", s.judgeAgreement->n}, {"percent", s.judgeAgreement->percentAgreement}};
        if (s.judgeAgreement->kappa)
            out["judge_agreement"]["kappa"] = *s.judgeAgreement->kappa;
    }
    return out;
}

} // namespace ts::promptlab

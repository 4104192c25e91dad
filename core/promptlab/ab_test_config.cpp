#include "promptlab/ab_test_config.h"

#include <set>

namespace ts::promptlab {

using json = nlohmann::json;

json abTestConfigToJson(const AbTestConfig& c)
{
    json j = {
        {"variants", c.variants},
        {"variant_version_ids", c.variantVersionIds},
        {"split", std::string(splitName(c.split))},
        {"repeats", c.repeats},
        {"seed", c.seed},
        {"concurrency", c.concurrency},
        {"scorers", eval::scorersToJson(c.scorers)},
        {"judge_endpoint", c.judgeEndpoint},
        {"judge_criteria", c.judgeCriteria},
        {"judge_max_tokens", c.judgeMaxTokens},
        {"pairwise_judge", c.pairwiseJudge},
    };
    if (c.spendCapUsd)
        j["spend_cap_usd"] = *c.spendCapUsd;
    if (c.limit)
        j["limit"] = *c.limit;
    if (!c.contestants.empty()) {
        json list = json::array();
        for (const Contestant& who : c.contestants) {
            json entry = {{"label", who.label}, {"endpoint", who.endpoint}};
            if (who.adapter)
                entry["adapter"] = *who.adapter;
            list.push_back(entry);
        }
        j["contestants"] = list;
    }
    return j;
}

Expected<AbTestConfig> abTestConfigFromJson(const json& j)
{
    if (!j.is_object())
        return makeError("A/B test config: expected a JSON object");
    static const std::set<std::string> known = {"variants",
                                                "variant_version_ids",
                                                "split",
                                                "repeats",
                                                "seed",
                                                "concurrency",
                                                "spend_cap_usd",
                                                "limit",
                                                "scorers",
                                                "judge_endpoint",
                                                "judge_criteria",
                                                "pairwise_judge",
                                                "judge_max_tokens",
                                                "contestants"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.count(it.key()))
            return makeError("A/B test config: unknown field \"" + it.key() + "\"");
    AbTestConfig c;
    std::string field;
    try {
        field = "variants";
        c.variants = j.value("variants", std::vector<std::string>());
        field = "variant_version_ids";
        c.variantVersionIds = j.value("variant_version_ids", std::vector<int64_t>());
        field = "split";
        const auto split = splitFromName(j.value("split", std::string("eval")));
        if (!split)
            return makeError("A/B test config: split: expected train, eval or test");
        c.split = *split;
        field = "repeats";
        c.repeats = j.value("repeats", 1);
        field = "seed";
        c.seed = j.value("seed", uint64_t {0});
        field = "concurrency";
        c.concurrency = j.value("concurrency", 4);
        field = "spend_cap_usd";
        if (j.contains("spend_cap_usd") && !j["spend_cap_usd"].is_null())
            c.spendCapUsd = j["spend_cap_usd"].get<double>();
        field = "limit";
        if (j.contains("limit") && !j["limit"].is_null())
            c.limit = j["limit"].get<int64_t>();
        field = "judge_endpoint";
        c.judgeEndpoint = j.value("judge_endpoint", std::string());
        field = "judge_criteria";
        c.judgeCriteria = j.value("judge_criteria", std::string());
        field = "judge_max_tokens";
        c.judgeMaxTokens = j.value("judge_max_tokens", 1024);
        field = "pairwise_judge";
        c.pairwiseJudge = j.value("pairwise_judge", false);
        field = "contestants";
        if (auto it = j.find("contestants"); it != j.end())
            for (const json& entry : *it) {
                Contestant who;
                who.label = entry.value("label", std::string());
                who.endpoint = entry.value("endpoint", std::string());
                if (entry.contains("adapter") && !entry["adapter"].is_null())
                    who.adapter = entry["adapter"].get<std::string>();
                c.contestants.push_back(std::move(who));
            }
    } catch (const json::exception&) {
        return makeError("A/B test config: " + field + ": wrong type");
    }
    if (auto it = j.find("scorers"); it != j.end()) {
        auto scorers = eval::scorersFromJson(*it);
        if (!scorers)
            return makeError("A/B test config: " + scorers.error().message);
        c.scorers = std::move(*scorers);
    }
    if (auto v = validateAbTestConfig(c); !v)
        return v.error();
    return c;
}

std::string contestantLabel(const AbTestConfig& config, size_t i, const std::string& versionLabel)
{
    if (i < config.contestants.size() && !config.contestants[i].label.empty())
        return config.contestants[i].label;
    return versionLabel;
}

std::string pairwiseScoreName(const std::string& baseline)
{
    return "pairwise vs " + baseline;
}

Status validateAbTestConfig(const AbTestConfig& c)
{
    if (c.variants.empty() && c.variantVersionIds.empty())
        return makeError("A/B test config: variants: name at least one prompt variant");
    if (c.repeats < 1 || c.repeats > 100)
        return makeError("A/B test config: repeats: must be between 1 and 100");
    if (c.concurrency < 1 || c.concurrency > 256)
        return makeError("A/B test config: concurrency: must be between 1 and 256");
    if (c.spendCapUsd && !(*c.spendCapUsd > 0))
        return makeError("A/B test config: spend_cap_usd: must be > 0");
    if (c.limit && *c.limit < 1)
        return makeError("A/B test config: limit: must be >= 1");
    if (c.judgeMaxTokens < 16 || c.judgeMaxTokens > 32768)
        return makeError("A/B test config: judge_max_tokens: must be between 16 and 32768");
    if (c.pairwiseJudge && c.judgeEndpoint.empty())
        return makeError("A/B test config: pairwise_judge: needs judge_endpoint");
    const size_t variantCount = c.variants.empty() ? c.variantVersionIds.size() : c.variants.size();
    if (!c.contestants.empty() && c.contestants.size() != variantCount)
        return makeError("A/B test config: contestants: one per variant (" + std::to_string(c.contestants.size())
                         + " for " + std::to_string(variantCount) + " variants)");
    std::set<std::string> labels;
    for (const Contestant& who : c.contestants)
        if (!who.label.empty() && !labels.insert(who.label).second)
            return makeError("A/B test config: contestants: the label \"" + who.label + "\" is used twice");
    return {};
}

} // namespace ts::promptlab

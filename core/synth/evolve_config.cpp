// EvolveConfig: validation and JSON.
#include "synth/evolve_config.h"

#include <cmath>

namespace ts::synth {

using json = nlohmann::json;

int64_t EvolveConfig::candidates() const
{
    if (!(keepRate > 0))
        return targetCount;
    return static_cast<int64_t>(std::ceil(double(targetCount) / std::min(1.0, keepRate) - 1e-9));
}

int64_t EvolveConfig::perRound() const
{
    const int r = std::max(1, rounds);
    return (candidates() + r - 1) / r;
}

Status validateEvolveConfig(const EvolveConfig& c)
{
    if (c.teacherEndpoint.empty())
        return makeError("choose a teacher endpoint");
    if (c.rounds < 1 || c.rounds > 20)
        return makeError("rounds must be between 1 and 20 (got " + std::to_string(c.rounds) + ")");
    if (c.targetCount < 1)
        return makeError("the target count must be at least 1");
    if (!(c.keepRate > 0) || c.keepRate > 1)
        return makeError("the expected keep rate must be in (0, 1]");
    if (c.concurrency < 1 || c.concurrency > 256)
        return makeError("concurrency must be between 1 and 256 (got " + std::to_string(c.concurrency) + ")");
    if (c.spendCapUsd && !(*c.spendCapUsd > 0))
        return makeError("the spend cap must be more than $0");
    if (c.maxTokens < 16)
        return makeError("the teacher's reply limit must be at least 16 tokens");
    if (c.qualityThreshold < 1 || c.qualityThreshold > 10)
        return makeError("the quality threshold is a judge rating from 1 to 10");
    if (c.dedupeThreshold <= 0 || c.dedupeThreshold > 1)
        return makeError("the near-duplicate threshold is a Jaccard similarity in (0, 1]");
    if (c.minOutputChars < 0 || c.maxOutputChars < 0 || (c.maxOutputChars && c.maxOutputChars < c.minOutputChars))
        return makeError("the answer length filter is inverted or negative");
    bool anyWeight = false;
    for (double w : c.weights)
        anyWeight = anyWeight || w > 0;
    if (!anyWeight)
        return makeError("give at least one evolution operation a weight above 0");
    return {};
}

json evolveConfigToJson(const EvolveConfig& c)
{
    json weights = json::object();
    for (size_t i = 0; i < kEvolOperations.size(); ++i)
        weights[std::string(evolOperationName(kEvolOperations[i]))] = c.weights[i];
    json j = {
        {"seed_split", c.seedSplit},
        {"seed_tags", c.seedTags},
        {"seed_ids", c.seedIds},
        {"teacher_endpoint", c.teacherEndpoint},
        {"judge_endpoint", c.judgeEndpoint},
        {"answer_prompt", c.answerPrompt},
        {"weights", weights},
        {"rounds", c.rounds},
        {"target_count", c.targetCount},
        {"keep_rate", c.keepRate},
        {"concurrency", c.concurrency},
        {"seed", c.seed},
        {"max_tokens", c.maxTokens},
        {"check_information_gain", c.checkInformationGain},
        {"quality_filter", c.qualityFilter},
        {"quality_threshold", c.qualityThreshold},
        {"judge_criteria", c.judgeCriteria},
        {"min_output_chars", c.minOutputChars},
        {"max_output_chars", c.maxOutputChars},
        {"same_script_as_seed", c.sameScriptAsSeed},
        {"dedupe_threshold", c.dedupeThreshold},
        {"templates", evolTemplatesToJson(c.templates)},
    };
    if (c.answerPromptVersionId)
        j["answer_prompt_version_id"] = *c.answerPromptVersionId;
    if (c.spendCapUsd)
        j["spend_cap_usd"] = *c.spendCapUsd;
    return j;
}

Expected<EvolveConfig> evolveConfigFromJson(const json& j)
{
    if (!j.is_object())
        return makeError("evolve config: not a JSON object");
    EvolveConfig c;
    try {
        c.seedSplit = j.value("seed_split", c.seedSplit);
        c.seedTags = j.value("seed_tags", c.seedTags);
        c.seedIds = j.value("seed_ids", c.seedIds);
        c.teacherEndpoint = j.value("teacher_endpoint", c.teacherEndpoint);
        c.judgeEndpoint = j.value("judge_endpoint", c.judgeEndpoint);
        c.answerPrompt = j.value("answer_prompt", c.answerPrompt);
        if (j.contains("answer_prompt_version_id"))
            c.answerPromptVersionId = j.at("answer_prompt_version_id").get<int64_t>();
        if (j.contains("weights")) {
            c.weights.fill(0);
            for (const auto& [name, w] : j.at("weights").items()) {
                auto op = evolOperationFromName(name);
                if (!op)
                    return makeError("evolve config: unknown operation \"" + name + "\" in weights");
                c.weights[static_cast<size_t>(*op)] = w.get<double>();
            }
        }
        c.rounds = j.value("rounds", c.rounds);
        c.targetCount = j.value("target_count", c.targetCount);
        c.keepRate = j.value("keep_rate", c.keepRate);
        c.concurrency = j.value("concurrency", c.concurrency);
        c.seed = j.value("seed", c.seed);
        if (j.contains("spend_cap_usd"))
            c.spendCapUsd = j.at("spend_cap_usd").get<double>();
        c.maxTokens = j.value("max_tokens", c.maxTokens);
        c.checkInformationGain = j.value("check_information_gain", c.checkInformationGain);
        c.qualityFilter = j.value("quality_filter", c.qualityFilter);
        c.qualityThreshold = j.value("quality_threshold", c.qualityThreshold);
        c.judgeCriteria = j.value("judge_criteria", c.judgeCriteria);
        c.minOutputChars = j.value("min_output_chars", c.minOutputChars);
        c.maxOutputChars = j.value("max_output_chars", c.maxOutputChars);
        c.sameScriptAsSeed = j.value("same_script_as_seed", c.sameScriptAsSeed);
        c.dedupeThreshold = j.value("dedupe_threshold", c.dedupeThreshold);
    } catch (const json::exception& e) {
        return makeError(std::string("evolve config: ") + e.what());
    }
    if (j.contains("templates")) {
        auto t = evolTemplatesFromJson(j.at("templates"));
        if (!t)
            return t.error();
        c.templates = std::move(*t);
    }
    return c;
}

} // namespace ts::synth

// evaluationWarnings: leakage over the run's split and few-shot examples; the judge against each contestant.
#include "evaluation/evaluation_warnings.h"

#include <algorithm>

#include "evaluation/test_split_leakage.h"
#include "llm/endpoint_repository.h"
#include "promptlab/prompt_repository.h"
#include "store/example_repository.h"

namespace ts::evaluation {

Expected<std::vector<std::string>> evaluationWarnings(Database& db, const promptlab::AbTestConfig& config)
{
    std::vector<std::string> warnings;
    std::vector<int64_t> fewShot;
    std::vector<std::pair<std::string, std::string>> contestants; // label, endpoint
    PromptRepository prompts(db);
    for (size_t i = 0; i < config.variantVersionIds.size(); ++i) {
        auto version = prompts.byId(config.variantVersionIds[i]);
        if (!version)
            return version.error();
        if (!*version)
            continue;
        const auto& variant = (*version)->variant;
        fewShot.insert(fewShot.end(), variant.fewShotIds.begin(), variant.fewShotIds.end());
        const bool own = i < config.contestants.size() && !config.contestants[i].endpoint.empty();
        contestants.emplace_back(promptlab::contestantLabel(config, i, (*version)->label()),
                                 own ? config.contestants[i].endpoint : variant.endpoint);
    }
    auto leaks = findTestSplitLeaks(db, config.split, fewShot);
    if (!leaks)
        return leaks.error();
    auto scored = ExampleRepository(db).inSplit(config.split);
    if (!scored)
        return scored.error();
    const auto rows = static_cast<int64_t>(scored->size());
    if (auto text = testSplitLeakWarning(*leaks, config.split, config.limit ? std::min(rows, *config.limit) : rows);
        !text.empty())
        warnings.push_back(text);

    if (!config.judgeEndpoint.empty()) {
        EndpointRepository endpoints(db);
        auto judge = endpoints.get(config.judgeEndpoint);
        if (!judge)
            return judge.error();
        for (const auto& [label, name] : contestants) {
            auto endpoint = endpoints.get(name);
            if (!endpoint)
                return endpoint.error();
            if (!*judge || !*endpoint)
                continue;
            const auto& a = (*judge)->provider;
            const auto& b = (*endpoint)->provider;
            if (name == config.judgeEndpoint
                || (a.kind == b.kind && a.model == b.model && a.baseUrl == b.baseUrl && a.adapter == b.adapter))
                warnings.push_back("the judge (\"" + config.judgeEndpoint + "\") is the same model as the contestant \""
                                   + label
                                   + "\": judges tend to prefer their own answers, so weigh its scores "
                                     "and verdicts with care, or judge with another model");
        }
    }
    return warnings;
}

} // namespace ts::evaluation

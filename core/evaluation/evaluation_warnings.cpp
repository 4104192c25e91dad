// evaluationWarnings: leakage over the run's split and few-shot examples; the judge against each contestant.
#include "evaluation/evaluation_warnings.h"

#include <algorithm>

#include "evaluation/contestants.h"
#include "evaluation/test_split_leakage.h"
#include "llm/endpoint_repository.h"
#include "store/example_repository.h"

namespace ts::evaluation {

Expected<std::vector<std::string>> evaluationWarnings(Database& db, const promptlab::AbTestConfig& config)
{
    std::vector<std::string> warnings;
    auto contestants = contestantsOf(db, config);
    if (!contestants)
        return contestants.error();
    std::vector<int64_t> fewShot;
    for (const ContestantInfo& c : *contestants)
        fewShot.insert(fewShot.end(), c.fewShotIds.begin(), c.fewShotIds.end());
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
        auto judge = EndpointRepository(db).get(config.judgeEndpoint);
        if (!judge)
            return judge.error();
        for (const ContestantInfo& c : *contestants) {
            if (!*judge || !c.endpoint)
                continue;
            const auto& a = (*judge)->provider;
            const auto& b = c.endpoint->provider;
            if (c.endpointName == config.judgeEndpoint
                || (a.kind == b.kind && a.model == b.model && a.baseUrl == b.baseUrl && a.adapter == b.adapter))
                warnings.push_back("the judge (\"" + config.judgeEndpoint + "\") is the same model as the contestant \""
                                   + c.label
                                   + "\": judges tend to prefer their own answers, so weigh its scores "
                                     "and verdicts with care, or judge with another model");
        }
    }
    return warnings;
}

} // namespace ts::evaluation

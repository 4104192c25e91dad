// contestantsOf: prompt versions, contestant overrides and endpoints.
#include "evaluation/contestants.h"

#include "promptlab/prompt_repository.h"

namespace ts::evaluation {

Expected<std::vector<ContestantInfo>> contestantsOf(Database& db, const promptlab::AbTestConfig& config)
{
    std::vector<ContestantInfo> out;
    PromptRepository prompts(db);
    EndpointRepository endpoints(db);
    for (size_t i = 0; i < config.variantVersionIds.size(); ++i) {
        auto version = prompts.byId(config.variantVersionIds[i]);
        if (!version)
            return version.error();
        if (!*version)
            continue;
        ContestantInfo info;
        const auto& variant = (*version)->variant;
        info.label = promptlab::contestantLabel(config, i, (*version)->label());
        const bool own = i < config.contestants.size() && !config.contestants[i].endpoint.empty();
        info.endpointName = own ? config.contestants[i].endpoint : variant.endpoint;
        auto endpoint = endpoints.get(info.endpointName);
        if (!endpoint)
            return endpoint.error();
        info.endpoint = *endpoint;
        if (info.endpoint && i < config.contestants.size() && config.contestants[i].adapter)
            info.endpoint->provider.adapter = *config.contestants[i].adapter;
        info.fewShotIds = variant.fewShotIds;
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace ts::evaluation

// estimateEvolveRun: the selected seeds' lengths and the teacher's price into estimateEvolution().
#include "synth/evolve_run_estimate.h"

#include <algorithm>

#include "llm/endpoint_repository.h"
#include "llm/prices.h"
#include "store/example_repository.h"

namespace ts::synth {

Expected<EvolveRunEstimate> estimateEvolveRun(Database& db, const EvolveConfig& config)
{
    ExampleRepository examples(db);
    std::vector<int64_t> ids = config.seedIds;
    if (ids.empty()) {
        auto split = splitFromName(config.seedSplit);
        if (!split)
            return makeError("unknown seed split \"" + config.seedSplit + "\"");
        ExampleQuery q;
        q.split = *split;
        auto found = examples.queryIds(q);
        if (!found)
            return found.error();
        ids = std::move(*found);
    }
    auto rows = examples.getMany(ids);
    if (!rows)
        return rows.error();
    std::vector<SeedTokens> seeds;
    for (const Example& e : *rows) {
        const bool tagged = std::all_of(config.seedTags.begin(), config.seedTags.end(), [&](const std::string& t) {
            return std::find(e.tags.begin(), e.tags.end(), t) != e.tags.end();
        });
        if (tagged && e.source != Source::Synthetic && !e.input().empty())
            seeds.push_back(
                {static_cast<int64_t>(e.input().size() + 3) / 4, static_cast<int64_t>(e.output().size() + 3) / 4});
    }
    EvolveRunEstimate out;
    out.seedRows = static_cast<int64_t>(seeds.size());
    if (seeds.empty())
        return makeError("no seed rows: the " + config.seedSplit + " split has no golden examples with a user turn"
                         + (config.seedTags.empty() ? std::string() : " carrying the chosen tags"));
    std::optional<double> priceIn, priceOut;
    if (!config.teacherEndpoint.empty()) {
        auto endpoint = EndpointRepository(db).get(config.teacherEndpoint);
        if (!endpoint)
            return endpoint.error();
        if (*endpoint) {
            std::optional<llm::ModelPrice> price = (*endpoint)->price;
            if (!price)
                price = llm::PriceTable::builtInDefaults().find((*endpoint)->provider.model);
            if (price) {
                priceIn = price->inputPerMillion;
                priceOut = price->outputPerMillion;
            }
        }
    }
    EvolutionShape shape;
    shape.targetCount = config.targetCount;
    shape.rounds = config.rounds;
    shape.keepRate = config.keepRate;
    shape.informationGainCheck = config.checkInformationGain;
    shape.qualityJudge = config.qualityFilter;
    auto e = estimateEvolution(seeds, shape, priceIn, priceOut);
    if (!e)
        return makeError("nothing to estimate: check the target count, rounds and keep rate");
    out.estimate = *e;
    out.priceKnown = priceIn && priceOut;
    return out;
}

} // namespace ts::synth

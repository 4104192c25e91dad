// EndpointPrice: measured and worst-case cost of a call.
#include "promptlab/endpoint_price.h"

namespace ts::promptlab {

std::optional<double> EndpointPrice::cost(const llm::Usage& usage) const
{
    if (price)
        return llm::cost(*price, usage);
    static const llm::PriceTable defaults = llm::PriceTable::builtInDefaults();
    if (model.empty())
        return std::nullopt;
    return defaults.cost(model, usage);
}

double EndpointPrice::worstCase(const std::vector<llm::ChatMessage>& messages, int64_t maxOutputTokens,
                                int64_t extraInputTokens) const
{
    llm::Usage usage = llm::worstCaseUsage(messages, maxOutputTokens);
    usage.inputTokens += extraInputTokens;
    return cost(usage).value_or(0);
}

} // namespace ts::promptlab

// EndpointPrice: what calls to an endpoint cost — its own price, else the built-in price of its model, else
// unknown — and the most a call can cost before it is made (what a spend cap reserves).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llm/prices.h"
#include "llm/provider.h"

namespace ts::promptlab {

struct EndpointPrice
{
    std::optional<llm::ModelPrice> price; // the endpoint's own
    std::string model; // its model, for the built-in price table

    std::optional<double> cost(const llm::Usage& usage) const;
    // The most a call with these messages and this output limit can cost (0 when the price is unknown: such calls
    // cannot be counted). `extraInputTokens`: text still to be added to the messages (an answer to be judged).
    double worstCase(const std::vector<llm::ChatMessage>& messages, int64_t maxOutputTokens,
                     int64_t extraInputTokens = 0) const;
};

} // namespace ts::promptlab

#include "llm/prices.h"

#include <cctype>

namespace ts::llm {

using nlohmann::json;

double cost(const ModelPrice& price, const Usage& usage)
{
    return (double(usage.inputTokens) * price.inputPerMillion + double(usage.outputTokens) * price.outputPerMillion)
        / 1e6;
}

int64_t promptTokensUpperBound(const std::vector<ChatMessage>& messages)
{
    // A template's markers per message ("<|start_header_id|>user<|end_header_id|>\n\n ... <|eot_id|>" is 5
    // tokens) and for the whole prompt (BOS, the assistant header that asks for the reply).
    constexpr int64_t kPerMessage = 8, kPerPrompt = 8;
    int64_t tokens = kPerPrompt;
    for (const auto& m : messages)
        tokens += static_cast<int64_t>(m.role.size() + m.content.size()) + kPerMessage;
    return tokens;
}

Usage worstCaseUsage(const std::vector<ChatMessage>& messages, int64_t maxOutputTokens)
{
    return {promptTokensUpperBound(messages), maxOutputTokens};
}

PriceTable PriceTable::builtInDefaults()
{
    // Public list prices (USD / 1M tokens) as of 2025; edit the project's table when they change.
    PriceTable t;
    t.set("gpt-4o", {2.50, 10.00});
    t.set("gpt-4o-mini", {0.15, 0.60});
    t.set("gpt-4.1", {2.00, 8.00});
    t.set("gpt-4.1-mini", {0.40, 1.60});
    t.set("gpt-4.1-nano", {0.10, 0.40});
    t.set("claude-3-5-haiku", {0.80, 4.00});
    t.set("claude-3-5-sonnet", {3.00, 15.00});
    t.set("claude-sonnet-4", {3.00, 15.00});
    t.set("claude-opus-4", {15.00, 75.00});
    return t;
}

void PriceTable::set(const std::string& model, ModelPrice price)
{
    m_prices[model] = price;
}

bool PriceTable::remove(const std::string& model)
{
    return m_prices.erase(model) > 0;
}

std::optional<ModelPrice> PriceTable::find(std::string_view model) const
{
    if (auto it = m_prices.find(model); it != m_prices.end())
        return it->second;
    const std::pair<const std::string, ModelPrice>* best = nullptr;
    for (const auto& entry : m_prices) {
        const std::string& name = entry.first;
        const bool datedSnapshot = model.size() > name.size() + 1 && model.starts_with(name)
            && model[name.size()] == '-' && std::isdigit(static_cast<unsigned char>(model[name.size() + 1]));
        if (datedSnapshot && (!best || name.size() > best->first.size()))
            best = &entry;
    }
    if (best)
        return best->second;
    return std::nullopt;
}

std::optional<double> PriceTable::cost(std::string_view model, const Usage& usage) const
{
    auto price = find(model);
    if (!price)
        return std::nullopt;
    return llm::cost(*price, usage);
}

json priceTableToJson(const PriceTable& table)
{
    json j = json::object();
    for (const auto& [model, price] : table.entries())
        j[model] = {{"input_per_million", price.inputPerMillion}, {"output_per_million", price.outputPerMillion}};
    return j;
}

Expected<PriceTable> priceTableFromJson(const json& j)
{
    if (!j.is_object())
        return makeError("prices: expected an object mapping model names to prices");
    PriceTable table;
    for (const auto& [model, entry] : j.items()) {
        const std::string where = "prices." + model;
        if (model.empty())
            return makeError("prices: a model name is empty");
        if (!entry.is_object())
            return makeError(where + ": expected an object with input_per_million and output_per_million");
        ModelPrice price;
        for (auto [field, target] : {std::pair {"input_per_million", &price.inputPerMillion},
                                     std::pair {"output_per_million", &price.outputPerMillion}}) {
            auto it = entry.find(field);
            if (it == entry.end())
                return makeError(where + "." + field + ": missing");
            if (!it->is_number() || it->get<double>() < 0)
                return makeError(where + "." + field + ": must be a number >= 0");
            *target = it->get<double>();
        }
        table.set(model, price);
    }
    return table;
}

} // namespace ts::llm

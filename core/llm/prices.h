// Model prices: US dollars per 1M input and per 1M output tokens, and the cost of a call's
// usage. A PriceTable maps model names to prices; the built-in defaults (a few well-known models,
// list prices when written, likely to go stale) are only a starting point that the project file
// overrides. A model missing from the table has an unknown cost (nullopt), never zero.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "llm/provider.h"

namespace ts::llm {

struct ModelPrice
{
    double inputPerMillion = 0; // USD per 1,000,000 input (prompt) tokens
    double outputPerMillion = 0; // USD per 1,000,000 output (completion) tokens

    bool operator==(const ModelPrice&) const = default;
};

// USD for `usage` at `price`.
double cost(const ModelPrice& price, const Usage& usage);

// The most prompt tokens `messages` can take: every token of a byte-level BPE tokenizer (GPT, Llama 3,
// Qwen, and SentencePiece with byte fallback) covers at least one byte of text, so the UTF-8 bytes of
// the contents bound it, plus what a chat template adds around each message and for the reply.
int64_t promptTokensUpperBound(const std::vector<ChatMessage>& messages);

// The usage a call can reach at most: promptTokensUpperBound(messages) in, `maxOutputTokens` out. What
// a spend cap reserves before the call starts.
Usage worstCaseUsage(const std::vector<ChatMessage>& messages, int64_t maxOutputTokens);

class PriceTable
{
public:
    static PriceTable builtInDefaults();

    void set(const std::string& model, ModelPrice price);
    bool remove(const std::string& model);
    void clear() { m_prices.clear(); }

    // The exact name, else the longest entry that the name extends with a dated snapshot suffix
    // ("gpt-4o-2024-08-06" uses "gpt-4o"; "gpt-4o-mini" does not).
    std::optional<ModelPrice> find(std::string_view model) const;

    // USD for `usage` on `model`; nullopt when the model has no price.
    std::optional<double> cost(std::string_view model, const Usage& usage) const;

    const std::map<std::string, ModelPrice, std::less<>>& entries() const { return m_prices; }

    bool operator==(const PriceTable&) const = default;

private:
    std::map<std::string, ModelPrice, std::less<>> m_prices;
};

// {"gpt-4o": {"input_per_million": 2.5, "output_per_million": 10.0}, ...}
nlohmann::json priceTableToJson(const PriceTable& table);
// Errors name the model and field ("prices.gpt-4o.input_per_million: must be a number >= 0").
Expected<PriceTable> priceTableFromJson(const nlohmann::json& j);

} // namespace ts::llm

// The micro-batch iterator (see batch_iterator.h): Fisher-Yates over SftRng per epoch, right padding,
// and a fingerprint of rows, seed and micro-batch size that a saved position must match.
#include "train/batch_iterator.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include <nlohmann/json.hpp>

#include "train/sft_rng.h"

namespace ts {

namespace {

// FNV-1a over 64-bit words.
struct Fnv
{
    uint64_t h = 0xcbf29ce484222325ull;
    void add(uint64_t v)
    {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    void add(const std::vector<int32_t>& values)
    {
        add(values.size());
        for (int32_t v : values)
            add(static_cast<uint64_t>(static_cast<uint32_t>(v)));
    }
};

} // namespace

std::string SftBatchPosition::toJson() const
{
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fingerprint));
    nlohmann::ordered_json j {{"epoch", epoch}, {"index", index}, {"fingerprint", hex}};
    return j.dump();
}

Expected<SftBatchPosition> SftBatchPosition::fromJson(std::string_view text)
{
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError("batch position: not a JSON object");
    SftBatchPosition p;
    for (const char* key : {"epoch", "index"}) {
        if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<int64_t>() < 0)
            return makeError(std::string("batch position: \"") + key + "\" must be a non-negative integer");
    }
    p.epoch = j["epoch"].get<int64_t>();
    p.index = j["index"].get<int64_t>();
    if (j.contains("fingerprint")) {
        const auto& f = j["fingerprint"];
        if (!f.is_string() || f.get<std::string>().empty() || f.get<std::string>().size() > 16
            || f.get<std::string>().find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
            return makeError("batch position: \"fingerprint\" must be a hexadecimal string of up to 16 digits");
        p.fingerprint = std::stoull(f.get<std::string>(), nullptr, 16);
    }
    return p;
}

SftBatchIterator::SftBatchIterator(std::vector<SftRow> rows, int microBatch, uint64_t seed, int32_t padId, bool shuffle)
    : m_rows(std::move(rows))
    , m_microBatch(std::max(1, microBatch))
    , m_seed(seed)
    , m_padId(padId)
    , m_shuffle(shuffle)
{
    Fnv f;
    f.add(m_rows.size());
    for (const auto& row : m_rows) {
        f.add(row.ids);
        f.add(row.labels);
        f.add(row.segmentIds);
        f.add(row.positions);
    }
    f.add(seed);
    f.add(static_cast<uint64_t>(m_microBatch));
    f.add(shuffle ? 1 : 0);
    m_fingerprint = f.h;
    m_order = epochOrder(0);
}

std::vector<int64_t> SftBatchIterator::epochOrder(int64_t epoch) const
{
    std::vector<int64_t> order(m_rows.size());
    std::iota(order.begin(), order.end(), 0);
    if (m_shuffle && order.size() > 1) {
        SftRng rng(m_seed ^ (0xD1B54A32D192ED03ull * static_cast<uint64_t>(epoch + 1)));
        for (size_t i = order.size() - 1; i > 0; --i)
            std::swap(order[i], order[rng.below(i + 1)]);
    }
    return order;
}

int64_t SftBatchIterator::batchesPerEpoch() const
{
    return (rowCount() + m_microBatch - 1) / m_microBatch;
}

SftBatchPosition SftBatchIterator::position() const
{
    return {m_epoch, m_index, m_fingerprint};
}

Status SftBatchIterator::seek(const SftBatchPosition& position)
{
    if (position.fingerprint != 0 && position.fingerprint != m_fingerprint)
        return makeError("batch position: it belongs to other training rows, seed or micro-batch size "
                         "(fingerprint differs)");
    if (position.epoch < 0 || position.index < 0 || position.index > rowCount())
        return makeError("batch position: index " + std::to_string(position.index) + " is outside an epoch of "
                         + std::to_string(rowCount()) + " rows");
    m_epoch = position.epoch;
    m_index = position.index;
    m_order = epochOrder(m_epoch);
    return {};
}

SftBatch SftBatchIterator::next()
{
    SftBatch batch;
    if (m_rows.empty())
        return batch;
    if (m_index >= rowCount()) {
        ++m_epoch;
        m_index = 0;
        m_order = epochOrder(m_epoch);
    }
    const int64_t count = std::min<int64_t>(m_microBatch, rowCount() - m_index);
    batch.epoch = m_epoch;
    batch.rows = count;
    for (int64_t r = 0; r < count; ++r)
        batch.length = std::max<int64_t>(batch.length, static_cast<int64_t>(m_rows[m_order[m_index + r]].ids.size()));
    const size_t cells = static_cast<size_t>(count * batch.length);
    batch.inputIds.assign(cells, m_padId);
    batch.labels.assign(cells, kIgnoreLabel);
    batch.attentionMask.assign(cells, 0);
    batch.segmentIds.assign(cells, 0);
    batch.positions.assign(cells, 0);
    for (int64_t r = 0; r < count; ++r) {
        const SftRow& row = m_rows[m_order[m_index + r]];
        const size_t base = static_cast<size_t>(r * batch.length);
        std::copy(row.ids.begin(), row.ids.end(), batch.inputIds.begin() + base);
        std::copy(row.labels.begin(), row.labels.end(), batch.labels.begin() + base);
        std::fill_n(batch.attentionMask.begin() + base, row.ids.size(), 1);
        std::copy(row.segmentIds.begin(), row.segmentIds.end(), batch.segmentIds.begin() + base);
        std::copy(row.positions.begin(), row.positions.end(), batch.positions.begin() + base);
        batch.exampleIds.push_back(row.exampleIds);
        batch.tokens += static_cast<int64_t>(row.ids.size());
        batch.trainedTokens += countTrainedLabels(row.labels);
    }
    m_index += count;
    return batch;
}

int32_t defaultPadId(const Tokenizer& tokenizer)
{
    if (auto id = tokenizer.padTokenId())
        return *id;
    if (auto id = tokenizer.eosTokenId())
        return *id;
    return 0;
}

} // namespace ts

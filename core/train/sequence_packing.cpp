// Sequence packing (see sequence_packing.h): rows with segment ids and restarting positions; first fit
// found with a max-tree over the rows' free capacity.
#include "train/sequence_packing.h"

#include <algorithm>
#include <numeric>
#include <optional>

namespace ts {

namespace {

void appendSegment(SftRow& row, const SftSequence& seq)
{
    const int32_t segment = static_cast<int32_t>(row.exampleIds.size()) + 1;
    for (size_t t = 0; t < seq.ids.size(); ++t) {
        row.ids.push_back(seq.ids[t]);
        row.labels.push_back(t == 0 ? kIgnoreLabel : seq.labels[t]);
        row.segmentIds.push_back(segment);
        row.positions.push_back(static_cast<int32_t>(t));
    }
    row.exampleIds.push_back(seq.exampleId);
}

// Max-tree over row capacities: the leftmost row with at least `need` free tokens in O(log n).
class CapacityTree
{
public:
    CapacityTree(size_t leaves, int64_t capacity)
        : m_size(1)
    {
        while (m_size < leaves)
            m_size *= 2;
        m_tree.assign(2 * m_size, 0);
        for (size_t i = 0; i < leaves; ++i)
            m_tree[m_size + i] = capacity;
        for (size_t i = m_size - 1; i >= 1; --i)
            m_tree[i] = std::max(m_tree[2 * i], m_tree[2 * i + 1]);
    }
    std::optional<size_t> leftmost(int64_t need) const
    {
        if (m_tree[1] < need)
            return std::nullopt;
        size_t i = 1;
        while (i < m_size)
            i = m_tree[2 * i] >= need ? 2 * i : 2 * i + 1;
        return i - m_size;
    }
    void take(size_t leaf, int64_t amount)
    {
        size_t i = m_size + leaf;
        m_tree[i] -= amount;
        for (i /= 2; i >= 1; i /= 2)
            m_tree[i] = std::max(m_tree[2 * i], m_tree[2 * i + 1]);
    }

private:
    size_t m_size;
    std::vector<int64_t> m_tree;
};

} // namespace

std::vector<SftRow> unpackedRows(const std::vector<SftSequence>& sequences)
{
    std::vector<SftRow> rows;
    rows.reserve(sequences.size());
    for (const auto& seq : sequences) {
        SftRow row;
        appendSegment(row, seq);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<SftRow> packSequences(const std::vector<SftSequence>& sequences, int maxSeqLen)
{
    std::vector<size_t> order(sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return sequences[a].ids.size() > sequences[b].ids.size(); });
    // Rows not opened yet have the full capacity and higher indices than every open row, so "leftmost row
    // with room" is first fit, opening a new row only when none has room.
    CapacityTree tree(std::max<size_t>(1, sequences.size()), maxSeqLen);
    std::vector<std::vector<size_t>> members;
    std::vector<std::vector<size_t>> oversized; // longer than maxSeqLen: a row each
    for (size_t index : order) {
        const int64_t len = static_cast<int64_t>(sequences[index].ids.size());
        if (len > maxSeqLen) {
            oversized.push_back({index});
            continue;
        }
        const auto row = tree.leftmost(std::max<int64_t>(len, 0));
        if (!row)
            continue; // unreachable: every sequence fits an unopened row
        tree.take(*row, len);
        if (*row >= members.size())
            members.resize(*row + 1);
        members[*row].push_back(index);
    }
    members.insert(members.end(), oversized.begin(), oversized.end());
    std::vector<SftRow> rows;
    rows.reserve(members.size());
    for (const auto& m : members) {
        SftRow row;
        for (size_t index : m)
            appendSegment(row, sequences[index]);
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace ts

// The micro-batch iterator: training rows → padded micro-batches in a seeded, per-epoch shuffle; its
// position can be saved in a checkpoint and sought on resume. Torch-free (plain vectors); the trainer
// turns batches into tensors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "model/tokenizer.h"
#include "train/sequence_packing.h"
#include "train/sft_labels.h"

namespace ts {

// Micro-batch of `rows` rows padded on the right to the longest row (`length`); all arrays are
// rows × length, row-major.
struct SftBatch
{
    int64_t rows = 0;
    int64_t length = 0;
    std::vector<int32_t> inputIds; // pad id in padding
    std::vector<int32_t> labels; // -100 in padding
    std::vector<int32_t> attentionMask; // 1 for tokens, 0 for padding
    std::vector<int32_t> segmentIds; // 0 for padding
    std::vector<int32_t> positions; // 0 for padding
    std::vector<std::vector<int64_t>> exampleIds; // per row
    int64_t epoch = 0; // of these rows
    int64_t trainedTokens = 0; // labels != -100
    int64_t tokens = 0; // attentionMask == 1
};

// Where an iterator stands: the next batch starts at row `index` of epoch `epoch`'s order.
// `fingerprint` identifies the rows, seed and micro-batch size it belongs to.
struct SftBatchPosition
{
    int64_t epoch = 0;
    int64_t index = 0;
    uint64_t fingerprint = 0;

    std::string toJson() const; // {"epoch": e, "index": i, "fingerprint": "0123456789abcdef"}
    static Expected<SftBatchPosition> fromJson(std::string_view json);
    bool operator==(const SftBatchPosition&) const = default;
};

// Endless micro-batches: each epoch visits every row once in a seeded shuffle (Fisher-Yates with
// SftRng seeded from (seed, epoch)); the last batch of an epoch may have fewer rows. position() and
// seek() let a resumed run continue with exactly the batches it would have had.
class SftBatchIterator
{
public:
    SftBatchIterator(std::vector<SftRow> rows, int microBatch, uint64_t seed, int32_t padId, bool shuffle = true);

    SftBatch next(); // rows must not be empty
    SftBatchPosition position() const;
    // Errors: a fingerprint of other rows / seed / micro-batch size, an index beyond the epoch.
    Status seek(const SftBatchPosition& position);

    int64_t rowCount() const { return static_cast<int64_t>(m_rows.size()); }
    int64_t batchesPerEpoch() const;
    uint64_t fingerprint() const { return m_fingerprint; }
    const std::vector<SftRow>& rows() const { return m_rows; }
    std::vector<int64_t> epochOrder(int64_t epoch) const; // row indices in the order epoch visits them

private:
    std::vector<SftRow> m_rows;
    int m_microBatch;
    uint64_t m_seed;
    int32_t m_padId;
    bool m_shuffle;
    uint64_t m_fingerprint;
    int64_t m_epoch = 0;
    int64_t m_index = 0;
    std::vector<int64_t> m_order; // of m_epoch
};

// The pad id for batches: the tokenizer's pad token, else its eos token, else 0. (Padding is masked,
// so the choice only has to be a valid id.)
int32_t defaultPadId(const Tokenizer& tokenizer);

} // namespace ts

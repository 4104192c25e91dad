// Supervised fine-tuning data: the project's examples → token sequences with loss labels, optional
// packing, and a deterministic, resumable micro-batch iterator. Torch-free (plain vectors); the
// trainer turns batches into tensors.
//
// Masking. A conversation is rendered with the model's own chat template and tokenized without adding
// special tokens (the template writes bos itself). Only assistant turns are learned: for assistant
// message i the learned span of the rendered text runs from the end of
// render(messages[:i], add_generation_prompt=true) to the end of render(messages[:i+1]), so the
// end-of-turn marker the template writes (<|eot_id|>, "<|im_end|>\n") is learned with the answer and
// the generation prompt (the assistant header) is not. See sft_data.cpp for the templates that need
// more than this rule (a generation prompt written regardless of the flag, history-dependent turns).
//
// Labels follow the transformers convention: labels[t] = ids[t] where the token is learned and -100
// elsewhere; the trainer shifts (the logits at position t are scored against labels[t + 1]). The first
// token of every sequence (and of every packed segment) is never learned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example.h"
#include "train/train_config.h"

namespace ts {

class ExampleRepository;

inline constexpr int32_t kIgnoreLabel = -100; // transformers' ignore_index

// How conversations are rendered. bos/eos default to the tokenizer's (tokenizer_config.json).
struct SftTemplateOptions
{
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    // Further template variables, e.g. {"enable_thinking": false} for Qwen3.
    nlohmann::ordered_json extraContext = nlohmann::ordered_json::object();
    // Also encode the whole text and compare it with the piecewise encoding; where they differ the
    // whole-text ids are used and the span boundaries mapped onto them (counted as `retokenized`).
    bool checkWholeTextTokenization = true;
};

// One stretch of the rendered conversation: learned (assistant turn) or context.
struct SftPiece
{
    std::string text;
    bool trained = false;
    int64_t tokenBegin = 0; // [tokenBegin, tokenEnd) in EncodedConversation::ids
    int64_t tokenEnd = 0;
};

struct EncodedConversation
{
    int64_t exampleId = 0;
    std::string text; // the rendered conversation
    std::vector<SftPiece> pieces; // cover `text` in order
    std::vector<int32_t> ids;
    std::vector<int32_t> labels; // same length as ids
    bool retokenized = false; // whole-text and piecewise encodings differed (see SftTemplateOptions)
    int64_t trainedTokens() const;
};

// Renders and tokenizes conversations. The template and tokenizer must outlive the encoder.
class SftEncoder
{
public:
    SftEncoder(const Tokenizer& tokenizer, const ChatTemplate& chatTemplate, SftTemplateOptions options = {});

    // Errors name the example id: a template error, a template that is not prefix-consistent (the
    // prompt for assistant message i is not a prefix of the whole conversation), no end of turn found.
    // A conversation without an assistant message encodes with no learned tokens.
    Expected<EncodedConversation> encode(const Example& example) const;

    const Tokenizer& tokenizer() const { return *m_tokenizer; }

private:
    Expected<std::string> render(const nlohmann::ordered_json& messages, bool addGenerationPrompt) const;

    const Tokenizer* m_tokenizer;
    const ChatTemplate* m_template;
    SftTemplateOptions m_options;
    ChatTemplateOptions m_renderOptions;
    std::string m_emptyGenerationPrompt; // render([], add_generation_prompt=true), "" when it fails
};

struct SftDataOptions
{
    int maxSeqLen = 512;
    OverLongPolicy overLong = OverLongPolicy::Truncate;
    // Skip examples that fail to render or encode (listed in SftDataStats::problems); otherwise the
    // first failure fails the whole build.
    bool skipFailedExamples = false;
    SftTemplateOptions templateOptions;
};

// maxSeqLen and overLong from a TrainConfig.
SftDataOptions sftDataOptions(const TrainConfig& config);

struct SftSequence
{
    int64_t exampleId = 0;
    std::vector<int32_t> ids;
    std::vector<int32_t> labels;
    int64_t trainedTokens() const;
};

struct SftProblem
{
    int64_t exampleId = 0;
    std::string message;
};

struct SftDataStats
{
    int64_t examples = 0; // examples given
    int64_t sequences = 0; // kept
    int64_t overLong = 0; // longer than maxSeqLen before truncation
    int64_t truncated = 0; // over-long and cut to maxSeqLen (Truncate)
    int64_t droppedOverLong = 0; // over-long and dropped (Drop)
    int64_t droppedNoAssistantTokens = 0; // no learned token (no assistant turn, or none left after truncation)
    int64_t failed = 0; // could not be encoded (skipFailedExamples)
    int64_t dropped() const { return droppedOverLong + droppedNoAssistantTokens + failed; }
    int64_t retokenized = 0; // see SftTemplateOptions::checkWholeTextTokenization
    int64_t tokens = 0; // in kept sequences
    int64_t trainedTokens = 0;
    int64_t longestTokens = 0; // longest encoded example, before truncation
    std::vector<SftProblem> problems;
};

struct SftDataset
{
    std::vector<SftSequence> sequences; // in the order of the examples given
    SftDataStats stats;
};

Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const SftEncoder& encoder,
                                     const SftDataOptions& options);
Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const Tokenizer& tokenizer,
                                     const ChatTemplate& chatTemplate, const SftDataOptions& options);

// The examples of one split, ordered by id.
Expected<std::vector<Example>> loadSplitExamples(ExampleRepository& repository, Split split);

// One training row: a single sequence, or several packed ones. segmentIds number the sequences of a row
// 1, 2, ... (0 is padding); positions restart at 0 with each segment. Attention within a row is causal
// and block-diagonal over segments.
struct SftRow
{
    std::vector<int32_t> ids;
    std::vector<int32_t> labels;
    std::vector<int32_t> segmentIds;
    std::vector<int32_t> positions;
    std::vector<int64_t> exampleIds; // one per segment
};

// One row per sequence, in order.
std::vector<SftRow> unpackedRows(const std::vector<SftSequence>& sequences);
// Greedy first-fit-decreasing packing into rows of at most maxSeqLen tokens (longest sequence first,
// ties by original order; each goes into the first row with room). Every token is kept; a sequence
// longer than maxSeqLen gets a row of its own. Deterministic.
std::vector<SftRow> packSequences(const std::vector<SftSequence>& sequences, int maxSeqLen);

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

// splitmix64-seeded xoshiro256**; integer-only, so shuffles are the same on every platform.
class SftRng
{
public:
    explicit SftRng(uint64_t seed);
    uint64_t next();
    uint64_t below(uint64_t bound); // uniform in [0, bound), bound > 0 (rejection, no modulo bias)

private:
    uint64_t m_s[4];
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

// For the UI: one example's rendered text in learned / context pieces with their tokens.
struct SftPreviewPiece
{
    std::string text;
    bool trained = false;
    std::vector<int32_t> ids;
    std::vector<std::string> tokens; // each id decoded on its own (a lone part of a UTF-8 character shows as U+FFFD)
};

struct SftPreview
{
    int64_t exampleId = 0;
    std::vector<SftPreviewPiece> pieces;
    int64_t tokens = 0;
    int64_t trainedTokens = 0;
    bool overLong = false; // tokens > maxSeqLen
    int64_t maxSeqLen = 0;
    bool retokenized = false;
};

Expected<SftPreview> previewExample(const Example& example, const SftEncoder& encoder, int maxSeqLen);

} // namespace ts

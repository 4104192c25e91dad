// SFT dataset: a split's examples → encoded sequences cut to maxSeqLen (or dropped), with statistics of
// what was kept, truncated, dropped and why. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/expected.h"
#include "model/chat_template.h"
#include "model/tokenizer.h"
#include "store/example.h"
#include "train/sft_encoder.h"
#include "train/train_config.h"

namespace ts {

class ExampleRepository;

struct SftDataOptions
{
    int maxSeqLen = 512;
    OverLongPolicy overLong = OverLongPolicy::Truncate;
    // Skip examples that fail to render or encode (listed in SftDataStats::problems); otherwise the
    // first failure fails the whole build.
    bool skipFailedExamples = false;
    SftTemplateOptions templateOptions;
    // Checked every 16 examples: buildSftDataset returns cancelledError() once it is set.
    CancelToken cancel;
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

} // namespace ts

// SFT dataset (see sft_dataset.h): encode each example, cut or drop the over-long, drop those with
// nothing to learn, count it all.
#include "train/sft_dataset.h"

#include <algorithm>

#include "store/example_repository.h"

namespace ts {

int64_t SftSequence::trainedTokens() const
{
    return countTrainedLabels(labels);
}

SftDataOptions sftDataOptions(const TrainConfig& config)
{
    SftDataOptions options;
    options.maxSeqLen = config.maxSeqLen;
    options.overLong = config.overLong;
    return options;
}

Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const SftEncoder& encoder,
                                     const SftDataOptions& options)
{
    if (options.maxSeqLen <= 0)
        return makeError("maxSeqLen must be positive (got " + std::to_string(options.maxSeqLen) + ")");
    SftDataset out;
    auto& stats = out.stats;
    const size_t maxLen = static_cast<size_t>(options.maxSeqLen);
    for (const auto& example : examples) {
        if (stats.examples % 16 == 0 && options.cancel.stopRequested())
            return cancelledError();
        ++stats.examples;
        auto encoded = encoder.encode(example);
        if (!encoded) {
            if (!options.skipFailedExamples)
                return encoded.error();
            ++stats.failed;
            stats.problems.push_back({example.id, encoded.error().message});
            continue;
        }
        if (encoded->retokenized)
            ++stats.retokenized;
        SftSequence seq {example.id, std::move(encoded->ids), std::move(encoded->labels)};
        stats.longestTokens = std::max(stats.longestTokens, static_cast<int64_t>(seq.ids.size()));
        bool wasTruncated = false;
        if (seq.ids.size() > maxLen) {
            ++stats.overLong;
            if (options.overLong == OverLongPolicy::Drop) {
                ++stats.droppedOverLong;
                stats.problems.push_back({example.id,
                                          exampleLabel(example) + ": " + std::to_string(seq.ids.size())
                                              + " tokens, more than maxSeqLen " + std::to_string(maxLen)
                                              + "; dropped"});
                continue;
            }
            seq.ids.resize(maxLen);
            seq.labels.resize(maxLen);
            ++stats.truncated;
            wasTruncated = true;
        }
        const int64_t trained = seq.trainedTokens();
        if (trained == 0) {
            ++stats.droppedNoAssistantTokens;
            stats.problems.push_back(
                {example.id,
                 exampleLabel(example) + ": no assistant tokens to learn"
                     + (wasTruncated ? std::string(" within maxSeqLen ") + std::to_string(maxLen) : std::string())
                     + "; dropped"});
            continue;
        }
        stats.tokens += static_cast<int64_t>(seq.ids.size());
        stats.trainedTokens += trained;
        out.sequences.push_back(std::move(seq));
    }
    stats.sequences = static_cast<int64_t>(out.sequences.size());
    return out;
}

Expected<SftDataset> buildSftDataset(const std::vector<Example>& examples, const Tokenizer& tokenizer,
                                     const ChatTemplate& chatTemplate, const SftDataOptions& options)
{
    const SftEncoder encoder(tokenizer, chatTemplate, options.templateOptions);
    return buildSftDataset(examples, encoder, options);
}

Expected<std::vector<Example>> loadSplitExamples(ExampleRepository& repository, Split split)
{
    return repository.inSplit(split);
}

} // namespace ts

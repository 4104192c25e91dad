// The SFT sample preview: one example as the trainer will see it, its rendered text in learned /
// context pieces with their tokens, for the Training page. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/expected.h"
#include "store/example.h"
#include "train/sft_encoder.h"

namespace ts {

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

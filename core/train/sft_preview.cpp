// The SFT sample preview (see sft_preview.h): the encoder's pieces with each token decoded alone.
#include "train/sft_preview.h"

#include <span>

namespace ts {

Expected<SftPreview> previewExample(const Example& example, const SftEncoder& encoder, int maxSeqLen)
{
    auto encoded = encoder.encode(example);
    if (!encoded)
        return encoded.error();
    SftPreview preview;
    preview.exampleId = example.id;
    preview.tokens = static_cast<int64_t>(encoded->ids.size());
    preview.trainedTokens = encoded->trainedTokens();
    preview.maxSeqLen = maxSeqLen;
    preview.overLong = maxSeqLen > 0 && preview.tokens > maxSeqLen;
    preview.retokenized = encoded->retokenized;
    for (const auto& piece : encoded->pieces) {
        SftPreviewPiece p;
        p.text = piece.text;
        p.trained = piece.trained;
        p.ids.assign(encoded->ids.begin() + piece.tokenBegin, encoded->ids.begin() + piece.tokenEnd);
        for (int32_t id : p.ids)
            p.tokens.push_back(encoder.tokenizer().decode(std::span<const int32_t>(&id, 1)));
        preview.pieces.push_back(std::move(p));
    }
    return preview;
}

} // namespace ts

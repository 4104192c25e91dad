// tokenizer.json decoders: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, BPEDecoder, Sequence.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

struct DecodePiece
{
    std::string text;
    bool added = false; // an added token: ByteLevel passes it through unchanged
};

class Decoder
{
public:
    virtual ~Decoder() = default;
    // Transforms the token strings in place (tokenizers' decode_chain); the result is concatenated.
    virtual void decodeChain(std::vector<DecodePiece>& pieces) const = 0;
};

Expected<std::unique_ptr<Decoder>> makeDecoder(const nlohmann::json& config, const std::string& where);

} // namespace ts

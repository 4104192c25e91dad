// tokenizer.json normalizers: NFC/NFD, Prepend, Replace, Strip and Sequence of them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/expected.h"

namespace ts {

class Normalizer
{
public:
    virtual ~Normalizer() = default;
    virtual std::string normalize(std::string_view text) const = 0;
};

// Builds the normalizer described by `config` (a JSON object; null gives nullptr). `where` names the file and
// JSON path for error messages, e.g. "/m/tokenizer.json: normalizer".
Expected<std::unique_ptr<Normalizer>> makeNormalizer(const nlohmann::json& config, const std::string& where);

// Unicode canonical normalization (Unicode 14.0 data) of valid UTF-8.
std::string toNfc(std::string_view text);
std::string toNfd(std::string_view text);

// Unicode White_Space property.
bool isUnicodeWhitespace(char32_t cp);

} // namespace ts

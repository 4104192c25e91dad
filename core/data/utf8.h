// UTF-8 validation for imported text: rejects overlong forms, surrogates and code points above U+10FFFF.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ts {

// Byte offset (0-based) where the first invalid UTF-8 sequence starts; nullopt when `text` is valid.
std::optional<size_t> findInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text)
{
    return !findInvalidUtf8(text).has_value();
}

} // namespace ts

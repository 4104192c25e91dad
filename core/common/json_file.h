// Whole JSON files read into nlohmann values, errors as values that name the file (and, for a parse error,
// the line and column).
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace ts {

// The file's JSON value. Errors: "cannot read <path>", or "<path>: invalid JSON: <parser message with line and
// column>".
Expected<nlohmann::json> readJsonFile(const std::filesystem::path& path);

// The same, keeping the order of object keys.
Expected<nlohmann::ordered_json> readOrderedJsonFile(const std::filesystem::path& path);

} // namespace ts

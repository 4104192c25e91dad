// Whole-file reads with errors as values (the file name in the message).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/expected.h"

namespace ts {

// The whole file. Error: "cannot read <path>".
Expected<std::string> readFile(const std::filesystem::path& path);

// At most the first maxBytes of the file (the dataset readers' peek and whole-file read). Errors:
// "Cannot open \"<path>\": <reason>", "Cannot open \"<path>\"" or "Cannot read \"<path>\"".
Expected<std::string> readFilePrefix(const std::filesystem::path& path, size_t maxBytes);

} // namespace ts

// Whole-file reads with errors as values (the file name in the message).
#pragma once

#include <filesystem>
#include <string>

#include "common/expected.h"

namespace ts {

Expected<std::string> readFile(const std::filesystem::path& path);

} // namespace ts

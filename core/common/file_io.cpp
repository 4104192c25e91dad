// Whole-file and file-prefix reads with errors as values.
#include "common/file_io.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace ts {

Expected<std::string> readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("cannot read " + path.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return makeError("cannot read " + path.string());
    return buffer.str();
}

Expected<std::string> readFilePrefix(const std::filesystem::path& path, size_t maxBytes)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return Error {"Cannot open \"" + path.string() + "\": " + ec.message()};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error {"Cannot open \"" + path.string() + "\""};
    std::string text(static_cast<size_t>(std::min<uintmax_t>(size, maxBytes)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        return Error {"Cannot read \"" + path.string() + "\""};
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

} // namespace ts

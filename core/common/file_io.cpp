// Whole-file reads with errors as values.
#include "common/file_io.h"

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

} // namespace ts

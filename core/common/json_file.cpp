// Whole JSON files read into nlohmann values (see json_file.h).
#include "common/json_file.h"

#include "common/file_io.h"

namespace ts {

namespace {

template <typename Json> Expected<Json> readJsonFileAs(const std::filesystem::path& path)
{
    auto text = readFile(path);
    if (!text)
        return text.error();
    try {
        return Json::parse(*text);
    } catch (const nlohmann::json::exception& e) {
        return makeError(path.string() + ": invalid JSON: " + e.what());
    }
}

} // namespace

Expected<nlohmann::json> readJsonFile(const std::filesystem::path& path)
{
    return readJsonFileAs<nlohmann::json>(path);
}

Expected<nlohmann::ordered_json> readOrderedJsonFile(const std::filesystem::path& path)
{
    return readJsonFileAs<nlohmann::ordered_json>(path);
}

} // namespace ts

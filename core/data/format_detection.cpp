// Guessing a dataset file's format from its extension and the first example in its first megabyte.
#include "data/formats.h"

#include <string>
#include <utility>

#include "common/file_io.h"
#include "data/format_detail.h"
#include "data/json_array_scanner.h"

namespace ts {

namespace {

enum class Family { OpenAi, Alpaca, ShareGpt };

constexpr size_t kDetectBytes = 1 << 20;

std::optional<Family> familyOfObject(const nlohmann::json& value)
{
    if (!value.is_object())
        return std::nullopt;
    if (value.contains("messages"))
        return Family::OpenAi;
    if (value.contains("conversations"))
        return Family::ShareGpt;
    if (value.contains("instruction"))
        return Family::Alpaca;
    return std::nullopt;
}

// For an object that does not parse (cut off by the peek limit, bad bytes): the key that comes first.
std::optional<Family> familyFromKeys(std::string_view text)
{
    constexpr std::pair<std::string_view, Family> keys[] = {
        {"\"messages\"", Family::OpenAi}, {"\"conversations\"", Family::ShareGpt}, {"\"instruction\"", Family::Alpaca}};
    std::optional<Family> found;
    size_t first = std::string_view::npos;
    for (const auto& [key, family] : keys) {
        const size_t at = text.find(key);
        if (at < first) {
            first = at;
            found = family;
        }
    }
    return found;
}

std::optional<Family> familyOf(std::string_view objectText)
{
    const auto value = nlohmann::json::parse(objectText.begin(), objectText.end(), nullptr, false);
    if (!value.is_discarded())
        return familyOfObject(value);
    return familyFromKeys(objectText);
}

std::optional<DataFormat> detectLines(std::string_view text)
{
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (detail::isBlank(line))
            continue;
        const auto family = familyOf(line);
        if (family == Family::OpenAi)
            return DataFormat::OpenAiJsonl;
        if (family == Family::Alpaca)
            return DataFormat::AlpacaJsonl;
        if (family == Family::ShareGpt)
            return DataFormat::ShareGptJsonl;
        return std::nullopt; // only the first non-blank line counts
    }
    return std::nullopt;
}

std::optional<DataFormat> detectArray(std::string_view text)
{
    detail::JsonArrayScanner scanner(text);
    if (!scanner.open())
        return std::nullopt;
    const auto element = scanner.next();
    if (!element)
        return std::nullopt;
    const auto family = familyOf(element->text);
    if (family == Family::Alpaca)
        return DataFormat::AlpacaJson;
    if (family == Family::ShareGpt)
        return DataFormat::ShareGptJson;
    return std::nullopt; // there is no OpenAI JSON-array format
}

} // namespace

std::optional<DataFormat> detectFormat(const std::filesystem::path& path)
{
    const std::string extension = detail::lowercase(path.extension().string());
    if (extension == ".csv")
        return DataFormat::Csv;
    const auto head = readFilePrefix(path, kDetectBytes);
    if (!head)
        return std::nullopt;
    const std::string_view text = detail::stripBom(*head);
    if (extension == ".jsonl" || extension == ".ndjson")
        return detectLines(text);
    // .json or unknown: an array holds one example per element, a leading object suggests JSON lines.
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return std::nullopt;
    if (text[first] == '[')
        return detectArray(text);
    if (text[first] == '{')
        return detectLines(text);
    return std::nullopt;
}

} // namespace ts

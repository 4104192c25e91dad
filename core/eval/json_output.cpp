// Finding JSON in model output; see json_output.h.
#include "eval/json_output.h"

#include <cctype>

namespace ts::eval {

namespace {

std::optional<nlohmann::json> parseStrict(std::string_view text)
{
    nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

bool isJsonTag(std::string_view tag)
{
    while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.back())))
        tag.remove_suffix(1);
    if (tag.empty())
        return true; // an untagged fence
    if (tag.size() != 4)
        return false;
    for (size_t i = 0; i < 4; ++i)
        if (std::tolower(static_cast<unsigned char>(tag[i])) != "json"[i])
            return false;
    return true;
}

} // namespace

std::optional<JsonOutput> parseJsonOutput(std::string_view text)
{
    if (auto whole = parseStrict(text))
        return JsonOutput {std::move(*whole), false};

    constexpr std::string_view kFence = "```";
    size_t pos = 0;
    while ((pos = text.find(kFence, pos)) != std::string_view::npos) {
        const size_t tagBegin = pos + kFence.size();
        const size_t lineEnd = text.find('\n', tagBegin);
        if (lineEnd == std::string_view::npos)
            return std::nullopt;
        const size_t close = text.find(kFence, lineEnd + 1);
        if (close == std::string_view::npos)
            return std::nullopt;
        if (isJsonTag(text.substr(tagBegin, lineEnd - tagBegin))) {
            if (auto inner = parseStrict(text.substr(lineEnd + 1, close - lineEnd - 1)))
                return JsonOutput {std::move(*inner), true};
        }
        pos = close + kFence.size(); // the closing fence is not the next block's opening
    }
    return std::nullopt;
}

} // namespace ts::eval

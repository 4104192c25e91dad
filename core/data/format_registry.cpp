// Dataset format names and labels ("openai-jsonl", "OpenAI chat (JSONL)", ...) and the text of an import problem.
#include "data/formats.h"

#include <array>
#include <string>

#include "data/format_detail.h"

namespace ts {

namespace {

struct FormatInfo
{
    DataFormat format;
    std::string_view name;
    std::string_view label;
};

constexpr std::array<FormatInfo, 6> kFormats = {{
    {DataFormat::OpenAiJsonl, "openai-jsonl", "OpenAI chat (JSONL)"},
    {DataFormat::AlpacaJson, "alpaca-json", "Alpaca (JSON)"},
    {DataFormat::AlpacaJsonl, "alpaca-jsonl", "Alpaca (JSONL)"},
    {DataFormat::ShareGptJson, "sharegpt-json", "ShareGPT (JSON)"},
    {DataFormat::ShareGptJsonl, "sharegpt-jsonl", "ShareGPT (JSONL)"},
    {DataFormat::Csv, "csv", "CSV"},
}};

const FormatInfo& infoOf(DataFormat format)
{
    for (const FormatInfo& info : kFormats)
        if (info.format == format)
            return info;
    return kFormats.front();
}

} // namespace

std::string_view formatName(DataFormat format)
{
    return infoOf(format).name;
}

std::optional<DataFormat> formatFromName(std::string_view name)
{
    const std::string wanted = detail::lowercase(name);
    for (const FormatInfo& info : kFormats)
        if (info.name == wanted)
            return info.format;
    return std::nullopt;
}

std::string_view formatLabel(DataFormat format)
{
    return infoOf(format).label;
}

std::string describe(const ImportProblem& problem)
{
    std::string text = problem.line == 0 ? std::string("file") : "line " + std::to_string(problem.line);
    if (!problem.field.empty())
        text += ", field \"" + problem.field + "\"";
    return text + ": " + problem.reason;
}

} // namespace ts

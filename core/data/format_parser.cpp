// Parsing a dataset file or text in a given format: dispatch to the format's reader, with progress and
// cancellation for files.
#include "data/formats.h"

#include <limits>
#include <string>

#include "common/file_io.h"
#include "data/format_detail.h"

namespace ts {

namespace {

using detail::parseJsonArray;
using detail::parseJsonLines;
using detail::RowCollector;

void parseInto(std::string_view text, DataFormat format, const CsvMapping& mapping, RowCollector& rows)
{
    text = detail::stripBom(text);
    switch (format) {
    case DataFormat::OpenAiJsonl:
        return parseJsonLines(text, detail::openAiFromJson, rows);
    case DataFormat::AlpacaJson:
        return parseJsonArray(text, detail::alpacaFromJson, rows);
    case DataFormat::AlpacaJsonl:
        return parseJsonLines(text, detail::alpacaFromJson, rows);
    case DataFormat::ShareGptJson:
        return parseJsonArray(text, detail::shareGptFromJson, rows);
    case DataFormat::ShareGptJsonl:
        return parseJsonLines(text, detail::shareGptFromJson, rows);
    case DataFormat::Csv:
        return detail::parseCsv(text, mapping, rows);
    }
}

} // namespace

ParsedFile parseText(std::string_view text, DataFormat format, const CsvMapping& mapping)
{
    ParsedFile parsed;
    RowCollector rows(parsed, nullptr, nullptr, text.size());
    parseInto(text, format, mapping, rows);
    return parsed;
}

Expected<ParsedFile> parseFile(const std::filesystem::path& path, DataFormat format, const CsvMapping& mapping,
                               const CancelToken& cancel, ProgressSink& progress)
{
    if (cancel.stopRequested())
        return cancelledError();
    auto text = readFilePrefix(path, std::numeric_limits<size_t>::max());
    if (!text)
        return text.error();
    const auto total = static_cast<int64_t>(text->size());
    progress.report(Progress {0, total, {}});
    ParsedFile parsed;
    RowCollector rows(parsed, &cancel, &progress, text->size());
    parseInto(*text, format, mapping, rows);
    if (rows.cancelled() || cancel.stopRequested())
        return cancelledError();
    progress.report(Progress {total, total, {}});
    return parsed;
}

} // namespace ts

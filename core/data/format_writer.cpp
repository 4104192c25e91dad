// Writing examples in a dataset format, to text or to a file (written to a temporary name, then renamed).
#include "data/formats.h"

#include <fstream>
#include <sstream>
#include <string>

#include "data/format_detail.h"

namespace ts {

namespace {

bool isJsonArray(DataFormat format)
{
    return format == DataFormat::AlpacaJson || format == DataFormat::ShareGptJson;
}

std::string encodeRow(DataFormat format, const Example& example)
{
    switch (format) {
    case DataFormat::OpenAiJsonl:
        return detail::dumpJson(detail::openAiToJson(example));
    case DataFormat::AlpacaJson:
    case DataFormat::AlpacaJsonl:
        return detail::dumpJson(detail::alpacaToJson(example));
    case DataFormat::ShareGptJson:
    case DataFormat::ShareGptJsonl:
        return detail::dumpJson(detail::shareGptToJson(example));
    case DataFormat::Csv:
        return detail::csvRow(example);
    }
    return {};
}

std::optional<std::string> refusal(DataFormat format, const Example& example)
{
    if (format == DataFormat::AlpacaJson || format == DataFormat::AlpacaJsonl)
        return detail::alpacaRefusal(example);
    if (format == DataFormat::Csv)
        return detail::csvRefusal(example);
    return std::nullopt;
}

std::string exampleName(const Example& example, size_t index)
{
    if (example.id != 0)
        return "example " + std::to_string(example.id);
    return "the example at position " + std::to_string(index + 1);
}

// Arrays are written one element per line ("[", rows joined by ",\n", "]"); the rest one row per line.
Status writeRows(std::ostream& out, DataFormat format, const std::vector<Example>& examples, const CancelToken* cancel,
                 ProgressSink* progress)
{
    const auto total = static_cast<int64_t>(examples.size());
    if (format == DataFormat::Csv)
        out << detail::csvHeaderLine() << '\n';
    if (isJsonArray(format))
        out << '[';
    for (size_t i = 0; i < examples.size(); ++i) {
        if (i % detail::RowCollector::kCheckEvery == 0) {
            if (cancel && cancel->stopRequested())
                return cancelledError();
            if (progress)
                progress->report(Progress {static_cast<int64_t>(i), total, {}});
        }
        if (isJsonArray(format))
            out << (i == 0 ? "\n" : ",\n") << encodeRow(format, examples[i]);
        else
            out << encodeRow(format, examples[i]) << '\n';
    }
    if (isJsonArray(format))
        out << "\n]\n";
    if (progress)
        progress->report(Progress {total, total, {}});
    return {};
}

} // namespace

std::string writeText(DataFormat format, const std::vector<Example>& examples)
{
    std::ostringstream out;
    (void)writeRows(out, format, examples, nullptr, nullptr);
    return out.str();
}

Status writeFile(const std::filesystem::path& path, DataFormat format, const std::vector<Example>& examples,
                 const CancelToken& cancel, ProgressSink& progress)
{
    for (size_t i = 0; i < examples.size(); ++i)
        if (auto reason = refusal(format, examples[i]))
            return Error {"Cannot export " + exampleName(examples[i], i) + " as " + std::string(formatLabel(format))
                          + ": " + *reason};
    std::filesystem::path temp = path;
    temp += ".part";
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
        return Error {"Cannot create \"" + temp.string() + "\""};
    Status status = writeRows(out, format, examples, &cancel, &progress);
    out.close();
    if (status.ok() && out.fail())
        status = Error {"Cannot write \"" + temp.string() + "\""};
    std::error_code ec;
    if (status.ok())
        std::filesystem::rename(temp, path, ec);
    if (status.ok() && ec)
        status = Error {"Cannot rename \"" + temp.string() + "\" to \"" + path.string() + "\": " + ec.message()};
    if (!status.ok())
        std::filesystem::remove(temp, ec);
    return status;
}

} // namespace ts

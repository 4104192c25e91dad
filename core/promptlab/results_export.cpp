// Results export; see results_export.h.
#include "promptlab/results_export.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <system_error>

#include <nlohmann/json.hpp>

namespace ts::promptlab {

namespace {

using nlohmann::json;

std::string jsonText(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A CSV text field: always quoted, a quote inside written twice.
std::string csvQuoted(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        out += c;
        if (c == '"')
            out += '"';
    }
    out += '"';
    return out;
}

template <typename T> std::string numberText(const std::optional<T>& value)
{
    return value ? jsonText(*value) : std::string();
}

std::vector<std::string> scorerOrder(const std::vector<Cell>& cells)
{
    std::vector<std::string> names;
    for (const Cell& cell : cells)
        for (const CellScore& s : cell.scores)
            if (std::find(names.begin(), names.end(), s.scorer) == names.end())
                names.push_back(s.scorer);
    return names;
}

const ExampleText& textOf(const std::map<int64_t, ExampleText>& examples, int64_t id)
{
    static const ExampleText kNone;
    const auto it = examples.find(id);
    return it == examples.end() ? kNone : it->second;
}

json nullable(const std::optional<double>& value)
{
    return value ? json(*value) : json(nullptr);
}

json nullable(const std::optional<int64_t>& value)
{
    return value ? json(*value) : json(nullptr);
}

} // namespace

std::string passedText(const Cell& cell)
{
    if (!cell.ok())
        return "no";
    bool any = false;
    for (const CellScore& s : cell.scores)
        if (s.passed) {
            if (!*s.passed)
                return "no";
            any = true;
        }
    return any ? "yes" : "";
}

std::string resultsToCsv(const std::vector<Cell>& cells, const std::map<int64_t, ExampleText>& examples)
{
    const std::vector<std::string> scorers = scorerOrder(cells);
    std::string out = "variant,example_id,repeat,input,reference,output,passed,error,error_kind,attempts,tokens_in,"
                      "tokens_out,latency_ms,cost_usd";
    for (const std::string& name : scorers)
        out += "," + csvQuoted(name) + "," + csvQuoted(name + " passed");
    out += "\r\n";
    for (const Cell& cell : cells) {
        const ExampleText& example = textOf(examples, cell.exampleId);
        out += csvQuoted(cell.variant) + "," + std::to_string(cell.exampleId) + "," + std::to_string(cell.repeat + 1)
            + "," + csvQuoted(example.input) + "," + csvQuoted(example.reference) + "," + csvQuoted(cell.output) + ","
            + passedText(cell) + "," + csvQuoted(cell.error) + "," + csvQuoted(cell.errorKind) + ","
            + std::to_string(cell.attempts) + "," + numberText(cell.tokensIn) + "," + numberText(cell.tokensOut) + ","
            + numberText(cell.latencyMs) + "," + numberText(cell.cost);
        for (const std::string& name : scorers) {
            const auto score = std::find_if(cell.scores.begin(), cell.scores.end(),
                                            [&](const CellScore& s) { return s.scorer == name; });
            out += ",";
            if (score != cell.scores.end()) {
                out += jsonText(score->value) + ",";
                if (score->passed)
                    out += *score->passed ? "yes" : "no";
            } else {
                out += ",";
            }
        }
        out += "\r\n";
    }
    return out;
}

std::string resultsToJsonl(const std::vector<Cell>& cells, const std::map<int64_t, ExampleText>& examples)
{
    std::string out;
    for (const Cell& cell : cells) {
        const ExampleText& example = textOf(examples, cell.exampleId);
        json scores = json::array();
        for (const CellScore& s : cell.scores)
            scores.push_back({{"scorer", s.scorer},
                              {"value", s.value},
                              {"passed", s.passed ? json(*s.passed) : json(nullptr)},
                              {"detail", s.detail}});
        const std::string passed = passedText(cell);
        const json record = {{"variant", cell.variant},
                             {"example_id", cell.exampleId},
                             {"repeat", cell.repeat + 1},
                             {"input", example.input},
                             {"reference", example.reference},
                             {"output", cell.output},
                             {"passed", passed.empty() ? json(nullptr) : json(passed == "yes")},
                             {"error", cell.error},
                             {"error_kind", cell.errorKind},
                             {"attempts", cell.attempts},
                             {"tokens_in", nullable(cell.tokensIn)},
                             {"tokens_out", nullable(cell.tokensOut)},
                             {"latency_ms", nullable(cell.latencyMs)},
                             {"cost_usd", nullable(cell.cost)},
                             {"scores", std::move(scores)}};
        out += jsonText(record) + "\n";
    }
    return out;
}

Status writeResults(const std::filesystem::path& path, ResultsFormat format, const std::vector<Cell>& cells,
                    const std::map<int64_t, ExampleText>& examples)
{
    const std::string text
        = format == ResultsFormat::Csv ? resultsToCsv(cells, examples) : resultsToJsonl(cells, examples);
    std::filesystem::path part = path;
    part += ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        if (!out)
            return makeError("Cannot write " + path.string() + ": the folder cannot be written to");
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(part, ignored);
            return makeError("Cannot write " + path.string() + ": the disk may be full");
        }
    }
    std::error_code error;
    std::filesystem::rename(part, path, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(part, ignored);
        return makeError("Cannot write " + path.string() + ": " + error.message());
    }
    return {};
}

} // namespace ts::promptlab

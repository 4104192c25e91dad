// Shared plumbing of the CLI commands: option parsing, JSON output, progress on stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/cancel.h"
#include "common/expected.h"
#include "common/progress.h"

namespace tscli {

// Options after the positional arguments: "--name value" or "--flag".
class Options
{
public:
    Options(const std::vector<std::string>& args, size_t positionalCount, const std::vector<std::string>& flags);
    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    const std::string& positional(size_t i) const { return m_positional[i]; }
    bool flag(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;

private:
    std::vector<std::string> m_positional;
    std::vector<std::pair<std::string, std::string>> m_values;
    std::vector<std::string> m_flags;
    std::string m_error;
};

int printJson(const nlohmann::json& value, int exitCode = 0);

// A whole string as a number of type T (no trailing characters).
template <typename T> bool parseNumber(const std::string& text, T& out)
{
    try {
        size_t used = 0;
        if constexpr (std::is_floating_point_v<T>)
            out = static_cast<T>(std::stod(text, &used));
        else
            out = static_cast<T>(std::stoll(text, &used));
        return used == text.size();
    } catch (...) {
        return false;
    }
}
// "1, 2,3" -> {1, 2, 3}: the --ids option of the model commands.
ts::Expected<std::vector<int32_t>> parseIdList(const std::string& text);
// "a, b,c" -> {"a", "b", "c"}: comma-separated items, trimmed, empty ones dropped.
std::vector<std::string> splitList(const std::string& text);
int fail(const std::string& message, int exitCode = 1); // {"error": message} on stdout, message on stderr
const ts::CancelToken& interruptToken();

// Progress on stderr (at most ~5 lines a second) when stderr is a terminal.
class StderrProgress final : public ts::ProgressSink
{
public:
    void report(const ts::Progress& progress) override;

private:
    long long m_lastMs = 0;
};

} // namespace tscli

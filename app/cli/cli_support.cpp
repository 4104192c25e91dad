// CLI plumbing: options, JSON on stdout, interrupt handling, progress on stderr.
#include "cli/cli_support.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <unistd.h>

namespace tscli {

Options::Options(const std::vector<std::string>& args, size_t positionalCount, const std::vector<std::string>& flags)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            m_positional.push_back(arg);
            continue;
        }
        if (std::find(flags.begin(), flags.end(), arg) != flags.end()) {
            m_flags.push_back(arg);
        } else if (i + 1 < args.size()) {
            m_values.emplace_back(arg, args[++i]);
        } else {
            m_error = "option " + arg + " needs a value";
            return;
        }
    }
    if (m_positional.size() != positionalCount)
        m_error
            = "expected " + std::to_string(positionalCount) + " arguments, got " + std::to_string(m_positional.size());
}

bool Options::flag(const std::string& name) const
{
    return std::find(m_flags.begin(), m_flags.end(), name) != m_flags.end();
}

std::optional<std::string> Options::value(const std::string& name) const
{
    for (const auto& [key, value] : m_values)
        if (key == name)
            return value;
    return std::nullopt;
}

std::vector<std::string> Options::values(const std::string& name) const
{
    std::vector<std::string> out;
    for (const auto& [key, value] : m_values)
        if (key == name)
            out.push_back(value);
    return out;
}

int printJson(const nlohmann::json& value, int exitCode)
{
    std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return exitCode;
}

int fail(const std::string& message, int exitCode)
{
    std::cerr << "tunesmith-cli: " << message << "\n";
    return printJson({{"error", message}}, exitCode);
}

namespace {

ts::CancelToken& token()
{
    static ts::CancelToken instance;
    return instance;
}

volatile std::sig_atomic_t g_interrupts = 0;

// The first SIGINT / SIGTERM asks for a cooperative stop (a training run checkpoints, then exits 130); a second
// one ends the process at once, so a stuck command still answers Ctrl+C, `timeout` or `kill`.
void onInterrupt(int)
{
    if (g_interrupts++ > 0) {
        static const char message[] = "\ntunesmith-cli: interrupted again, exiting now\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1);
        _exit(130);
    }
    token().requestStop(); // an atomic store: async-signal-safe
}

} // namespace

const ts::CancelToken& interruptToken()
{
    return token();
}

void installInterruptHandler()
{
    token();
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

void StderrProgress::report(const ts::Progress& progress)
{
    if (!isatty(STDERR_FILENO))
        return;
    using namespace std::chrono;
    const long long now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    if (now - m_lastMs < 200 && progress.done != progress.total)
        return;
    m_lastMs = now;
    const int percent = progress.total > 0 ? static_cast<int>(100 * progress.done / progress.total) : 0;
    std::cerr << "\r" << progress.message << " " << percent << "%   " << std::flush;
    if (progress.done == progress.total)
        std::cerr << "\n";
}

ts::Expected<std::vector<int32_t>> parseIdList(const std::string& text)
{
    std::vector<int32_t> ids;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find(',', pos);
        if (end == std::string::npos)
            end = text.size();
        std::string item = text.substr(pos, end - pos);
        while (!item.empty() && item.front() == ' ')
            item.erase(0, 1);
        while (!item.empty() && item.back() == ' ')
            item.pop_back();
        int32_t id = 0;
        auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
        if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || id < 0)
            return ts::makeError("--ids expects comma-separated non-negative integers, got '" + item + "'");
        ids.push_back(id);
        pos = end + 1;
    }
    return ids;
}

// "a, b,c" → {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto a = item.find_first_not_of(' '), b = item.find_last_not_of(' ');
        if (a != std::string::npos)
            out.push_back(item.substr(a, b - a + 1));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

} // namespace tscli

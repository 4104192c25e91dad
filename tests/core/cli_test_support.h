// Running tunesmith-cli (TUNESMITH_CLI) as a real process from the core and engine tests: exit
// code and every stdout line that parses as JSON; or started in the background (spawnCli) to be
// signalled and waited for while the test does something else.
#pragma once

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

namespace tstest {

struct CliOutput
{
    int exitCode = -1;
    std::vector<nlohmann::json> lines; // every stdout line that parses as JSON
};

inline CliOutput runCli(const std::string& args)
{
    const std::string command = std::string(TUNESMITH_CLI) + " " + args + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    CliOutput result;
    if (!pipe)
        return result;
    std::string out;
    std::array<char, 4096> buffer {};
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded())
            result.lines.push_back(j);
    }
    return result;
}

// Starts tunesmith-cli with `args` (no shell) in the background, stdout into `stdoutFile`, stderr to
// /dev/null. Returns the child's pid (-1 when fork failed).
inline pid_t spawnCli(const std::vector<std::string>& args, const std::filesystem::path& stdoutFile)
{
    const pid_t pid = fork();
    if (pid != 0)
        return pid;
    FILE* out = std::freopen(stdoutFile.c_str(), "w", stdout);
    FILE* err = std::freopen("/dev/null", "w", stderr);
    if (!out || !err)
        _exit(126);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(TUNESMITH_CLI));
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(TUNESMITH_CLI, argv.data());
    _exit(127);
}

// Waits for a spawned child: its exit code, or -1 when a signal ended it.
inline int waitExitCode(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Every line of a spawned child's stdout that parses as JSON.
inline std::vector<nlohmann::json> jsonLines(const std::filesystem::path& stdoutFile)
{
    std::vector<nlohmann::json> lines;
    std::ifstream in(stdoutFile);
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded())
            lines.push_back(j);
    }
    return lines;
}

// Polls `done` every 20 ms until it holds, for at most `limit`: waits for what another process does.
template <typename Done> bool waitUntil(Done&& done, std::chrono::milliseconds limit = std::chrono::seconds(120))
{
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

inline std::string quoted(const std::filesystem::path& path)
{
    return "'" + path.string() + "'";
}

} // namespace tstest

// Running tunesmith-cli (TUNESMITH_CLI) as a real process from the core and engine tests: exit
// code and every stdout line that parses as JSON.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <sys/wait.h>
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

inline std::string quoted(const std::filesystem::path& path)
{
    return "'" + path.string() + "'";
}

} // namespace tstest

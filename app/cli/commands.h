// The commands of tunesmith-cli. Each cmd_*.cpp registers its commands with a static
// CommandRegistration, so adding a command touches no shared file.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tscli {

using Args = std::vector<std::string>; // arguments after the command name

struct Command
{
    std::string name;
    std::string usage; // one or more lines for `tunesmith-cli --help`
    std::function<int(const Args&)> run;
};

std::vector<Command>& commandTable();

struct CommandRegistration
{
    CommandRegistration(std::string name, std::string usage, std::function<int(const Args&)> run)
    {
        commandTable().push_back(Command {std::move(name), std::move(usage), std::move(run)});
    }
};

void installInterruptHandler(); // Ctrl+C cancels the running job

} // namespace tscli

// tunesmith-cli: headless front end. Each command prints one JSON object on stdout (or one
// JSON line per event for streaming commands); progress and errors go to stderr.
// Exit codes: 0 ok, 1 failure, 2 bad input/usage, 130 cancelled.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace tscli {

std::vector<Command>& commandTable()
{
    static std::vector<Command> table;
    return table;
}

} // namespace tscli

namespace {

void printUsage()
{
    auto commands = tscli::commandTable();
    std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::cerr << "usage: tunesmith-cli <command> [options]\n\ncommands:\n";
    for (const auto& command : commands)
        std::cerr << command.usage << "\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        printUsage();
        return args.empty() ? 2 : 0;
    }
    const std::string name = args[0];
    args.erase(args.begin());
    for (const auto& command : tscli::commandTable()) {
        if (command.name == name) {
            tscli::installInterruptHandler();
            return command.run(args);
        }
    }
    std::cerr << "tunesmith-cli: unknown command '" << name << "'\n";
    printUsage();
    return 2;
}

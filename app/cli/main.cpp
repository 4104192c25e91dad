// tunesmith-cli: headless front end. Each command prints one JSON object on stdout;
// progress and errors go to stderr. Exit codes: 0 ok, 1 failure, 2 bad input/usage, 130 cancelled.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace {

void printUsage()
{
    std::cerr << "usage: tunesmith-cli <command> [options]\n"
                 "\n"
                 "commands:\n"
                 "  create PROJECT                    create an empty project file\n"
                 "  info PROJECT                      schema version and example counts\n"
                 "  import PROJECT FILE [options]     import examples (all-or-nothing)\n"
                 "      --format NAME                 openai-jsonl | alpaca-json | alpaca-jsonl |\n"
                 "                                    sharegpt-json | sharegpt-jsonl | csv (default: detect)\n"
                 "      --skip-invalid                import the valid rows, report the others\n"
                 "      --split train|eval|test       put every row in this split\n"
                 "      --tag TAG                     add TAG to every row (repeatable)\n"
                 "      --source golden|imported      provenance recorded on the rows (default: imported)\n"
                 "      --csv-input N --csv-output N  CSV columns (0-based; default: from the header)\n"
                 "      --csv-system N --csv-split N --csv-tags N --csv-no-header\n"
                 "  export PROJECT FILE [options]     export examples\n"
                 "      --format NAME                 as above (default: from the extension)\n"
                 "      --split train|eval|test       only this split\n"
                 "      --tag TAG                     only rows with this tag\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        printUsage();
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    tscli::installInterruptHandler();
    if (command == "create")
        return tscli::commandCreate(args);
    if (command == "info")
        return tscli::commandInfo(args);
    if (command == "import")
        return tscli::commandImport(args);
    if (command == "export")
        return tscli::commandExport(args);
    std::cerr << "tunesmith-cli: unknown command '" << command << "'\n";
    printUsage();
    return 2;
}

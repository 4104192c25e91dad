// The commands of tunesmith-cli, one function each; args exclude the command name.
#pragma once

#include <string>
#include <vector>

namespace tscli {

using Args = std::vector<std::string>;

void installInterruptHandler(); // Ctrl+C cancels the running job
int commandCreate(const Args& args);
int commandInfo(const Args& args);
int commandImport(const Args& args);
int commandExport(const Args& args);

} // namespace tscli

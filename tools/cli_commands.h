// Registers every subcommand (one tools/cmd_<name>.{h,cc} each).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/cli_common.h"

namespace ringscope {

void SetupAllCommands(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

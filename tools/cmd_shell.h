// `ringscope shell`: an interactive prompt over the same commands, with line
// editing, history and tab completion (GNU readline); reads plain lines when
// standard input is not a terminal, so scripts can be piped in.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupShellCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

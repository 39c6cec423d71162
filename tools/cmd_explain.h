// `ringscope explain A B`: the strongest evidence path between two accounts
// (cli_paths.h), every hop with what the two accounts share.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupExplainCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

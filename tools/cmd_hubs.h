// `ringscope hubs`: the widely shared values and what the projection decided
// about each (kept as campaign evidence, demoted or dropped as benign hubs).
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupHubsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

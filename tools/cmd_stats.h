// `ringscope stats`: what the database holds.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupStatsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

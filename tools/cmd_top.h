// `ringscope top`: the clusters of a run, most suspicious first.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupTopCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

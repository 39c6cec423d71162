// `ringscope cluster ID`: one cluster of a run: its score and reasons, the
// evidence that ties it by kind, its most shared values, a signup timeline
// and its top members.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupClusterCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

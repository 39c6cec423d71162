// `ringscope render cluster ID | account ID`: a picture of a ring (accounts
// and the values they share) as Graphviz DOT, SVG, GraphML or JSON.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupRenderCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

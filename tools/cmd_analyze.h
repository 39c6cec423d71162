// `ringscope analyze`: link graph, communities, scored clusters, stored as a run.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupAnalyzeCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

// `ringscope export banlist|clusters|edges|graphml`: what an analysis run
// found, as files for people and other tools.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupExportCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

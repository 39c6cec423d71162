// `ringscope migrate`: brings an existing database to this release's schema.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupMigrateCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

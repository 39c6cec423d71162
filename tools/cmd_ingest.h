// `ringscope ingest FILE...`: reads request logs and tables into the database.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupIngestCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

// `ringscope rejects`: the rows ingest refused, listed, or written back out as
// a file to fix and ingest again.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupRejectsCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

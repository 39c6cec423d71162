// `ringscope account ID`: one account as an analyst reads it: attributes,
// signals by kind, its cluster in the run, its strongest linked accounts and
// why they are linked.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupAccountCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

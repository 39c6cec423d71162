// `ringscope value KIND VALUE`: every account seen with one value, the query
// normalised exactly as ingest normalises inputs.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupValueCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

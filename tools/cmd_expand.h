// `ringscope expand`: from known-bad accounts, the accounts most tied to them
// by personalized PageRank over the link graph, computed locally, each with
// the evidence that ties it to the seeds.
#pragma once

#include "tools/cli_common.h"

namespace ringscope {

void SetupExpandCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

}  // namespace ringscope

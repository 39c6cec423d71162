#include "tools/cli_commands.h"

#include "tools/cmd_account.h"
#include "tools/cmd_analyze.h"
#include "tools/cmd_cluster.h"
#include "tools/cmd_eval.h"
#include "tools/cmd_expand.h"
#include "tools/cmd_explain.h"
#include "tools/cmd_export.h"
#include "tools/cmd_gen.h"
#include "tools/cmd_hubs.h"
#include "tools/cmd_ingest.h"
#include "tools/cmd_migrate.h"
#include "tools/cmd_rejects.h"
#include "tools/cmd_render.h"
#include "tools/cmd_shell.h"
#include "tools/cmd_stats.h"
#include "tools/cmd_top.h"
#include "tools/cmd_value.h"

namespace ringscope {

void SetupAllCommands(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  SetupAccountCommand(app, global, registry);
  SetupAnalyzeCommand(app, global, registry);
  SetupClusterCommand(app, global, registry);
  SetupEvalCommand(app, global, registry);
  SetupExplainCommand(app, global, registry);
  SetupExpandCommand(app, global, registry);
  SetupExportCommand(app, global, registry);
  SetupGenCommand(app, global, registry);
  SetupHubsCommand(app, global, registry);
  SetupMigrateCommand(app, global, registry);
  SetupIngestCommand(app, global, registry);
  SetupRejectsCommand(app, global, registry);
  SetupRenderCommand(app, global, registry);
  SetupShellCommand(app, global, registry);
  SetupStatsCommand(app, global, registry);
  SetupTopCommand(app, global, registry);
  SetupValueCommand(app, global, registry);
}

}  // namespace ringscope

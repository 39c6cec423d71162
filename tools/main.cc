// ringscope: find the account networks behind API distillation campaigns.
// main() only wires the subcommands together, sets the log level and turns
// exceptions into exit codes (0 ok, 1 failure, 2 usage).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "tools/cli_common.h"
#include "tools/cli_commands.h"

int main(int argc, char** argv) {
  using namespace ringscope;
  // Logs go to stderr; stdout carries only results.
  spdlog::set_default_logger(spdlog::stderr_color_mt("ringscope"));
  spdlog::set_pattern("%^%l%$: %v");

  CLI::App app{
      "ringscope: turns account signals (payment, IP, device, email, phone, API key, user\n"
      "agent, prompt templates) into a graph and exposes the account networks behind\n"
      "distillation campaigns.\n\n"
      "Example (the main job):\n"
      "  ringscope gen --preset tiny --out demo\n"
      "  ringscope ingest demo/requests.jsonl demo/signals.csv demo/accounts.csv\n"
      "  ringscope analyze\n"
      "  ringscope export banlist -o banlist.csv\n"
      "  ringscope eval --truth demo/truth.csv --banlist banlist.csv"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  GlobalOptions global;
  app.add_option("--db", global.db_path,
                 "SQLite database file (default: $RINGSCOPE_DB, else ringscope.db)");
  auto* verbose = app.add_flag("-v,--verbose", global.verbose, "More log output (debug level)");
  app.add_flag("-q,--quiet", global.quiet, "Only warnings and errors")->excludes(verbose);
  app.set_version_flag("--version", "ringscope 0.1.0");

  CommandRegistry registry;
  SetupAllCommands(app, global, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  spdlog::set_level(global.verbose ? spdlog::level::debug
                    : global.quiet ? spdlog::level::warn
                                   : spdlog::level::info);
  try {
    if (!registry.RunParsed(app)) {
      std::cerr << app.help();
      return 2;
    }
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}

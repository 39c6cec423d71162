#include "tools/cmd_gen.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "tools/progress.h"

namespace ringscope {

namespace {

gen::WorldOptions ResolveWorld(const GenCommandOptions& o) {
  gen::WorldOptions world;
  try {
    world = gen::PresetWorld(o.preset);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--preset: ") + e.what());
  }
  world.seed = o.seed;
  if (!o.accounts_given) return world;
  if (o.accounts <= 0)
    throw UsageError("--accounts must be a positive number of benign accounts; got " +
                     std::to_string(o.accounts));
  try {
    return gen::ScaleWorld(world, o.accounts);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--accounts: ") + e.what());
  }
}

std::string SizeRange(const gen::HardNegativeSummary& s) {
  if (s.groups == 1) return "1 group";
  std::string range = s.min_size == s.max_size
                          ? std::to_string(s.min_size)
                          : std::to_string(s.min_size) + "-" + std::to_string(s.max_size);
  return FormatCount(s.groups) + " groups of " + range;
}

void LogSummary(const GenCommandOptions& o, const gen::WorldOptions& world,
                const gen::GenResult& r) {
  spdlog::info("gen: preset {}, seed {}, wrote {}", world.preset, world.seed, o.out_dir);
  for (const gen::FileSummary& f : r.files)
    spdlog::info("  {:<20} {:>12} rows {:>10}", std::filesystem::path(f.path).filename().string(),
                 FormatCount(f.rows), FormatBytes(static_cast<double>(f.bytes)));
  std::int64_t fraud = r.accounts - r.benign_accounts;
  spdlog::info("accounts: {} ({} benign, {} in {} campaigns)", FormatCount(r.accounts),
               FormatCount(r.benign_accounts), FormatCount(fraud), r.campaigns.size());
  for (const gen::CampaignSummary& c : r.campaigns)
    spdlog::info("  campaign {:<18} {:<17} {:>8} accounts {:>12} requests", c.name,
                 gen::ArchetypeName(c.archetype), FormatCount(c.accounts), FormatCount(c.requests));
  for (const gen::HardNegativeSummary& h : r.hard_negatives)
    spdlog::info("  hard negative {:<17} {:<22} {:>8} accounts", h.kind, SizeRange(h),
                 FormatCount(h.accounts));
  spdlog::info("requests: {} lines ({} benign, {} campaign) in {} s = {} lines/s; total {} s",
               FormatCount(r.request_lines), FormatCount(r.benign_requests),
               FormatCount(r.request_lines - r.benign_requests), FormatDouble(r.request_seconds, 2),
               FormatCount(static_cast<long long>(r.LinesPerSecond())), FormatDouble(r.seconds, 2));
}

}  // namespace

gen::GenResult RunGen(const GenCommandOptions& o) {
  if (o.out_dir.empty()) throw UsageError("--out DIR is required");
  gen::WorldOptions world = ResolveWorld(o);
  gen::GenResult result;
  try {
    result = gen::GenerateWorld(world, {.directory = o.out_dir, .zstd = o.zstd});
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  } catch (const std::exception& e) {
    throw CommandFailure(e.what());
  }
  LogSummary(o, world, result);
  return result;
}

void SetupGenCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto options = std::make_shared<GenCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "gen",
      "Write a synthetic API platform with planted distillation campaigns: requests.jsonl\n"
      "(time-ordered request log), signals.csv, accounts.csv, truth.csv (campaign members)\n"
      "and hard_negatives.csv (benign groups a careless tool would ban: a company behind\n"
      "NAT, carrier CGNAT, families sharing a card, agent-framework users, shared devices).\n"
      "Same options and seed, same bytes.\n\n"
      "Presets: tiny (~2k accounts), small (~50k accounts, ~1M requests), distill-24k\n"
      "(~24k campaign accounts sending ~16M requests inside ~1M benign accounts).\n\n"
      "Examples:\n"
      "  ringscope gen --preset tiny --out demo\n"
      "  ringscope gen --preset distill-24k --zstd --out /data/distill\n"
      "  ringscope gen --preset small --accounts 200000 --seed 7 --out big");
  cmd->add_option("--out", options->out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--preset", options->preset, "World size: tiny, small or distill-24k")
      ->default_str("small");
  CLI::Option* accounts = cmd->add_option(
      "--accounts", options->accounts,
      "Benign accounts (default: the preset's); campaigns and hard negatives scale with it");
  cmd->add_option("--seed", options->seed, "Random seed (default 42)");
  cmd->add_flag("--zstd", options->zstd,
                "Write requests.jsonl.zst (zstd) instead of requests.jsonl");
  registry.Add(cmd, [options, accounts] {
    options->accounts_given = accounts->count() > 0;
    RunGen(*options);
  });
  (void)global;
}

}  // namespace ringscope

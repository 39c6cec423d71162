// Seeds (account names, account-list files, or the stored "seed" list) →
// local push PPR (algorithms/local_ppr.h) whose neighbour queries are
// LinksOfAccount (tools/cli_links.h, analyze's weights) → the ranked
// accounts with the strongest link tying each one to the seeds.
#include "tools/cmd_expand.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

#include "algorithms/local_ppr.h"
#include "db/queries.h"
#include "db/store.h"
#include "ingest/ingest.h"
#include "tools/cli_links.h"
#include "tools/cli_runs.h"

namespace ringscope {

namespace {

struct ExpandOptions {
  std::vector<std::string> seeds;  // account names or account-list files
  std::size_t top = 50;
  std::int64_t run_id = 0;
  OutputFormat format = OutputFormat::kTable;
  std::size_t links_per_account = 50;
  bool exact_hubs = false;  // rebuild the run's graph once for its hub factors
  LocalPprOptions ppr{.alpha = 0.15, .epsilon = 1e-4, .max_pushes = 100000, .max_expanded = 2000};
};

// Account names from the arguments: a readable file is an account list
// (`account[,note]`, read by ingest's reader), anything else an account name.
// Without arguments, the stored list "seed" (`ingest --list seed FILE`).
std::vector<std::string> SeedNames(Database& db, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  if (args.empty()) {
    names = LoadListAccounts(db, "seed");
    if (names.empty())
      throw UsageError(
          "no seeds: give --seeds FILE|ACCOUNT... or ingest a list with 'ingest --list seed "
          "FILE'");
    return names;
  }
  for (const std::string& arg : args) {
    if (!std::filesystem::is_regular_file(arg) && arg != "-") {
      names.push_back(arg);
      continue;
    }
    for (std::string& account : ReadAccountList(arg, "seed", "a seed list"))
      names.push_back(std::move(account));
  }
  return names;
}

std::vector<std::int64_t> SeedIds(Database& db, const std::vector<std::string>& names) {
  std::vector<std::int64_t> ids;
  std::size_t unknown = 0;
  for (const std::string& name : names) {
    if (std::optional<AccountRecord> a = FindAccount(db, name)) {
      ids.push_back(a->id);
    } else if (unknown++ < 5) {
      spdlog::warn("seed '{}' is not in the database (ignored)", name);
    }
  }
  if (unknown > 5) spdlog::warn("{} seeds in all are not in the database", unknown);
  if (ids.empty()) throw CommandFailure("none of the seeds is an account of the database");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The strongest link from an expanded account to a ranked one: a link from a
// seed beats any other; then the most probability it carried.
struct Tie {
  bool from_seed = false;
  double carried = 0;
  std::int64_t from = 0;
  const LinkedAccount* link = nullptr;
};

std::map<std::int64_t, Tie> StrongestTies(const std::map<std::int64_t, LinksResult>& links,
                                          const std::unordered_map<std::int64_t, double>& ppr,
                                          const std::set<std::int64_t>& seeds) {
  std::map<std::int64_t, Tie> ties;
  for (const auto& [from, result] : links) {
    double degree = 0;
    for (const LinkedAccount& l : result.links) degree += l.strength;
    auto p = ppr.find(from);
    const double mass = p == ppr.end() ? 0 : p->second;
    for (const LinkedAccount& l : result.links) {
      Tie candidate{seeds.count(from) > 0, degree > 0 ? mass * l.strength / degree : 0, from, &l};
      Tie& best = ties[l.account_id];
      if (best.link == nullptr || std::tie(candidate.from_seed, candidate.carried) >
                                      std::tie(best.from_seed, best.carried))
        best = candidate;
    }
  }
  return ties;
}

std::string Shortened(const std::string& s, std::size_t max_bytes = 40) {
  if (s.size() <= max_bytes) return s;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

// "seed acct_a (strength 4.2): payment:tok_1 (3 accounts); device:fp_9 (2 accounts)"
std::string Reasons(Database& db, const Tie& tie) {
  if (tie.link == nullptr) return "";
  std::string text = (tie.from_seed ? "seed " : "via ") + AccountName(db, tie.from) +
                     " (strength " + FormatDouble(tie.link->strength, 2) + "): ";
  bool first = true;
  for (const LinkEvidence& e : tie.link->evidence) {
    if (!first) text += "; ";
    first = false;
    text += e.kind;
    if (e.precomputed) {
      text += " link";
    } else {
      text += ":" + Shortened(e.value) + " (" + std::to_string(e.degree) + " accounts)";
    }
  }
  return text;
}

// The hub factors the run's analysis applies (a benign hub demoted down to
// 0.02), by signal_values.id: the graph is rebuilt once, O(whole database).
std::unordered_map<std::int64_t, double> RunHubFactors(Database& db,
                                                       const AnalyzeParameters& parameters) {
  AnalysisOutcome g = BuildGraph(db, parameters, {});
  std::unordered_map<std::int64_t, double> factors;
  for (const HubReport& h : g.projected.hubs) factors[g.data.value_ids[h.value]] = h.factor;
  spdlog::debug("expand: hub factors of {} values from the rebuilt graph", factors.size());
  return factors;
}

std::string Score(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", p);
  return buffer;
}

void RunExpand(const ExpandOptions& o, const GlobalOptions& global) {
  if (o.top == 0) throw UsageError("--top must be at least 1");
  StoreOptions read_only;
  read_only.read_only = true;
  Store store = OpenExistingStore(global.ResolvedDbPath(), read_only);
  Database& db = store.db();
  std::optional<std::int64_t> run =
      o.run_id != 0 ? std::optional(ResolveRun(db, o.run_id)) : LatestRunId(db);
  const std::vector<std::int64_t> seeds = SeedIds(db, SeedNames(db, o.seeds));
  const std::set<std::int64_t> seed_set(seeds.begin(), seeds.end());
  const AnalyzeParameters parameters = ParametersForLinks(db, run.value_or(0));
  std::unordered_map<std::int64_t, double> hub_factors;
  if (o.exact_hubs) hub_factors = RunHubFactors(db, parameters);
  LinksCache cache;  // a campaign's prompt clusters are sized once, not once per member
  LinksOptions links_options{.max_links = o.links_per_account, .max_evidence = 3, .cache = &cache};
  if (o.exact_hubs) {
    links_options.hub_factors = &hub_factors;
  } else {
    links_options.hub_run = run.value_or(0);  // the run's stored hub decisions, as `account` uses
  }
  std::map<std::int64_t, LinksResult> links;  // of every account expanded
  LocalPprResult ppr = LocalPushPpr(
      seeds,
      [&](std::int64_t account) {
        LinksResult& result = links[account] = LinksOfAccount(db, parameters, account, links_options);
        std::vector<PprNeighbour> out;
        for (const LinkedAccount& l : result.links) out.push_back({l.account_id, l.strength});
        return out;
      },
      o.ppr);
  spdlog::info("expand: {} seeds, {} pushes, {} accounts read{}", seeds.size(), ppr.pushes,
               ppr.expanded, ppr.truncated ? " (budget reached: ranking approximate)" : "");
  std::unordered_map<std::int64_t, double> p(ppr.ranking.begin(), ppr.ranking.end());
  const std::map<std::int64_t, Tie> ties = StrongestTies(links, p, seed_set);
  Table table{{"rank", "account", "score", "cluster", "reasons"}, {}, {true, false, true, false, false}};
  if (o.format == OutputFormat::kCsv) table = Table{{"account", "note"}, {}, {false, false}};
  for (const auto& [account, score] : ppr.ranking) {
    if (seed_set.count(account)) continue;
    if (table.rows.size() >= o.top) break;
    std::string cluster;
    if (run)
      if (std::optional<MemberRecord> m = FindMembership(db, *run, account)) cluster = m->cluster_id;
    auto tie = ties.find(account);
    std::string reasons = tie == ties.end() ? std::string() : Reasons(db, tie->second);
    std::string rank = std::to_string(table.rows.size() + 1);
    if (o.format == OutputFormat::kCsv) {
      // An analyst list (`account,note`): `ingest --list seed` and allowlists read it.
      std::string note = "rank " + rank + "; ppr " + Score(score) +
                         (cluster.empty() ? "" : "; cluster " + cluster) + "; " + reasons;
      table.rows.push_back({AccountName(db, account), note});
    } else {
      table.rows.push_back({rank, AccountName(db, account), Score(score), cluster, reasons});
    }
  }
  WriteTable(table, o.format, std::cout);
}

}  // namespace

void SetupExpandCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<ExpandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "expand",
      "From known-bad accounts (seeds), rank the accounts most tied to them: personalized\n"
      "PageRank over the link graph (analyze's weights), computed locally by pushes\n"
      "(Andersen-Chung-Lang 2006) so only the seeds' neighbourhood is read. Each ranked\n"
      "account comes with the strongest link tying it to the seeds (a seed's link first)\n"
      "and the shared values behind it. --seeds takes account names and account-list files\n"
      "(CSV 'account[,note]'); without it, the list ingested with 'ingest --list seed'.\n"
      "--format csv writes an analyst list 'account,note' that 'ingest --list seed' or\n"
      "'export banlist --allowlist' read as it is.\n\n"
      "Example: ringscope expand --seeds known_bad.csv --top 100 --format csv -q > more.csv");
  cmd->add_option("--seeds", o->seeds, "Seed account names and/or account-list CSV files");
  cmd->add_option("--top", o->top, "Accounts listed (seeds left out)")->default_val(50);
  cmd->add_option("--run", o->run_id, "Run whose weights and clusters are used (default: latest)");
  AddFormatOption(cmd, &o->format);
  cmd->add_option("--alpha", o->ppr.alpha, "Restart probability of the walk")->default_val(0.15);
  cmd->add_option("--epsilon", o->ppr.epsilon,
                  "Push threshold per unit of link strength (smaller: more accounts read; 1e-3 "
                  "reads ~10x fewer and answers in well under a second on a million accounts, "
                  "but can miss a campaign tied only by weak links)")
      ->default_val(1e-4);
  cmd->add_option("--max-accounts", o->ppr.max_expanded,
                  "Accounts whose links are read at most (the work bound)")
      ->default_val(2000);
  cmd->add_option("--links", o->links_per_account, "Strongest links read per account")
      ->default_val(50);
  cmd->add_flag("--exact-hubs", o->exact_hubs,
                "Rebuild the run's graph once (whole database) for its hub factors; without it "
                "the factors the run stored are used (runs before schema 3 stored none: a "
                "hub's factor is then taken as 1, an upper bound)");
  registry.Add(cmd, [o, &global] { RunExpand(*o, global); });
}

}  // namespace ringscope

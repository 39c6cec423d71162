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
#include <unordered_set>

#include "algorithms/local_ppr.h"
#include "db/analysis.h"
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
  bool from_observations = false;  // ignore the run's stored neighbour lists
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
  double strength = 0;
};

using NeighbourLists = std::map<std::int64_t, std::vector<PprNeighbour>>;

// The ties of the `ranked` accounts only: O(links read).
std::map<std::int64_t, Tie> StrongestTies(const NeighbourLists& lists,
                                          const std::unordered_map<std::int64_t, double>& ppr,
                                          const std::set<std::int64_t>& seeds,
                                          const std::unordered_set<std::int64_t>& ranked) {
  std::map<std::int64_t, Tie> ties;
  for (const auto& [from, neighbours] : lists) {
    double degree = 0;
    for (const PprNeighbour& n : neighbours) degree += n.weight;
    auto p = ppr.find(from);
    const double mass = p == ppr.end() ? 0 : p->second;
    for (const PprNeighbour& n : neighbours) {
      if (!ranked.count(n.node)) continue;
      Tie candidate{seeds.count(from) > 0, degree > 0 ? mass * n.weight / degree : 0, from,
                    n.weight};
      auto [it, fresh] = ties.try_emplace(n.node, candidate);
      if (!fresh && std::tie(candidate.from_seed, candidate.carried) >
                        std::tie(it->second.from_seed, it->second.carried))
        it->second = candidate;
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
// `evidence` is the tie's link as the local read sees it (null: not found).
std::string Reasons(Database& db, const Tie& tie, const LinkedAccount* evidence) {
  std::string text = (tie.from_seed ? "seed " : "via ") + AccountName(db, tie.from) +
                     " (strength " + FormatDouble(tie.strength, 2) + ")";
  if (evidence == nullptr) return text + ": linked in the run's graph";
  text += ": ";
  bool first = true;
  for (const LinkEvidence& e : evidence->evidence) {
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

// The links the walk reads per account: the run's stored lists (one row per
// account), else rebuilt from the observations (LinksOfAccount, 2.5-7 ms for
// a campaign member of distill-24k).
class WalkLinks {
 public:
  WalkLinks(Database& db, const AnalyzeParameters& parameters, std::optional<std::int64_t> stored_run,
            const LinksOptions& options, std::size_t max_links)
      : db_(db),
        parameters_(parameters),
        stored_run_(stored_run),
        options_(options),
        max_links_(max_links) {}

  std::vector<PprNeighbour> Read(std::int64_t account) {
    std::vector<PprNeighbour>& out = lists_[account];
    if (stored_run_) {
      for (const StoredNeighbour& n : LoadRunNeighbours(db_, *stored_run_, account)) {
        if (out.size() == max_links_) break;
        out.push_back({n.account_id, n.weight, n.degree});
      }
    } else {
      const LinksResult& result = rebuilt_[account] =
          LinksOfAccount(db_, parameters_, account, options_);
      for (const LinkedAccount& l : result.links) out.push_back({l.account_id, l.strength});
    }
    return out;
  }

  const NeighbourLists& lists() const { return lists_; }

  // The evidence of each tie's link, by ranked account: what the tie's two
  // accounts share (PairLink), or their rebuilt link when the walk rebuilt
  // the `from` account's links. O(ranked) pair reads.
  std::map<std::int64_t, LinkedAccount> Evidence(
      const std::vector<std::pair<std::int64_t, const Tie*>>& ranked) {
    std::map<std::int64_t, LinkedAccount> evidence;
    for (const auto& [account, tie] : ranked) {
      if (tie == nullptr) continue;
      if (auto it = rebuilt_.find(tie->from); it != rebuilt_.end()) {
        for (const LinkedAccount& l : it->second.links)
          if (l.account_id == account) evidence.emplace(account, l);
        continue;
      }
      if (std::optional<LinkedAccount> l = PairLink(db_, parameters_, tie->from, account, options_))
        evidence.emplace(account, std::move(*l));
    }
    return evidence;
  }

 private:
  Database& db_;
  const AnalyzeParameters& parameters_;
  std::optional<std::int64_t> stored_run_;
  const LinksOptions& options_;
  std::size_t max_links_;
  NeighbourLists lists_;
  std::map<std::int64_t, LinksResult> rebuilt_;
};

void RunExpand(const ExpandOptions& o, const GlobalOptions& global) {
  if (o.top == 0) throw UsageError("--top must be at least 1");
  StoreOptions read_only;
  read_only.read_only = true;
  Store store = OpenExistingStore(global.ResolvedDbPath(), read_only);
  Database& db = store.db();
  // One snapshot for every read: an analyze committing meanwhile replaces
  // the stored lists, and the walk must not see half of each.
  Transaction snapshot(db, Transaction::Behavior::kDeferred);
  std::optional<std::int64_t> run =
      o.run_id != 0 ? std::optional(ResolveRun(db, o.run_id)) : LatestRunId(db);
  const std::vector<std::int64_t> seeds = SeedIds(db, SeedNames(db, o.seeds));
  const std::set<std::int64_t> seed_set(seeds.begin(), seeds.end());
  const AnalyzeParameters parameters = ParametersForLinks(db, run.value_or(0));
  std::optional<std::int64_t> stored_run;
  if (run && !o.from_observations && o.links_per_account <= kRunNeighbourLimit &&
      RunHasNeighbours(db, *run))
    stored_run = run;
  std::unordered_map<std::int64_t, double> hub_factors;
  if (o.exact_hubs && !stored_run) hub_factors = RunHubFactors(db, parameters);
  LinksCache cache;  // a campaign's prompt clusters are sized once, not once per member
  LinksOptions links_options{.max_links = o.links_per_account, .max_evidence = 3, .cache = &cache};
  if (!hub_factors.empty()) {
    links_options.hub_factors = &hub_factors;
  } else {
    links_options.hub_run = run.value_or(0);  // the run's stored hub decisions, as `account` uses
  }
  WalkLinks walk_links(db, parameters, stored_run, links_options, o.links_per_account);
  LocalPprResult ppr = LocalPushPpr(
      seeds, [&](std::int64_t account) { return walk_links.Read(account); }, o.ppr);
  spdlog::info("expand: {} seeds, {} pushes, {} accounts read ({}){}", seeds.size(), ppr.pushes,
               ppr.expanded,
               stored_run ? "run " + std::to_string(*stored_run) + "'s stored links"
                          : std::string("links rebuilt from the observations"),
               ppr.truncated ? " (budget reached: ranking approximate)" : "");
  std::unordered_map<std::int64_t, double> p(ppr.ranking.begin(), ppr.ranking.end());
  std::vector<std::pair<std::int64_t, double>> listed;  // the top accounts, seeds left out
  for (const auto& [account, score] : ppr.ranking) {
    if (listed.size() >= o.top) break;
    if (!seed_set.count(account)) listed.emplace_back(account, score);
  }
  std::unordered_set<std::int64_t> listed_ids;
  for (const auto& [account, score] : listed) listed_ids.insert(account);
  const std::map<std::int64_t, Tie> ties =
      StrongestTies(walk_links.lists(), p, seed_set, listed_ids);
  std::vector<std::pair<std::int64_t, const Tie*>> ranked;
  for (const auto& [account, score] : listed) {
    auto tie = ties.find(account);
    ranked.emplace_back(account, tie == ties.end() ? nullptr : &tie->second);
  }
  const std::map<std::int64_t, LinkedAccount> evidence = walk_links.Evidence(ranked);
  Table table{{"rank", "account", "score", "cluster", "reasons"}, {}, {true, false, true, false, false}};
  if (o.format == OutputFormat::kCsv) table = Table{{"account", "note"}, {}, {false, false}};
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& [account, tie] = ranked[i];
    std::string cluster;
    if (run)
      if (std::optional<MemberRecord> m = FindMembership(db, *run, account)) cluster = m->cluster_id;
    std::string reasons;
    if (tie != nullptr) {
      auto e = evidence.find(account);
      reasons = Reasons(db, *tie, e == evidence.end() ? nullptr : &e->second);
    }
    std::string rank = std::to_string(i + 1);
    if (o.format == OutputFormat::kCsv) {
      // An analyst list (`account,note`): `ingest --list seed` and allowlists read it.
      std::string note = "rank " + rank + "; ppr " + Score(listed[i].second) +
                         (cluster.empty() ? "" : "; cluster " + cluster) + "; " + reasons;
      table.rows.push_back({AccountName(db, account), note});
    } else {
      table.rows.push_back({rank, AccountName(db, account), Score(listed[i].second), cluster, reasons});
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
      "PageRank over the link graph, computed locally by pushes (Andersen-Chung-Lang 2006)\n"
      "so only the seeds' neighbourhood is read. The walk follows the newest run's graph\n"
      "as analyze stored it (each account's 50 strongest links, read in microseconds); for\n"
      "an older run, --links above 50 or --from-observations, links are rebuilt from the\n"
      "observations with analyze's weights (milliseconds per account). Each ranked\n"
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
                  "reads ~10x fewer, which mattered when links are rebuilt from the "
                  "observations, but can miss a campaign tied only by weak links)")
      ->default_val(1e-4);
  cmd->add_option("--max-accounts", o->ppr.max_expanded,
                  "Accounts whose links are read at most (the work bound)")
      ->default_val(2000);
  cmd->add_option("--links", o->links_per_account,
                  "Strongest links read per account (above 50: rebuilt from the observations)")
      ->default_val(50);
  cmd->add_flag("--from-observations", o->from_observations,
                "Rebuild each account's links from the observations (as 'account' does) "
                "instead of reading the run's stored lists");
  cmd->add_flag("--exact-hubs", o->exact_hubs,
                "When links are rebuilt: rebuild the run's graph once (whole database) for "
                "its hub factors; without it the factors the run stored are used (runs "
                "before schema 3 stored none: a hub's factor is then taken as 1, an upper "
                "bound). Stored lists already carry the run's exact weights");
  registry.Add(cmd, [o, &global] { RunExpand(*o, global); });
}

}  // namespace ringscope

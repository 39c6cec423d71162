#include "tools/cli_runs.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "algorithms/scoring.h"
#include "ingest/ingest.h"
#include "tools/cli_common.h"

namespace ringscope {

Store OpenExistingStore(const std::string& path, const StoreOptions& options) {
  if (!std::filesystem::exists(path))
    throw CommandFailure("no database at '" + path + "'; run 'ringscope ingest FILE...' first");
  return Store::Open(path, options);
}

std::int64_t ResolveRun(Database& db, std::int64_t requested) {
  std::optional<std::int64_t> latest = LatestRunId(db);
  if (!latest)
    throw CommandFailure("the database has no analysis run: run 'ringscope analyze' first");
  if (requested == 0) return *latest;
  if (!RunExists(db, requested))
    throw CommandFailure("run " + std::to_string(requested) +
                         " does not exist (the latest run is " + std::to_string(*latest) + ")");
  return requested;
}

std::set<std::string> LoadAllowlist(Database& db, const std::vector<std::string>& files) {
  std::vector<std::string> stored = LoadListAccounts(db, "allow");
  std::set<std::string> allow(stored.begin(), stored.end());
  for (const std::string& path : files) {
    for (std::string& account : ReadAccountList(path, "allow", "an allowlist"))
      allow.insert(std::move(account));
  }
  return allow;
}

std::vector<std::string> ReadAccountList(const std::string& path, std::string_view list_name,
                                         std::string_view what) {
  IngestOptions options;
  options.list_name = std::string(list_name);
  SourceBatch batch = ReadSource(path, options);  // same reader and checks as ingest
  if (batch.source.format != InputFormat::kAccountList)
    throw CommandFailure(path + ": " + std::string(what) + " needs the header 'account[,note]'");
  for (const RejectRecord& r : batch.rejects)
    spdlog::warn("{}:{}: {} (entry ignored)", path, r.line, r.reason);
  std::vector<std::string> accounts;
  accounts.reserve(batch.list_entries.size());
  for (const ListEntry& e : batch.list_entries) accounts.push_back(e.account);
  return accounts;
}

BanSelection SelectBanned(const std::vector<RunMember>& members, double min_score,
                          const std::set<std::string>& allow, std::uint32_t min_ban_size) {
  const int min_classes = ScoringOptions{}.min_independent_classes;
  BanSelection selection;
  for (const RunMember& m : members) {
    if (m.score < min_score || m.evidence_classes < min_classes) continue;
    if (m.cluster_size < static_cast<std::int64_t>(min_ban_size)) continue;
    if (allow.count(m.account)) {
      ++selection.allowlisted;
      continue;
    }
    selection.banned.push_back(&m);
  }
  return selection;
}

}  // namespace ringscope

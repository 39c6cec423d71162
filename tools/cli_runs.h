// What the commands that read analysis runs share: opening an existing
// database, resolving `--run`, the allowlist and the ban rule, so that
// `export banlist` and `eval` agree on who is banned.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "db/analysis.h"
#include "algorithms/scoring.h"
#include "db/store.h"

namespace ringscope {

// Opens the database at `path` (never creates one). Throws CommandFailure
// saying to ingest first when the file does not exist.
Store OpenExistingStore(const std::string& path, const StoreOptions& options = {});

// The run to read: `requested`, or the latest complete run when it is 0.
// Throws CommandFailure when the database has no run (pointing to
// `ringscope analyze`) or `requested` does not exist (naming the latest run).
// O(1) queries.
std::int64_t ResolveRun(Database& db, std::int64_t requested);

// The accounts of an analyst list file (CSV `account[,note]`, formats.md),
// read with ingest's reader as list `list_name`; bad rows are warned about
// and skipped. Throws CommandFailure naming `what` ("an allowlist", "a seed
// list") when the file is not an account list. O(rows).
std::vector<std::string> ReadAccountList(const std::string& path, std::string_view list_name,
                                         std::string_view what);

// Accounts never banned: the stored "allow" list (`ingest --list allow`) plus
// the accounts of every CSV `account[,note]` file in `files`, read with
// ingest's reader. Bad rows are warned about and skipped. Throws
// CommandFailure for a file that is not an account list.
// O(list entries + file rows) with a log factor for the set.
std::set<std::string> LoadAllowlist(Database& db, const std::vector<std::string>& files);

struct BanSelection {
  std::vector<const RunMember*> banned;  // pointers into the members, in their order
  std::size_t allowlisted = 0;           // members the rule bans but the allowlist spares
};

// The ban rule: a member is banned when its cluster scores at least
// `min_score`, its cluster has at least ScoringOptions::min_independent_classes
// independent kinds of evidence (a ban needs two, whatever --min-score says)
// and at least `min_ban_size` members (the run's parameter), and it is not on
// `allow`. The result points into `members`, which must
// outlive it. O(members log |allow|).
BanSelection SelectBanned(const std::vector<RunMember>& members, double min_score,
                          const std::set<std::string>& allow,
                          std::uint32_t min_ban_size = ScoringOptions{}.min_ban_size);

}  // namespace ringscope

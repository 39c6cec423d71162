// The local link neighbourhood of one account, read from the database with
// indexed lookups (db/queries.h), never by rebuilding the whole graph: the
// building block of `account`, `explain`, `expand` and `render`.
//
// WEIGHTS: the projection's, from the same functions (graph/projection.h,
// graph/projection_options.h). A value v of kind K shared by d accounts gives
// each pair of its accounts strength(K) * DegreeDecay(d) * factor(v), with
// strength from ResolveKinds over the run's ProjectionOptions; a precomputed
// link (table `links`) of kind K and weight x gives strength(K) * x. A linked
// account's strength is the sum of its contributions. As in the projection, a
// value whose per-pair weight is below min_link_weight, or whose hub factor is
// below hubs.link_min_factor (a benign hub), never makes a link on its own: it
// only adds to links other evidence makes; a link lighter than
// min_link_weight is not a link.
//
// WHAT DIFFERS FROM THE RUN'S GRAPH, and is said in the result:
//  * Hub factors. factor(v) comes from the run's hub assessment, a global
//    computation the run does not store. Values shared by fewer than
//    hubs.assess_min_degree accounts are never assessed (factor 1: exact).
//    For an assessed value the factor is the one the caller passes
//    (LinksOptions::hub_factors) or the run stored (hub_run, table
//    run_hubs); otherwise factor 1 is used, the evidence is marked
//    `factor_known = false`, and its weight is an upper bound.
//  * Sparsification. The run pairs a hub's accounts through a ring plus a
//    few random partners (projection.h); here every co-holder read is a
//    neighbour, with the same per-pair weight.
//  * Prompt clusters. When table prompt_clusters has rows, the templates of
//    one prompt cluster are one value (named by the cluster's representative
//    template), its degree the distinct accounts over its templates (counted
//    exactly when they hold at most 256 observations, else 257, a lower
//    bound, `degree_estimated`); its co-holders are read in one statement
//    over its templates, within the caps below.
//
// CAPS (so a CGNAT address or a boilerplate prompt shared by 100,000 accounts
// costs a bounded read): of a value shared by more than max_value_degree
// accounts, only the first max_value_degree co-holders by account id are read
// (`capped`), and at most max_holder_rows over all values, heaviest values
// first (the values left without budget are capped too). Accounts found
// through other values that also hold a capped value still get its
// contribution ("completion", as in the projection): one point lookup per
// (candidate, capped value), one per template for a prompt cluster (for a
// cluster of kMaxCountedTemplates templates or more, one read of the
// candidate's values instead, charged per value), at most
// completion_lookups probes, spent on the always_include accounts first (met
// through a value read or not), then on the strongest candidates
// (`completion_truncated` when some were skipped). At most max_values of the
// account's shared values are read, the heaviest per pair first (the rest are
// counted in values_skipped).
//
// COST: O(values of the account) lookups (plus one per template of its
// prompt clusters, for their sizes), at most max_holder_rows co-holder rows,
// at most completion_lookups probes, O(links of the account) and
// O(max_links) name lookups, plus sorting the candidates. Independent of the
// database size beyond the log factor of the B-trees.
//
// DETERMINISM: same database and options, same result: linked accounts by
// strength descending, ties by account id; evidence by weight descending,
// ties by kind then value id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "db/queries.h"
#include "db/sqlite.h"
#include "tools/cli_analysis.h"

namespace ringscope {

// What several LinksOfAccount calls of one query (explain, expand) can
// share: prompt cluster representatives and sizes, read once. Not
// thread-safe; valid for one database snapshot.
struct LinksCache {
  std::unordered_map<std::int64_t, std::int64_t> representative;  // template -> cluster
  struct ClusterSize {
    std::int64_t templates = 0;
    std::int64_t accounts = 0;
    bool exact = true;
  };
  std::unordered_map<std::int64_t, ClusterSize> cluster_sizes;  // representative -> size
  // The run's stored hub factors read so far (nullopt: the value has none).
  std::unordered_map<std::int64_t, std::optional<double>> run_hub_factors;
  // PairLink's reads of its first account, for the next pair with the same one.
  std::unordered_map<std::int64_t, std::vector<AccountValueRef>> value_refs;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> prompt_clusters_of;
};

struct LinksOptions {
  // Linked accounts returned, strongest first (0: all found).
  std::size_t max_links = 25;
  // Co-holders read per value; a value shared by more accounts is capped.
  // 1,000: a CGNAT or boilerplate-prompt hub costs ~1 ms of index reads
  // while every value shared by a campaign-sized group (the card pool of a
  // few hundred accounts) is read whole.
  std::size_t max_value_degree = 1000;
  // Co-holder rows read over all the account's values, heaviest values
  // first; the values left without budget are capped like huge ones. 10,000:
  // a heavy user with hundreds of popular prompts costs a few ms, not 100.
  std::size_t max_holder_rows = 10000;
  // The account's shared values read at most (heaviest per pair first).
  std::size_t max_values = 2000;
  // Completion probes at most (see CAPS).
  std::size_t completion_lookups = 2000;
  // Evidence entries kept per linked account, largest first (0: all).
  std::size_t max_evidence = 8;
  // Hub factors by signal_values.id, when the caller knows them (e.g. from a
  // rebuilt graph); null: assessed values use factor 1, marked unknown.
  const std::unordered_map<std::int64_t, double>* hub_factors = nullptr;
  // Else the run whose stored hub decisions (table run_hubs) give the
  // factors; 0: none.
  std::int64_t hub_run = 0;
  // Accounts returned whenever they are linked, even beyond max_links, and
  // probed first for the capped values (the other end of an `explain`
  // search, a ranked account of `expand`); null: none.
  const std::unordered_set<std::int64_t>* always_include = nullptr;
  // Shared lookups across calls (null: none).
  LinksCache* cache = nullptr;
  // Treat the templates of one prompt cluster as one value (when table
  // prompt_clusters has rows).
  bool use_prompt_clusters = true;
};

// One reason two accounts are linked.
struct LinkEvidence {
  std::string kind;
  // signal_values.id of the shared value (the cluster's representative for a
  // prompt cluster); 0 for a precomputed link.
  std::int64_t value_id = 0;
  std::string value;        // normalised value text; "" for a precomputed link
  std::int64_t degree = 0;  // accounts holding the value (2 for a precomputed link)
  bool degree_estimated = false;  // a lower bound: a prompt cluster too large to count (see header)
  std::uint32_t templates = 1;    // prompt templates merged into this value
  double factor = 1.0;            // hub factor applied
  bool factor_known = true;       // false: an assessed hub whose factor is unknown
  bool capped = false;            // not every co-holder of the value was read
  bool precomputed = false;       // a link-table link (summed over its rows)
  double weight = 0.0;            // contribution to the link's strength
};

struct LinkedAccount {
  std::int64_t account_id = 0;
  std::string name;
  double strength = 0.0;  // sum of all contributions (also those not kept)
  std::vector<LinkEvidence> evidence;  // largest first, at most max_evidence
  std::size_t evidence_dropped = 0;    // entries beyond max_evidence
};

// One value of the account as the query saw it.
struct NeighbourhoodValue {
  std::string kind;
  std::int64_t value_id = 0;  // representative for a prompt cluster
  std::string value;
  std::int64_t degree = 0;
  bool degree_estimated = false;
  std::uint32_t templates = 1;
  double pair_weight = 0.0;  // per-pair weight
  bool factor_known = true;
  bool makes_links = true;  // false: joins links others make, never makes one
  bool capped = false;
  std::size_t holders_read = 0;  // co-holders read
};

struct LinksResult {
  std::int64_t account_id = 0;
  // Strongest first, at most max_links (plus the linked always_include
  // accounts beyond the cut, in the same order).
  std::vector<LinkedAccount> links;
  std::size_t linked_accounts = 0;      // linked accounts found before the max_links cut
  std::vector<NeighbourhoodValue> values;  // the shared values read, heaviest first
  std::size_t values_skipped = 0;       // shared values beyond max_values
  std::size_t values_capped = 0;        // values whose co-holders were capped
  bool completion_truncated = false;    // the completion budget ran out
};

// The accounts linked to `account_id` and why. `parameters` are the run's
// (AnalyzeParameters::FromJson(LoadRunParameters(...))) or the defaults when
// there is no run. An unknown account id yields an empty result. Throws
// std::invalid_argument for max_value_degree of 0; StoreError from SQLite.
// Complexity: see COST above.
LinksResult LinksOfAccount(Database& db, const AnalyzeParameters& parameters,
                           std::int64_t account_id, const LinksOptions& options = {});

// What two accounts known to be linked (e.g. by a run's stored lists) share,
// weighed as LinksOfAccount weighs it: a's values looked up among b's
// (prompt templates by their cluster), plus their precomputed links; the
// result describes b as a linked account of a, evidence largest first, at
// most options.max_evidence. No value's co-holders are read, so no cap
// applies. O(values of a + values of b) rows read, plus one lookup per
// shared value; with options.cache, a's reads serve the next pair with the
// same a. nullopt when they share nothing.
std::optional<LinkedAccount> PairLink(Database& db, const AnalyzeParameters& parameters,
                                      std::int64_t a, std::int64_t b,
                                      const LinksOptions& options = {});

// The weights of a run: its stored parameters, or the defaults when
// `run_id` is 0 or the database has no run. O(1) queries.
AnalyzeParameters ParametersForLinks(Database& db, std::int64_t run_id);

}  // namespace ringscope

// The strongest evidence path between two accounts, found on a small local
// graph built from their link neighbourhoods (cli_links.h), never on the
// whole graph: what `ringscope explain A B` shows.
//
// SEARCH. Bidirectional and bounded. The neighbourhood of A is explored to
// depth ceil(max_hops / 2) and that of B to floor(max_hops / 2), so every
// path of at most max_hops links whose accounts were expanded lies in the
// local graph: link i of the path is met while expanding its end nearer to A
// (i < ceil) or nearer to B. Each side expands its accounts level by level,
// the strongest-linked first; sides alternate; at most max_expansions
// accounts have their links read (LinksOfAccount with `links` options), and
// each side's expansions always keep the accounts the other side has met
// (always_include), so the two searches meet even through weak links.
//
// PATH. Dijkstra (Boost.Graph dijkstra_shortest_paths) from A on the local
// graph with edge cost -ln(strength / max strength): the normalised strength
// is in (0, 1], a path's cost is minus the log of the product of its
// normalised strengths, so the path found is the one whose links are jointly
// strongest. The path may have more than max_hops links when a longer one
// through explored accounts is stronger (max_hops bounds the exploration).
//
// STORED LISTS. With `stored_run` (a run that stored its neighbour lists,
// db/analysis.h), an account's links are its row of the run's graph (one
// indexed read, tens of microseconds, the run's exact weights) instead of
// LinksOfAccount (milliseconds), so the search affords stored_expansions
// accounts. The evidence of each hop of the path found is then read once:
// what its two accounts share (PairLink, cli_links.h). A hop whose accounts
// share nothing the database still holds (an ingest since the run changed
// nothing it could remove, so this is a damaged or edited file) keeps its
// strength with no evidence entry (evidence_missing).
//
// COST. At most max_expansions LinksOfAccount calls (each bounded, see
// cli_links.h), or stored_expansions row reads plus one PairLink per hop,
// then Dijkstra in O((n + m) log n) on the n explored accounts and m
// links read. Deterministic: same database and options, same path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "tools/cli_analysis.h"
#include "tools/cli_links.h"

namespace ringscope {

struct PathOptions {
  int max_hops = 3;  // >= 1: exploration depth, split between the two ends
  // Accounts whose links are read at most (both sides, both ends included).
  // 10: the ends plus 8 neighbours, 1-5 ms each on the `small` world (p99
  // of explain under 50 ms CPU there, docs/benchmarks.md "Query latency").
  std::size_t max_expansions = 10;
  // Per expanded account: its 12 strongest links, found through its 300
  // heaviest values, co-holders of a value read up to 200 and 1,000 in all
  // (a hub only needs a few to be crossed).
  LinksOptions links{.max_links = 12,
                     .max_value_degree = 200,
                     .max_holder_rows = 1000,
                     .max_values = 300,
                     .completion_lookups = 300};
  // The run whose stored neighbour lists are searched (0: rebuild links).
  std::int64_t stored_run = 0;
  // Accounts whose stored rows are read at most (both sides): 200 rows cost
  // about 5 ms, the price of one or two LinksOfAccount calls.
  std::size_t stored_expansions = 200;
};

// One link of the path, oriented from `from` to `to`.
struct PathHop {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string from_name, to_name;
  double strength = 0.0;
  std::vector<LinkEvidence> evidence;  // largest first (as LinksOfAccount keeps it)
  std::size_t evidence_dropped = 0;
  bool evidence_missing = false;  // a stored link whose accounts share nothing now
};

struct EvidencePath {
  bool linked = false;          // a path was found within the bounds
  std::vector<PathHop> hops;    // from A to B
  double cost = 0.0;            // sum of -ln(strength / max_strength)
  double max_strength = 0.0;    // the normaliser: strongest link explored
  std::size_t explored_accounts = 0;  // accounts in the local graph
  std::size_t expanded_accounts = 0;  // accounts whose links were read
  std::size_t local_links = 0;
};

// Throws std::invalid_argument for max_hops < 1 or max_expansions (or, with
// stored_run, stored_expansions) < 2.
// a == b yields a linked path of no hops. Unknown ids yield "not linked"
// (callers check that the accounts exist). Complexity: see COST above.
EvidencePath StrongestEvidencePath(Database& db, const AnalyzeParameters& parameters,
                                   std::int64_t a, std::int64_t b, const PathOptions& options = {});

}  // namespace ringscope

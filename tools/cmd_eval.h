// `ringscope eval`: scores a ban list, a clustering or the database's latest
// analysis run against the ground truth of a generated (or labelled) world:
// precision, recall and F1 of the bans, recall per campaign, false bans among
// hard negatives, and for clusters the adjusted Rand index and NMI against the
// campaigns.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/cli_common.h"

namespace ringscope {

struct EvalOptions {
  std::string truth_path;           // --truth: CSV account,campaign
  std::string hard_negatives_path;  // --hard: CSV account,group (optional)
  std::string banlist_path;         // --banlist: ban list CSV or .jsonl
  std::string clusters_path;        // --clusters: CSV account,cluster,cluster_size,score
  // Neither file given: the predictions are a run in this database (--db /
  // $RINGSCOPE_DB): the accounts `export banlist` would ban, and the run's
  // clusters.
  std::string db_path;
  std::int64_t run_id = 0;  // --run: that run of the database (0 = the latest)
  // With --clusters or a run, an account counts as banned when its cluster's
  // score is at least this (the ban list's rule; a run also needs two
  // independent kinds of evidence and leaves out the stored allowlist).
  double min_score = 0.5;
  OutputFormat format = OutputFormat::kTable;
};

void SetupEvalCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

// Reads the files named in `options` (or the run in `db_path` when neither a
// ban list nor clusters are given), scores the predictions and writes the
// report to `out`. Throws UsageError when both files are given or an option is
// out of range, CommandFailure (naming file, line and what to fix) when a file
// cannot be read or holds bad data, when the database does not exist or has no
// such run. Time O(n log n) in the number of rows read.
void RunEval(const EvalOptions& options, std::ostream& out);

}  // namespace ringscope

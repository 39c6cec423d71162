// `ringscope eval`: scores a ban list or a clustering against the ground truth
// of a generated (or labelled) world: precision, recall and F1 of the bans,
// recall per campaign, false bans among hard negatives, and for clusters the
// adjusted Rand index and NMI against the campaigns.
#pragma once

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
  // With --clusters, an account counts as banned when its cluster's score is
  // at least this (the ban list's rule).
  double min_score = 0.5;
  OutputFormat format = OutputFormat::kTable;
};

void SetupEvalCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

// Reads the files named in `options`, scores the predictions and writes the
// report to `out`. Throws UsageError when neither a ban list nor clusters are
// given, CommandFailure (naming file, line and what to fix) when a file cannot
// be read or holds bad data. Time O(n log n) in the number of rows read.
void RunEval(const EvalOptions& options, std::ostream& out);

}  // namespace ringscope

// `ringscope gen`: writes a synthetic platform with planted distillation
// campaigns and hard negatives (tools/gen/world.h describes the world).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "tools/cli_common.h"
#include "tools/gen/world.h"

namespace ringscope {

struct GenCommandOptions {
  std::string out_dir;           // --out
  std::string preset = "small";  // --preset tiny|small|distill-24k
  bool accounts_given = false;   // --accounts was on the command line
  std::int64_t accounts = 0;     // --accounts: benign population (campaigns scale with it)
  std::uint64_t seed = 42;       // --seed
  bool zstd = false;             // --zstd: requests.jsonl.zst
};

void SetupGenCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry);

// Generates the world and logs its summary to stderr. Throws UsageError for
// an unknown preset or a bad --accounts, CommandFailure when the directory or
// a file cannot be written. Time O(requests · log accounts).
gen::GenResult RunGen(const GenCommandOptions& options);

}  // namespace ringscope

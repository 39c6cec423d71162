// A tiny generated world (gen --preset tiny, ingested and analysed), made once
// per test suite for the exploration commands (render, expand, shell). Tests
// only read the database; the ground truth says who belongs to which campaign.
#pragma once

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv.h"
#include "test_util.h"

namespace ringscope::testing {

struct TinyWorld {
  TempDir dir;
  std::string files = dir.File("world");
  std::string db = dir.File("world.db");
  std::string error;  // set when the setup failed
  std::map<std::string, std::string> campaign_of;  // truth.csv: account -> campaign

  std::string File(const std::string& name) const { return files + "/" + name; }
  RunResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return RunCommand(RINGSCOPE_BINARY, args, dir);
  }
};

// The accounts of each campaign, from truth.csv (read with ingest's parser).
inline std::map<std::string, std::string> ReadTruth(const std::string& path) {
  std::map<std::string, std::string> campaign_of;
  CsvRecordParser parser;
  std::istringstream in(ReadFile(path));
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    if (parser.Feed(line, ++number) != CsvRecordParser::Status::kRecord) continue;
    const std::vector<std::string>& f = parser.fields();
    if (number > 1 && f.size() == 2 && !f[1].empty()) campaign_of[f[0]] = f[1];
  }
  return campaign_of;
}

// gen → ingest → analyze; on failure `error` says which step failed.
inline TinyWorld* MakeTinyWorld() {
  auto* w = new TinyWorld;
  RunResult gen =
      RunCommand(RINGSCOPE_BINARY, {"gen", "--preset", "tiny", "--seed", "1", "--out", w->files},
                 w->dir);
  if (gen.exit_code != 0) {
    w->error = "gen failed: " + gen.err;
    return w;
  }
  RunResult ingest = w->Run({"ingest", "--no-progress", w->File("requests.jsonl"),
                             w->File("signals.csv"), w->File("accounts.csv")});
  if (ingest.exit_code != 0) {
    w->error = "ingest failed: " + ingest.err;
    return w;
  }
  RunResult analyze = w->Run({"analyze", "-q"});
  if (analyze.exit_code != 0) w->error = "analyze failed: " + analyze.err;
  w->campaign_of = ReadTruth(w->File("truth.csv"));
  if (w->error.empty() && w->campaign_of.empty()) w->error = "truth.csv has no campaign";
  return w;
}

}  // namespace ringscope::testing

// The request log: every account is a point process over its active window
// (sessions of a few requests, pauses between them, night sessions deferred
// for people); a monotone priority queue of each account's next request time
// interleaves them, so lines come out in time order while memory stays
// O(accounts). Formatting and writing overlap (a writer thread), which does
// not change a byte of the output.
#pragma once

#include <cstdint>
#include <vector>

#include "tools/gen/output.h"
#include "tools/gen/population.h"

namespace ringscope::gen {

struct RequestStreamOptions {
  std::uint64_t seed = 42;
  double mapped_ipv4_share = 0.01;  // IPv4 addresses logged as ::ffff:a.b.c.d
  double night_deferral = 0.8;      // night sessions of people moved to the morning
};

struct RequestStreamResult {
  std::int64_t lines = 0;
  std::int64_t benign_lines = 0;
  std::vector<std::int64_t> campaign_lines;  // by Population::campaigns index
  std::int64_t bytes = 0;                    // uncompressed
  double seconds = 0;
};

// Writes one JSON object per line ({"account", "ts", "ip", ["device"],
// "user_agent", "api_key", "prompt"}) to `out`, in non-decreasing ts order.
// Consumes the accounts' streaming state. O(requests · log accounts) time.
RequestStreamResult StreamRequests(Population& pop, const RequestStreamOptions& options,
                                   OutputFile& out);

}  // namespace ringscope::gen

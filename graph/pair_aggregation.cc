// Pair aggregation: a k-way merge of sorted tuple streams per account
// sub-range, hub completion, and the bounded evidence of each link. See
// pair_aggregation.h.
#include "graph/pair_aggregation.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "graph/parallel.h"

namespace ringscope::graph_internal {
namespace {

struct Contribution {
  std::uint32_t source = 0;
  double weight = 0.0;
};

template <class T>
std::size_t CountBelow(std::span<const T> sorted, AccountId u) {
  const auto it =
      std::partition_point(sorted.begin(), sorted.end(), [u](const T& t) { return t.u < u; });
  return static_cast<std::size_t>(it - sorted.begin());
}

// Cuts [lo, hi) into `parts` sub-ranges holding about equal numbers of
// tuples and links. O(parts * log n * streams * log T).
std::vector<AccountId> SplitRange(const std::vector<std::vector<PairTuple>>& streams,
                                  std::span<const LinkTuple> links, AccountId lo, AccountId hi,
                                  std::size_t parts) {
  auto below = [&](AccountId u) {
    std::size_t n = CountBelow(links, u);
    for (const auto& s : streams) n += CountBelow(std::span<const PairTuple>(s), u);
    return n;
  };
  const std::size_t total = below(hi) - below(lo);
  const std::size_t base = below(lo);
  std::vector<AccountId> bounds = {lo};
  for (std::size_t t = 1; t < parts; ++t) {
    const std::size_t target = base + total * t / parts;
    AccountId left = bounds.back(), right = hi;  // smallest u with below(u) >= target
    while (left < right) {
      const AccountId mid = left + (right - left) / 2;
      if (below(mid) >= target)
        right = mid;
      else
        left = mid + 1;
    }
    bounds.push_back(left);
  }
  bounds.push_back(hi);
  return bounds;
}

// Walks the pairs of several sorted streams in (u, v) order.
class PairMerger {
 public:
  PairMerger(const std::vector<std::vector<PairTuple>>& streams, std::span<const LinkTuple> links,
             AccountId lo, AccountId hi, std::span<const double> weights)
      : weights_(weights) {
    for (const auto& s : streams) {
      const std::span<const PairTuple> all(s);
      tuples_.push_back(
          all.subspan(CountBelow(all, lo), CountBelow(all, hi) - CountBelow(all, lo)));
    }
    links_ = links.subspan(CountBelow(links, lo), CountBelow(links, hi) - CountBelow(links, lo));
  }

  // The next pair and its contributions (values, then links by kind);
  // false when every stream is exhausted.
  bool Next(AccountId& u, AccountId& v, std::vector<Contribution>& out) {
    bool any = false;
    auto consider = [&](AccountId a, AccountId b) {
      if (!any || a < u || (a == u && b < v)) u = a, v = b;
      any = true;
    };
    for (const auto& s : tuples_) {
      if (!s.empty()) consider(s.front().u, s.front().v);
    }
    if (!links_.empty()) consider(links_.front().u, links_.front().v);
    if (!any) return false;
    out.clear();
    for (auto& s : tuples_) {
      std::size_t i = 0;
      for (; i < s.size() && s[i].u == u && s[i].v == v; ++i) {
        out.push_back({s[i].source, weights_[s[i].source]});
      }
      s = s.subspan(i);
    }
    std::size_t i = 0;
    for (; i < links_.size() && links_[i].u == u && links_[i].v == v; ++i) {
      out.push_back({EvidenceEntry::kLinkEvidence | links_[i].kind, links_[i].weight});
    }
    links_ = links_.subspan(i);
    return true;
  }

 private:
  std::span<const double> weights_;
  std::vector<std::span<const PairTuple>> tuples_;
  std::span<const LinkTuple> links_;
};

bool BySource(const Contribution& a, const Contribution& b) { return a.source < b.source; }

// The join list of the current smaller account u, marked for O(1) lookups:
// mark[w] == u + 1 iff w is in u's list. u only grows within a range, so
// stale marks never match.
struct JoinMarks {
  std::vector<AccountId> mark;
  AccountId current = 0;
  bool any = false;
};

// Appends to `shared` the joining values u and v both hold, ascending:
// O(min(h_v, h_u log h_v)) for join lists of lengths h_u, h_v.
void SharedJoins(AccountId u, AccountId v, const AggregationContext& c, JoinMarks& marks,
                 std::vector<ValueId>& shared) {
  shared.clear();
  const auto hu = c.joins.of(u);
  const auto hv = c.joins.of(v);
  if (hu.empty() || hv.empty()) return;
  if (!marks.any || marks.current != u) {
    if (marks.mark.empty()) marks.mark.assign(c.inc.num_values(), 0);
    for (ValueId w : hu) marks.mark[w] = u + 1;
    marks.current = u;
    marks.any = true;
  }
  const double log_v = std::log2(static_cast<double>(hv.size()) + 1.0);
  if (static_cast<double>(hv.size()) <= static_cast<double>(hu.size()) * log_v) {
    for (ValueId w : hv) {
      if (marks.mark[w] == u + 1) shared.push_back(w);
    }
  } else {
    for (ValueId w : hu) {
      if (std::binary_search(hv.begin(), hv.end(), w)) shared.push_back(w);
    }
  }
}

// Appends every joining value (sparsified hub or join-only value) both
// accounts share that the expansion did not pair them through. `buf` holds
// the pair's other contributions sorted by source; the joins follow in
// ascending order, so the order of `buf` stays canonical (independent of
// threads and passes).
void CompleteJoins(AccountId u, AccountId v, const AggregationContext& c, JoinMarks& marks,
                   std::vector<ValueId>& shared, std::vector<Contribution>& buf, Aggregated& out) {
  SharedJoins(u, v, c, marks, shared);
  const std::size_t before = buf.size();
  for (ValueId w : shared) {
    const auto paired_end = buf.begin() + static_cast<std::ptrdiff_t>(before);
    if (!std::binary_search(buf.begin(), paired_end, Contribution{w, 0.0}, BySource)) {
      buf.push_back({w, c.weights[w]});
    }
  }
  out.hub_evidence_added += buf.size() - before;
}

// Distinct evidence families among the contributions, at most 255. `seen`
// has one slot per kind and is all false on entry and on exit.
std::uint8_t CountKinds(const std::vector<Contribution>& buf, const AggregationContext& c,
                        std::vector<std::uint8_t>& seen, std::vector<KindId>& touched) {
  touched.clear();
  for (const Contribution& x : buf) {
    const KindId kind = (x.source & EvidenceEntry::kLinkEvidence)
                            ? (x.source & ~EvidenceEntry::kLinkEvidence)
                            : c.inc.kind(x.source);
    const KindId family = c.kinds.family[kind];
    if (!seen[family]) {
      seen[family] = 1;
      touched.push_back(family);
    }
  }
  for (KindId k : touched) seen[k] = 0;
  return static_cast<std::uint8_t>(std::min<std::size_t>(touched.size(), 255));
}

// Per-thread buffers of EmitPair.
struct EmitScratch {
  std::vector<std::uint8_t> seen_kind;
  std::vector<KindId> touched;
};

// Turns the contributions of (u, v), in canonical order, into a link (or
// nothing, below min_link_weight): the weight sums them in that order; the
// evidence keeps the largest (ties by source) and counts the rest.
void EmitPair(AccountId u, AccountId v, std::vector<Contribution>& buf, const AggregationContext& c,
              EmitScratch& scratch, Aggregated& out) {
  out.pair_contributions += buf.size();
  double total = 0.0;
  for (const Contribution& x : buf) total += x.weight;
  if (total < c.o.min_link_weight) {
    ++out.below_min_weight;
    return;
  }
  out.edges.push_back({u, v, total});
  if (scratch.seen_kind.size() < c.kinds.names.size())
    scratch.seen_kind.resize(c.kinds.names.size());
  out.num_kinds.push_back(CountKinds(buf, c, scratch.seen_kind, scratch.touched));
  const std::size_t keep = std::min<std::size_t>(buf.size(), c.o.max_evidence_per_link);
  const auto kept_end = buf.begin() + static_cast<std::ptrdiff_t>(keep);
  std::partial_sort(buf.begin(), kept_end, buf.end(),
                    [](const Contribution& a, const Contribution& b) {
                      return a.weight != b.weight ? a.weight > b.weight : a.source < b.source;
                    });
  for (auto it = buf.begin(); it != kept_end; ++it) {
    out.evidence.push_back({it->source, static_cast<float>(it->weight)});
  }
  double dropped = 0.0;
  for (auto it = kept_end; it != buf.end(); ++it) dropped += it->weight;
  out.offsets.push_back(out.evidence.size());
  out.dropped_entries.push_back(static_cast<std::uint32_t>(buf.size() - keep));
  out.dropped_weight.push_back(static_cast<float>(dropped));
  out.evidence_dropped += buf.size() - keep;
}

void AggregateRange(const std::vector<std::vector<PairTuple>>& streams,
                    std::span<const LinkTuple> links, AccountId lo, AccountId hi,
                    const AggregationContext& c, Aggregated& out) {
  PairMerger merger(streams, links, lo, hi, c.weights);
  std::vector<Contribution> buf;
  EmitScratch scratch;
  std::vector<ValueId> shared;
  JoinMarks marks;
  AccountId u = 0, v = 0;
  while (merger.Next(u, v, buf)) {
    std::sort(buf.begin(), buf.end(), BySource);
    CompleteJoins(u, v, c, marks, shared, buf, out);
    EmitPair(u, v, buf, c, scratch, out);
  }
}

}  // namespace

JoinLists BuildJoinLists(const Incidence& inc, std::span<const ValueRole> roles) {
  JoinLists lists;
  lists.offsets.assign(inc.num_accounts() + 1, 0);
  auto is_hub = [&](ValueId v) {
    return roles[v] == ValueRole::kSparsified || roles[v] == ValueRole::kJoinOnly;
  };
  for (ValueId v = 0; v < inc.num_values(); ++v) {
    if (!is_hub(v)) continue;
    for (AccountId a : inc.accounts(v)) ++lists.offsets[a + 1];
  }
  for (std::size_t a = 0; a < inc.num_accounts(); ++a) lists.offsets[a + 1] += lists.offsets[a];
  lists.values.resize(lists.offsets.back());
  std::vector<std::uint64_t> next(lists.offsets.begin(), lists.offsets.end() - 1);
  for (ValueId v = 0; v < inc.num_values(); ++v) {  // ascending v: rows come out sorted
    if (!is_hub(v)) continue;
    for (AccountId a : inc.accounts(v)) lists.values[next[a]++] = v;
  }
  return lists;
}

void Aggregated::Append(Aggregated&& next) {
  const std::uint64_t shift = evidence.size();
  for (std::size_t i = 1; i < next.offsets.size(); ++i) offsets.push_back(shift + next.offsets[i]);
  auto move_all = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  move_all(edges, next.edges);
  move_all(evidence, next.evidence);
  move_all(dropped_entries, next.dropped_entries);
  move_all(dropped_weight, next.dropped_weight);
  move_all(num_kinds, next.num_kinds);
  pair_contributions += next.pair_contributions;
  hub_evidence_added += next.hub_evidence_added;
  evidence_dropped += next.evidence_dropped;
  below_min_weight += next.below_min_weight;
}

void AggregatePass(const std::vector<std::vector<PairTuple>>& streams,
                   std::span<const LinkTuple> links, AccountId lo, AccountId hi,
                   const AggregationContext& c, Aggregated& out, ProjectionStats& stats) {
  const auto parts = static_cast<std::size_t>(c.o.threads);
  const std::vector<AccountId> bounds = SplitRange(streams, links, lo, hi, parts);
  std::vector<Aggregated> pieces(parts);
  OnEachThread(c.o.threads, [&](int t) {
    const auto i = static_cast<std::size_t>(t);
    AggregateRange(streams, links, bounds[i], bounds[i + 1], c, pieces[i]);
  });
  for (Aggregated& piece : pieces) {
    stats.pair_contributions += piece.pair_contributions;
    stats.hub_evidence_added += piece.hub_evidence_added;
    stats.evidence_dropped += piece.evidence_dropped;
    stats.edges_below_min_weight += piece.below_min_weight;
    piece.pair_contributions = piece.hub_evidence_added = piece.evidence_dropped = 0;
    piece.below_min_weight = 0;
    out.Append(std::move(piece));
  }
}

}  // namespace ringscope::graph_internal

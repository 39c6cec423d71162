// bench_minhash: figures for the prompt-similarity stage (algorithms/minhash.h,
// algorithms/prompt_clusters.h) on prompts from the world generator.
//
//   quality  exact Jaccard distributions per shingle scheme for pairs within a
//            campaign template (slot variation), within a family (paraphrase),
//            across families, against organic/app/agent prompts; and pairwise
//            precision/recall of clustering at several thresholds;
//   speed    sketching throughput on 200-byte prompts, 1 and 2 threads;
//   scale    LSH + clustering time and peak RSS for N distinct templates with
//            planted families (default 1M and 5M).
//
// Usage: bench_minhash [quality] [speed] [scale] [--scale-sizes=1000000,5000000]
// (no section named: all three). Prints figures; asserts nothing. Times are
// given as wall and CPU seconds: on a shared machine the CPU time is the
// steadier figure. Diagnostics: DEBUG_LARGEST=<threshold> (quality) prints the
// largest clusters of the quality corpus with sample texts; DEBUG_SCALE=1
// (scale) does the same for the scale data; SCALE_THRESHOLD=<t> overrides the
// threshold of the scale runs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "algorithms/minhash.h"
#include "algorithms/prompt_clusters.h"
#include "ingest/normalize.h"
#include "tools/gen/prompts.h"
#include "tools/gen/random.h"
#include "tools/gen/world.h"

namespace {

using namespace ringscope;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds of the whole process (all threads): on a shared machine the
// per-core rate is work / CPU time, which other processes disturb far less
// than wall time.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// The generator writes JSON string content; the log reader would unescape it.
std::string UnescapeJson(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
  }
  return out;
}

enum class Source : std::uint8_t { kCampaign, kOrganic, kApp, kAgent, kCompany };
// Distinct templates with their planted origin: `group` is the generator
// template (campaign), app, agent variant or company; organic prompts are
// groups of their own. `family` groups a campaign's templates.
struct Corpus {
  std::vector<std::string> texts;
  std::vector<Source> source;
  std::vector<std::uint32_t> group;
  std::vector<std::uint32_t> family;
};

struct CorpusSpec {
  int families = 24;
  int templates_per_family = 4;
  int renders_per_template = 40;
  int organic = 4000;
  int apps = 150;
  int renders_per_app = 4;
  int agent_renders = 300;
  int company_renders = 150;
  std::uint64_t seed = 7;
};

Corpus MakeCorpus(const CorpusSpec& spec) {
  gen::Rng rng(spec.seed);
  gen::PromptBook book(gen::BenignOptions{}, "acme robotics");
  const std::uint32_t first =
      book.AddCampaignFamilies(spec.families, spec.templates_per_family, rng);
  Corpus c;
  std::set<std::string> seen;
  std::uint32_t next_group = 0;
  auto add = [&](const std::string& raw, Source s, std::uint32_t group, std::uint32_t family) {
    std::string t = PromptTemplate(UnescapeJson(raw));
    if (!seen.insert(t).second) return;  // one row per distinct template, as ingest stores them
    c.texts.push_back(std::move(t));
    c.source.push_back(s);
    c.group.push_back(group);
    c.family.push_back(family);
  };
  std::string buf;
  for (int f = 0; f < spec.families; ++f) {
    for (int t = 0; t < spec.templates_per_family; ++t) {
      const std::uint32_t index = first + static_cast<std::uint32_t>(f * spec.templates_per_family + t);
      const std::uint32_t group = next_group++;
      for (int r = 0; r < spec.renders_per_template; ++r) {
        buf.clear();
        book.RenderCampaign(index, rng, buf);
        add(buf, Source::kCampaign, group, static_cast<std::uint32_t>(f));
      }
    }
  }
  const auto no_family = static_cast<std::uint32_t>(spec.families);
  for (int i = 0; i < spec.organic; ++i) {
    buf.clear();
    book.RenderOrganic(rng, buf);
    add(buf, Source::kOrganic, next_group++, no_family);
  }
  for (int a = 0; a < spec.apps; ++a) {
    const std::uint32_t group = next_group++;
    const std::uint64_t app_seed = rng.Next();
    for (int r = 0; r < spec.renders_per_app; ++r) {
      buf.clear();
      book.RenderApp(app_seed, rng, buf);
      add(buf, Source::kApp, group, no_family);
    }
  }
  const std::uint32_t agent_group = next_group;
  next_group += book.agent_variants();
  for (int i = 0; i < spec.agent_renders; ++i) {
    buf.clear();
    const auto variant = static_cast<std::uint32_t>(rng.Below(book.agent_variants()));
    book.RenderAgent(variant, rng, buf);
    add(buf, Source::kAgent, agent_group + variant, no_family);
  }
  const std::uint32_t company_group = next_group++;
  for (int i = 0; i < spec.company_renders; ++i) {
    buf.clear();
    book.RenderCompany(rng, buf);
    add(buf, Source::kCompany, company_group, no_family);
  }
  return c;
}

// --- quality ------------------------------------------------------------------

struct Scheme {
  const char* name;
  MinHashOptions options;
};

std::vector<Scheme> Schemes() {
  return {{"words-1", {.shingles = ShingleKind::kWords, .shingle_size = 1}},
          {"words-2", {.shingles = ShingleKind::kWords, .shingle_size = 2}},
          {"words-3", {.shingles = ShingleKind::kWords, .shingle_size = 3}},
          {"chars-5", {.shingles = ShingleKind::kCharacters, .shingle_size = 5}},
          {"chars-6", {.shingles = ShingleKind::kCharacters, .shingle_size = 6}},
          {"chars-7", {.shingles = ShingleKind::kCharacters, .shingle_size = 7}},
          {"chars-8", {.shingles = ShingleKind::kCharacters, .shingle_size = 8}}};
}

enum PairKind { kSameTemplate, kSameFamily, kOtherFamily, kCampaignVsBenign, kSameApp,
                kSameAgent, kBenignVsBenign, kNumPairKinds };
const char* kPairKindNames[] = {"same template (slots)", "same family (paraphrase)",
                                "other campaign family", "campaign vs benign",
                                "same app prompt", "same agent boilerplate",
                                "benign vs benign (other)"};

PairKind KindOf(const Corpus& c, std::size_t a, std::size_t b) {
  const bool ca = c.source[a] == Source::kCampaign, cb = c.source[b] == Source::kCampaign;
  if (ca && cb) {
    if (c.group[a] == c.group[b]) return kSameTemplate;
    return c.family[a] == c.family[b] ? kSameFamily : kOtherFamily;
  }
  if (ca || cb) return kCampaignVsBenign;
  if (c.group[a] == c.group[b] && c.source[a] == Source::kApp) return kSameApp;
  if (c.group[a] == c.group[b] && c.source[a] == Source::kAgent) return kSameAgent;
  if (c.group[a] == c.group[b] && c.source[a] == Source::kCompany) return kSameAgent;
  return kBenignVsBenign;
}

double Quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

std::uint64_t Fingerprint(std::string_view t) { return XXH3_64bits(t.data(), t.size()); }

double Pairs(std::uint64_t n) { return static_cast<double>(n) * static_cast<double>(n - (n > 0)) / 2; }

// Pairwise figures of a clustering against the planted origin.
struct ClusterQuality {
  double template_recall = 0;  // same campaign template pairs in one cluster
  double family_recall = 0;    // same campaign family pairs in one cluster
  double campaign_precision = 0;  // of clustered pairs touching a campaign prompt, same family
  std::size_t mixed_families = 0;  // clusters holding two or more campaign families
  std::size_t campaign_with_benign = 0;  // campaign clusters that also hold benign prompts
  double organic_clustered = 0;  // share of organic prompts in a cluster of 2+
};

ClusterQuality Evaluate(const Corpus& c, const std::vector<std::uint64_t>& cluster) {
  std::map<std::uint64_t, std::map<std::uint32_t, std::uint64_t>> by_group, by_family;
  std::map<std::uint64_t, std::uint64_t> size, campaign, benign;
  std::map<std::uint32_t, std::uint64_t> group_size, family_size;
  for (std::size_t i = 0; i < cluster.size(); ++i) {
    ++size[cluster[i]];
    if (c.source[i] == Source::kCampaign) {
      ++campaign[cluster[i]];
      ++by_group[cluster[i]][c.group[i]];
      ++by_family[cluster[i]][c.family[i]];
      ++group_size[c.group[i]];
      ++family_size[c.family[i]];
    } else {
      ++benign[cluster[i]];
    }
  }
  double together_group = 0, together_family = 0, touching = 0, all_group = 0, all_family = 0;
  ClusterQuality q;
  for (const auto& [id, groups] : by_group) {
    for (const auto& [g, n] : groups) together_group += Pairs(n);
  }
  for (const auto& [id, families] : by_family) {
    for (const auto& [f, n] : families) together_family += Pairs(n);
    q.mixed_families += families.size() > 1;
    q.campaign_with_benign += benign[id] > 0;
  }
  for (const auto& [id, n] : size) touching += Pairs(n) - Pairs(benign[id]);
  for (const auto& [g, n] : group_size) all_group += Pairs(n);
  for (const auto& [f, n] : family_size) all_family += Pairs(n);
  std::size_t organic = 0, organic_clustered = 0;
  for (std::size_t i = 0; i < cluster.size(); ++i) {
    if (c.source[i] != Source::kOrganic) continue;
    ++organic;
    organic_clustered += size[cluster[i]] > 1;
  }
  q.template_recall = together_group / all_group;
  q.family_recall = together_family / all_family;
  q.campaign_precision = touching > 0 ? together_family / touching : 1.0;
  q.organic_clustered = static_cast<double>(organic_clustered) / static_cast<double>(organic);
  return q;
}

void PrintQuality(const char* label, const ClusterQuality& q, std::size_t clusters) {
  std::printf("   %-34s %6.3f  %6.3f  %6.3f  %5zu  %5zu  %5.3f  %6zu\n", label, q.template_recall,
              q.family_recall, q.campaign_precision, q.mixed_families, q.campaign_with_benign,
              q.organic_clustered, clusters);
}

void RunClusterQuality(const Corpus& corpus) {
  std::vector<std::uint64_t> fps;
  for (const auto& t : corpus.texts) fps.push_back(Fingerprint(t));
  std::vector<std::string_view> views(corpus.texts.begin(), corpus.texts.end());
  const PromptSketches sk = SketchTemplates(views);
  std::printf("-- clustering (default sketches: byte 7-grams, K=64) against the planted origin\n");
  std::printf("   %-34s %6s  %6s  %6s  %5s  %5s  %5s  %6s\n", "", "R_tmpl", "R_fam", "P_camp",
              "mixed", "+benign", "org>1", "clusters");
  for (double threshold : {0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7}) {
    for (int bands : {8, 16, 32}) {
      const PromptClusterOptions o{.bands = bands, .threshold = threshold};
      const PromptClusterResult r = ClusterPrompts(fps, sk, {}, o);
      char label[80];
      std::snprintf(label, sizeof label, "t=%.2f  LSH %2d x %d", threshold, bands, 64 / bands);
      PrintQuality(label, Evaluate(corpus, r.cluster), r.num_clusters);
    }
    const PromptClusterResult all = ClusterPromptsAllPairs(fps, sk, {}, {.threshold = threshold});
    char label[80];
    std::snprintf(label, sizeof label, "t=%.2f  all pairs (reference)", threshold);
    PrintQuality(label, Evaluate(corpus, all.cluster), all.num_clusters);
  }
  std::printf("   R_tmpl/R_fam: share of same-template / same-family campaign pairs in one cluster;\n"
              "   P_camp: share of clustered pairs touching a campaign prompt that are same-family;\n"
              "   mixed: clusters with 2+ campaign families; +benign: campaign clusters with benign\n"
              "   prompts; org>1: share of organic prompts in a cluster of 2+ (slot variants of one\n"
              "   benign pattern, e.g. 'how long do i cook X?').\n");
}

void DebugLargest(const Corpus& corpus, double threshold) {
  std::vector<std::uint64_t> fps;
  for (const auto& t : corpus.texts) fps.push_back(Fingerprint(t));
  std::vector<std::string_view> views(corpus.texts.begin(), corpus.texts.end());
  const PromptSketches sk = SketchTemplates(views);
  const PromptClusterResult r = ClusterPrompts(fps, sk, {}, {.threshold = threshold});
  std::map<std::uint64_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < fps.size(); ++i) members[r.cluster[i]].push_back(i);
  std::vector<std::pair<std::size_t, std::uint64_t>> order;
  for (auto& [id, m] : members) order.emplace_back(m.size(), id);
  std::sort(order.rbegin(), order.rend());
  for (int k = 0; k < 6 && k < static_cast<int>(order.size()); ++k) {
    const auto& m = members[order[k].second];
    std::map<int, int> by_source;
    for (auto i : m) ++by_source[static_cast<int>(corpus.source[i])];
    std::printf("cluster size %zu:", m.size());
    for (auto [src, cnt] : by_source) std::printf(" src%d=%d", src, cnt);
    std::printf("\n");
    for (std::size_t j = 0; j < m.size(); j += std::max<std::size_t>(1, m.size() / 8)) {
      std::printf("     | %.150s\n", corpus.texts[m[j]].c_str());
    }
  }
}

void RunQuality() {
  const Corpus corpus = MakeCorpus({});
  if (std::getenv("DEBUG_LARGEST")) {
    DebugLargest(corpus, std::atof(std::getenv("DEBUG_LARGEST")));
    return;
  }
  std::printf("== quality: %zu distinct templates (campaign %zu)\n", corpus.texts.size(),
              static_cast<std::size_t>(std::count(corpus.source.begin(), corpus.source.end(),
                                                  Source::kCampaign)));
  // Pairs: all pairs within campaign groups and families, and a seeded sample
  // of everything else.
  gen::Rng rng(99);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  const std::size_t n = corpus.texts.size();
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const PairKind k = KindOf(corpus, a, b);
      const bool keep = k == kSameTemplate || k == kSameFamily || k == kSameApp ||
                        k == kSameAgent || rng.Chance(0.004);
      if (keep) pairs.emplace_back(a, b);
    }
  }
  for (const Scheme& s : Schemes()) {
    std::vector<std::vector<std::uint64_t>> shingles(n);
    for (std::size_t i = 0; i < n; ++i) shingles[i] = ShingleHashes(corpus.texts[i], s.options);
    std::vector<std::vector<double>> by_kind(kNumPairKinds);
    for (auto [a, b] : pairs) {
      by_kind[KindOf(corpus, a, b)].push_back(ExactJaccard(shingles[a], shingles[b]));
    }
    std::printf("-- %s: exact Jaccard quantiles  p1 / p5 / p50 / p95 / p99 / max\n", s.name);
    for (int k = 0; k < kNumPairKinds; ++k) {
      auto& v = by_kind[k];
      const std::size_t count = v.size();
      const double p1 = Quantile(v, 0.01), p5 = Quantile(v, 0.05), p50 = Quantile(v, 0.5),
                   p95 = Quantile(v, 0.95), p99 = Quantile(v, 0.99), mx = Quantile(v, 1.0);
      std::printf("   %-26s n=%-7zu %.2f / %.2f / %.2f / %.2f / %.2f / %.2f\n", kPairKindNames[k],
                  count, p1, p5, p50, p95, p99, mx);
    }
  }
  RunClusterQuality(corpus);
}

// --- speed --------------------------------------------------------------------

// `count` templates of exactly `bytes` bytes (cut at a UTF-8 boundary) from
// generator prompts of every source, concatenated and cut.
std::vector<std::string> FixedLengthTemplates(std::size_t count, std::size_t bytes) {
  CorpusSpec spec;
  spec.renders_per_template = 20;
  spec.organic = 2000;
  const Corpus corpus = MakeCorpus(spec);
  gen::Rng rng(5);
  std::vector<std::string> out;
  out.reserve(count);
  std::string buf;
  while (out.size() < count) {
    buf.clear();
    while (buf.size() < bytes + 4) {
      if (!buf.empty()) buf.push_back(' ');
      buf += corpus.texts[rng.Below(corpus.texts.size())];
    }
    std::size_t cut = bytes;
    while (cut > 0 && (static_cast<unsigned char>(buf[cut]) & 0xC0) == 0x80) --cut;
    buf.resize(cut);
    out.push_back(buf);
  }
  return out;
}

void RunSpeed() {
  constexpr std::size_t kCount = 1000000;
  const std::vector<std::string> texts = FixedLengthTemplates(kCount, 200);
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::printf("== speed: sketching %zu templates of 200 bytes\n", kCount);
  const std::vector<Scheme> schemes = {Schemes()[5], Schemes()[1]};  // the default; word bigrams
  for (const Scheme& s : schemes) {
    for (int threads : {1, 2}) {
      double best = 1e30, best_cpu = 1e30;
      for (int rep = 0; rep < 3; ++rep) {
        const auto t0 = Clock::now();
        const double c0 = CpuSeconds();
        const PromptSketches sk = SketchTemplates(views, s.options, {.threads = threads});
        best = std::min(best, Seconds(t0));
        best_cpu = std::min(best_cpu, CpuSeconds() - c0);
        if (sk.size() != kCount) std::abort();
      }
      const double n = static_cast<double>(kCount);
      std::printf("   %-8s K=%d threads=%d  wall %.2f M prompts/s; per core (CPU time) %.2f M/s, "
                  "%.0f ns/prompt\n",
                  s.name, s.options.num_hashes, threads, n / best / 1e6, n / best_cpu / 1e6,
                  best_cpu / n * 1e9);
    }
  }
}

// --- scale --------------------------------------------------------------------

std::size_t ReadStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::strtoull(line.c_str() + std::strlen(field), nullptr, 10);
  }
  return 0;
}

// Resets the peak RSS (VmHWM) to the current RSS; false where unsupported.
bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out.flush());
}

// Fingerprints seen so far: open addressing over a power-of-two table.
class SeenSet {
 public:
  explicit SeenSet(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, 0);
  }
  bool Insert(std::uint64_t fp) {
    fp |= 1;  // 0 marks an empty slot; one lost bit is harmless here
    for (std::size_t i = fp & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == fp) return false;
      if (slots_[i] == 0) {
        slots_[i] = fp;
        return true;
      }
    }
  }

 private:
  std::vector<std::uint64_t> slots_;
};

// N distinct templates: campaign renders (75 families of 4 templates), organic
// prompts, app prompts (2,000 apps) and agent boilerplate, generated and
// sketched in chunks so that the texts never all sit in memory. Repeats get a
// random extra word (see below).
struct ScaleData {
  std::vector<std::uint64_t> fingerprints;
  std::vector<std::uint32_t> template_of;  // campaign template, or ~0u
  std::vector<std::uint8_t> source;
  std::vector<std::string> debug_texts;  // kept only under DEBUG_SCALE
  PromptSketches sketches;
  double seconds_generate = 0, seconds_sketch = 0, cpu_sketch = 0;
  std::size_t renders = 0;  // prompts rendered to find the distinct ones
};

double ScaleThreshold() {
  const char* t = std::getenv("SCALE_THRESHOLD");
  return t != nullptr ? std::atof(t) : PromptClusterOptions{}.threshold;
}

ScaleData MakeScaleData(std::size_t n) {
  gen::Rng rng(11);
  gen::PromptBook book(gen::BenignOptions{}, "acme robotics");
  constexpr int kFamilies = 75, kTemplates = 4;
  const std::uint32_t first = book.AddCampaignFamilies(kFamilies, kTemplates, rng);
  std::vector<std::uint64_t> apps(2000);
  for (auto& a : apps) a = rng.Next();
  ScaleData d;
  d.sketches.options = MinHashOptions{};
  d.sketches.values.reserve(n * 64);
  d.fingerprints.reserve(n);
  d.template_of.reserve(n);
  SeenSet seen(n);
  std::vector<std::string> chunk;
  std::vector<std::uint32_t> chunk_template;
  std::string raw;
  std::size_t attempts = 0;
  while (d.fingerprints.size() < n && attempts < 20 * n) {
    d.renders = attempts;
    auto t0 = Clock::now();
    chunk.clear();
    chunk_template.clear();
    while (chunk.size() < 200000 && d.fingerprints.size() + chunk.size() < n) {
      ++attempts;
      raw.clear();
      const double r = rng.Uniform();
      std::uint32_t tmpl = ~0u;
      if (r < 0.5) {
        tmpl = first + static_cast<std::uint32_t>(rng.Below(kFamilies * kTemplates));
        book.RenderCampaign(tmpl, rng, raw);
      } else if (r < 0.85) {
        book.RenderOrganic(rng, raw);
      } else if (r < 0.95) {
        book.RenderApp(apps[rng.Below(apps.size())], rng, raw);
      } else {
        book.RenderAgent(static_cast<std::uint32_t>(rng.Below(book.agent_variants())), rng, raw);
      }
      // JSON escapes (\\n) stay as two characters here: same structure, less time.
      std::string t = PromptTemplate(raw);
      std::uint64_t fp = Fingerprint(t);
      // The generator's slot vocabularies repeat templates often; a repeat
      // gets a random extra word, as a user's small edit would, so that N
      // distinct templates cost about N renders (and near-duplicates are
      // denser than in the generator's own output: a harder case for LSH).
      for (int edit = 0; edit < 4 && !seen.Insert(fp); ++edit) {
        t += ' ';
        for (int c = 0; c < 6; ++c) t += static_cast<char>('a' + rng.Below(26));
        fp = Fingerprint(t);
        if (edit == 3) t.clear();
      }
      if (t.empty()) continue;
      d.fingerprints.push_back(fp);
      d.template_of.push_back(tmpl == ~0u ? ~0u : tmpl - first);
      d.source.push_back(static_cast<std::uint8_t>(r < 0.5 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3));
      if (std::getenv("DEBUG_SCALE")) d.debug_texts.push_back(t);
      chunk.push_back(std::move(t));
    }
    d.seconds_generate += Seconds(t0);
    t0 = Clock::now();
    const double c0 = CpuSeconds();
    std::vector<std::string_view> views(chunk.begin(), chunk.end());
    const PromptSketches part = SketchTemplates(views);
    d.sketches.values.insert(d.sketches.values.end(), part.values.begin(), part.values.end());
    d.seconds_sketch += Seconds(t0);
    d.cpu_sketch += CpuSeconds() - c0;
  }
  d.renders = attempts;
  return d;
}

void RunScale(const std::vector<std::size_t>& sizes) {
  for (std::size_t n : sizes) {
    const bool first_size = n == sizes.front();
    ScaleData d = MakeScaleData(n);
    const std::size_t got = d.fingerprints.size();
    std::printf("== scale: %zu distinct templates (%zu renders, generated in %.1f s; sketched in "
                "%.2f s wall, %.2f s CPU)\n",
                got, d.renders, d.seconds_generate, d.seconds_sketch, d.cpu_sketch);
    const bool reset = ResetPeakRss();
    const std::size_t rss_before = ReadStatusKb("VmRSS:");
    for (int threads : {1, 2}) {
      if (threads == 1 && !first_size) continue;  // one thread only on the first size
      const auto t0 = Clock::now();
      const double c0 = CpuSeconds();
      const PromptClusterResult r =
          ClusterPrompts(d.fingerprints, d.sketches, {}, {.threshold = ScaleThreshold(), .threads = threads});
      const double wall = Seconds(t0), cpu = CpuSeconds() - c0;
      const std::size_t peak = ReadStatusKb("VmHWM:");
      // Planted campaign templates: how many clusters does each land in?
      std::map<std::uint32_t, std::set<std::uint64_t>> clusters_of_template;
      std::map<std::uint64_t, std::set<std::uint32_t>> families_of_cluster;
      for (std::size_t i = 0; i < got; ++i) {
        if (d.template_of[i] == ~0u) continue;
        clusters_of_template[d.template_of[i]].insert(r.cluster[i]);
        families_of_cluster[r.cluster[i]].insert(d.template_of[i] / 4);
      }
      std::size_t whole = 0, mixed = 0, with_benign = 0, benign_in_campaign = 0;
      for (const auto& [t, cs] : clusters_of_template) whole += cs.size() == 1;
      for (const auto& [c, fs] : families_of_cluster) mixed += fs.size() > 1;
      std::map<std::uint64_t, std::size_t> benign_of_cluster;
      for (std::size_t i = 0; i < got; ++i) {
        if (d.template_of[i] == ~0u && families_of_cluster.count(r.cluster[i])) {
          ++benign_of_cluster[r.cluster[i]];
          ++benign_in_campaign;
        }
      }
      with_benign = benign_of_cluster.size();
      std::printf("   threads=%d: LSH+clustering %.2f s wall (%.2f s CPU): identities %.2f, bands "
                  "%.2f, ids %.2f; peak RSS %.0f MiB (%.0f MiB before: sketches %.0f MiB)%s\n",
                  threads, wall, cpu, r.seconds_identities, r.seconds_bands, r.seconds_ids,
                  static_cast<double>(peak) / 1024, static_cast<double>(rss_before) / 1024,
                  static_cast<double>(d.sketches.values.size() * 2) / (1 << 20),
                  reset ? "" : " [peak not reset: includes generation]");
      std::printf("      %zu clusters, largest %zu; verified %llu pairs, joined %llu; %llu capped "
                  "groups, largest group %zu\n",
                  r.num_clusters, r.largest_cluster,
                  static_cast<unsigned long long>(r.verified_pairs),
                  static_cast<unsigned long long>(r.joined_pairs),
                  static_cast<unsigned long long>(r.capped_groups), r.largest_group);
      std::printf("      planted: %zu of %zu campaign templates in a single cluster; %zu clusters "
                  "mix campaign families; %zu campaign clusters hold %zu benign templates\n",
                  whole, clusters_of_template.size(), mixed, with_benign, benign_in_campaign);
      if (!d.debug_texts.empty()) {
        std::map<std::uint64_t, std::vector<std::size_t>> members;
        for (std::size_t i = 0; i < got; ++i) members[r.cluster[i]].push_back(i);
        std::vector<std::pair<std::size_t, std::uint64_t>> order;
        for (auto& [id, m] : members) order.emplace_back(m.size(), id);
        std::sort(order.rbegin(), order.rend());
        for (int k = 0; k < 4; ++k) {
          const auto& m = members[order[k].second];
          std::map<int, int> by_source;
          for (auto i : m) ++by_source[d.source[i]];
          std::printf("cluster size %zu:", m.size());
          for (auto [src, cnt] : by_source) std::printf(" src%d=%d", src, cnt);
          std::printf("\n");
          for (std::size_t j = 0; j < m.size(); j += std::max<std::size_t>(1, m.size() / 12)) {
            std::printf("     | %.160s\n", d.debug_texts[m[j]].c_str());
          }
        }
        break;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool quality = false, speed = false, scale = false;
  std::vector<std::size_t> sizes = {1000000, 5000000};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "quality") {
      quality = true;
    } else if (arg == "speed") {
      speed = true;
    } else if (arg == "scale") {
      scale = true;
    } else if (arg.rfind("--scale-sizes=", 0) == 0) {
      sizes.clear();
      std::string list(arg.substr(14));
      for (char* p = list.data(); *p != 0;) {
        char* end = nullptr;
        const unsigned long long v = std::strtoull(p, &end, 10);
        if (end == p || v == 0) break;
        sizes.push_back(v);
        p = *end == ',' ? end + 1 : end;
      }
    } else {
      std::fprintf(stderr, "usage: bench_minhash [quality] [speed] [scale] "
                           "[--scale-sizes=1000000,5000000]\n");
      return 2;
    }
  }
  if (sizes.empty()) {
    std::fprintf(stderr, "bench_minhash: --scale-sizes needs positive numbers\n");
    return 2;
  }
  if (!quality && !speed && !scale) quality = speed = scale = true;
  if (quality) RunQuality();
  if (speed) RunSpeed();
  if (scale) RunScale(sizes);
  return 0;
}

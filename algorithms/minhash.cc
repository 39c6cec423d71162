// One-permutation MinHash with optimal densification over word or byte
// shingles of prompt templates. The tokenizer, the shingle hashes and the
// binning are fused into one pass for SketchTemplate; ShingleHashes and
// SketchFromShingleHashes are the slow path it is tested against.
#include "algorithms/minhash.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ringscope {
namespace {

constexpr std::uint8_t kFormatVersion = 1;
constexpr std::uint32_t kUnsetMin = std::numeric_limits<std::uint32_t>::max();
constexpr int kMaxHashes = 1024;
constexpr int kMaxWordShingle = 4;
constexpr int kMaxCharShingle = 8;

// SplitMix64's finaliser: a bijective 64-bit mixer.
inline std::uint64_t Mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// --- Tokenizer (kWords) ------------------------------------------------------

// Byte classes of the tokenizer: ASCII separators, bytes that are word content
// as they stand, and lead bytes whose code point must be looked at.
enum ByteClass : std::uint8_t { kSepByte, kWordByte, kLatin1Lead, kMarkLead, kLead3, kLead4 };

// What a decoded code point does to the token stream.
enum class CodePointRole : std::uint8_t { kSeparator, kWord, kSingle, kExtend };

constexpr std::array<std::uint8_t, 256> MakeByteClasses() {
  std::array<std::uint8_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    std::uint8_t c = kWordByte;  // continuation bytes, 2-byte leads, invalid bytes
    if (b < 0x80) {
      const bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
      c = (alnum || b == '#' || b == '_') ? kWordByte : kSepByte;
    } else if (b == 0xC2) {
      c = kLatin1Lead;  // U+0080..U+00BF: controls, Latin-1 punctuation and signs
    } else if (b == 0xCC || b == 0xCD) {
      c = kMarkLead;  // U+0300..U+037F: combining diacritical marks (and some Greek)
    } else if (b >= 0xE0 && b <= 0xEF) {
      c = kLead3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      c = kLead4;
    }
    t[b] = c;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kByteClasses = MakeByteClasses();

inline bool IsContinuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }

// Role of a code point of 3 or 4 bytes (U+0800 and above).
CodePointRole RoleOfWide(std::uint32_t cp) {
  if (cp == 0x200C || cp == 0x200D) return CodePointRole::kExtend;        // ZWNJ, ZWJ
  if (cp >= 0x2000 && cp <= 0x206F) return CodePointRole::kSeparator;     // general punctuation
  if ((cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
      (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
      (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
      (cp >= 0xE0000 && cp <= 0xE01EF)) {
    return CodePointRole::kExtend;  // combining marks, variation selectors, skin tones, tags
  }
  if (cp >= 0x3000 && cp <= 0x303F) return CodePointRole::kSeparator;  // CJK punctuation
  if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
      (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65)) {
    return CodePointRole::kSeparator;  // full-width punctuation
  }
  if ((cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
      (cp >= 0x2E80 && cp <= 0x2FFF) || (cp >= 0x3040 && cp <= 0xA4CF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF10 && cp <= 0xFFEF) ||
      (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFF)) {
    return CodePointRole::kSingle;  // unsegmented scripts, symbols, emoji
  }
  return CodePointRole::kWord;
}

// Decodes the sequence at text[i] whose lead byte has class `cls`. Sets
// `length`; an invalid or truncated sequence is one word byte.
CodePointRole DecodeRole(const std::uint8_t* p, std::size_t remaining, std::uint8_t cls,
                         std::size_t& length) {
  length = 1;
  const std::size_t need = cls == kLead4 ? 4 : cls == kLead3 ? 3 : 2;
  if (remaining < need) return CodePointRole::kWord;
  for (std::size_t k = 1; k < need; ++k) {
    if (!IsContinuation(p[k])) return CodePointRole::kWord;
  }
  length = need;
  if (cls == kLatin1Lead) return CodePointRole::kSeparator;
  if (cls == kMarkLead) {
    const std::uint32_t cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return cp <= 0x036F ? CodePointRole::kExtend : CodePointRole::kWord;
  }
  std::uint32_t cp = 0;
  if (cls == kLead3) {
    cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  } else {
    cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  }
  return RoleOfWide(cp);
}

// Calls emit(begin, end) for every token of `text`, in order. Runs of plain
// ASCII word bytes and of separators are skipped in tight loops; only lead
// bytes of some multi-byte characters are decoded.
template <typename Emit>
inline void ForEachToken(std::string_view text, Emit&& emit) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t n = text.size();
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t start = kNone;
  bool single = false;  // the open token is one unsegmented character (plus extenders)
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t cls = kByteClasses[p[i]];
    if (cls == kWordByte) {
      if (single) {
        emit(start, i);
        start = kNone;
        single = false;
      }
      if (start == kNone) start = i;
      for (++i; i < n && kByteClasses[p[i]] == kWordByte;) ++i;
      continue;
    }
    if (cls == kSepByte) {
      if (start != kNone) emit(start, i);
      start = kNone;
      single = false;
      for (++i; i < n && kByteClasses[p[i]] == kSepByte;) ++i;
      continue;
    }
    std::size_t length = 1;
    switch (DecodeRole(p + i, n - i, cls, length)) {
      case CodePointRole::kWord:
        if (single) {
          emit(start, i);
          start = kNone;
          single = false;
        }
        if (start == kNone) start = i;
        break;
      case CodePointRole::kSeparator:
        if (start != kNone) emit(start, i);
        start = kNone;
        single = false;
        break;
      case CodePointRole::kSingle:
        if (start != kNone) emit(start, i);
        start = i;
        single = true;
        break;
      case CodePointRole::kExtend:
        if (start == kNone) start = i;  // a lone mark is a token of its own
        break;
    }
    i += length;
  }
  if (start != kNone) emit(start, n);
}

// --- Shingle hashes -----------------------------------------------------------

// Reads min(available, 8) bytes little-endian; no library call for short reads.
inline std::uint64_t LoadPrefix(const std::uint8_t* p, std::size_t available) {
  std::uint64_t x = 0;
  if (available >= 8) {
    std::memcpy(&x, p, 8);
    if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
    return x;
  }
  for (std::size_t k = 0; k < available; ++k) x |= static_cast<std::uint64_t>(p[k]) << (8 * k);
  return x;
}

// Tokens of up to 8 bytes (most words) are mixed directly; longer ones go
// through XXH3. The length is part of the hash. `readable` bytes from `data`
// on may be read (at least `length`).
inline std::uint64_t HashToken(const char* data, std::size_t length, std::size_t readable,
                               std::uint64_t seed) {
  if (length <= 8) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(data);
    std::uint64_t x = LoadPrefix(p, readable >= 8 ? 8 : length);
    if (length < 8) x &= (1ULL << (8 * length)) - 1;
    return Mix64((x ^ seed) + (length + 1) * 0x9e3779b97f4a7c15ULL);
  }
  return XXH3_64bits_withSeed(data, length, seed);
}

// The hash of a window of w token hashes, oldest first: the token hashes are
// already well mixed, so an odd-multiplier polynomial and one final mix do.
inline std::uint64_t CombineTokens(const std::uint64_t* window, int w) {
  std::uint64_t h = static_cast<std::uint64_t>(w);
  for (int k = 0; k < w; ++k) h = std::rotl(h * 0xff51afd7ed558ccdULL, 29) ^ window[k];
  return Mix64(h);
}

// Calls sink(hash) for every shingle of W consecutive tokens of `text`.
template <int W, typename Sink>
inline void ForEachWordShingleOf(std::string_view text, std::uint64_t seed, Sink&& sink) {
  std::uint64_t window[W] = {};  // the last W token hashes, oldest first
  int count = 0;
  ForEachToken(text, [&](std::size_t begin, std::size_t end) {
    const std::uint64_t t = HashToken(text.data() + begin, end - begin, text.size() - begin, seed);
    if constexpr (W == 1) {
      sink(t);
    } else {
      if (count < W) {
        window[count++] = t;
        if (count == W) sink(CombineTokens(window, W));
        return;
      }
      for (int k = 1; k < W; ++k) window[k - 1] = window[k];
      window[W - 1] = t;
      sink(CombineTokens(window, W));
    }
  });
  if (W > 1 && count > 0 && count < W) sink(CombineTokens(window, count));
}

template <typename Sink>
inline void ForEachWordShingle(std::string_view text, int w, std::uint64_t seed, Sink&& sink) {
  switch (w) {
    case 1: return ForEachWordShingleOf<1>(text, seed, sink);
    case 2: return ForEachWordShingleOf<2>(text, seed, sink);
    case 3: return ForEachWordShingleOf<3>(text, seed, sink);
    default: return ForEachWordShingleOf<4>(text, seed, sink);
  }
}

// Calls sink(hash) for every byte n-gram of `text`.
template <typename Sink>
inline void ForEachCharShingle(std::string_view text, int size, std::uint64_t seed, Sink&& sink) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t n = text.size();
  if (n == 0) return;
  const auto s = static_cast<std::size_t>(size);
  // The n-gram length is part of the salt, so a text shorter than one n-gram
  // (hashed whole, with its own length) cannot collide with a full n-gram.
  auto salt_of = [&](std::size_t length) {
    return Mix64(seed ^ 0x5851f42d4c957f2dULL ^ (length * 0x9e3779b97f4a7c15ULL));
  };
  if (n < s) {
    sink(Mix64(LoadPrefix(p, n) ^ salt_of(n)));
    return;
  }
  const std::uint64_t salt = salt_of(s);
  const std::uint64_t mask = s == 8 ? ~0ULL : ((1ULL << (8 * s)) - 1);
  const std::size_t last = n - s;       // the last n-gram starts here
  const std::size_t fast_end = n >= 8 ? n - 8 : 0;  // 8-byte loads stay inside up to here
  std::size_t i = 0;
  if (n >= 8) {
    for (; i <= fast_end && i <= last; ++i) {
      std::uint64_t x;
      std::memcpy(&x, p + i, 8);
      if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
      sink(Mix64((x & mask) ^ salt));
    }
  }
  for (; i <= last; ++i) sink(Mix64((LoadPrefix(p + i, n - i) & mask) ^ salt));
}

template <typename Sink>
inline void ForEachShingle(std::string_view text, const MinHashOptions& o, Sink&& sink) {
  if (o.shingles == ShingleKind::kWords) {
    ForEachWordShingle(text, o.shingle_size, o.seed, sink);
  } else {
    ForEachCharShingle(text, o.shingle_size, o.seed, sink);
  }
}

// --- One permutation hashing and densification --------------------------------

// The bin of a shingle hash is its top log2(K) bits; its value the low 32. A
// bin whose minimum is 0xFFFFFFFF counts as empty (chance 2^-32 per shingle),
// the same in every path, so sketches stay comparable.
struct Binner {
  int shift;
  std::uint32_t* mins;
  void operator()(std::uint64_t h) const {
    const auto bin = static_cast<std::size_t>(h >> shift);
    mins[bin] = std::min(mins[bin], static_cast<std::uint32_t>(h));
  }
};

// Shrivastava 2017: an empty bin j copies the first non-empty bin on its
// probe sequence h(j, 1), h(j, 2), ...; after 16K probes (probability about
// e^-16 per empty bin for a single shingle) it falls back to a circular scan.
// The first kCachedProbes probes of every bin are tabulated once per (seed, K)
// and thread.
constexpr int kCachedProbes = 32;

struct ProbeTable {
  std::uint64_t seed = 0;
  int k = 0;
  std::vector<std::uint16_t> probes;  // probes[j * kCachedProbes + a - 1] = h(j, a)
};

inline int Probe(std::uint64_t probe_salt, int j, std::uint64_t attempt, int shift) {
  return static_cast<int>(Mix64(probe_salt ^ (static_cast<std::uint64_t>(j) << 32) ^ attempt) >>
                          shift);
}

std::uint64_t ProbeSalt(std::uint64_t seed) { return Mix64(seed ^ 0xd1b54a32d192ed03ULL); }

const ProbeTable& ProbesFor(std::uint64_t seed, int k, int log2k) {
  thread_local ProbeTable table;
  if (table.k != k || table.seed != seed) {
    table.seed = seed;
    table.k = k;
    table.probes.resize(static_cast<std::size_t>(k) * kCachedProbes);
    const std::uint64_t salt = ProbeSalt(seed);
    for (int j = 0; j < k; ++j) {
      for (int a = 1; a <= kCachedProbes; ++a) {
        table.probes[static_cast<std::size_t>(j) * kCachedProbes + a - 1] =
            static_cast<std::uint16_t>(Probe(salt, j, static_cast<std::uint64_t>(a), 64 - log2k));
      }
    }
  }
  return table;
}

inline bool IsFilled(const std::uint64_t* filled, int b) { return (filled[b >> 6] >> (b & 63)) & 1; }

// The bin an empty bin j copies from; `filled` has bit b set for filled bins.
// Cached probes are tested eight at a time without branching: at the usual
// fill of a short prompt's sketch the first group hits, so the branch that
// ends the search is predictable.
int DensifySource(const std::uint64_t* filled, int j, int k, int log2k, const ProbeTable& table) {
  const std::uint16_t* cached = table.probes.data() + static_cast<std::size_t>(j) * kCachedProbes;
  for (int a = 0; a < kCachedProbes; a += 8) {
    unsigned hits = 0;
    for (int b = 0; b < 8; ++b) hits |= static_cast<unsigned>(IsFilled(filled, cached[a + b])) << b;
    if (hits != 0) return cached[a + std::countr_zero(hits)];
  }
  const std::uint64_t salt = ProbeSalt(table.seed);
  const std::uint64_t limit = 16u * static_cast<unsigned>(k);
  for (std::uint64_t attempt = kCachedProbes + 1; attempt <= limit; ++attempt) {
    const int next = Probe(salt, j, attempt, 64 - log2k);
    if (IsFilled(filled, next)) return next;
  }
  for (int step = 1;; ++step) {
    if (IsFilled(filled, (j + step) % k)) return (j + step) % k;
  }
}

// Sets bit j of `filled` when bin j holds a minimum; four bins per SSE2 compare.
void FilledMask(const std::uint32_t* mins, int k, std::uint64_t* filled) {
#if defined(__SSE2__)
  const __m128i unset = _mm_set1_epi32(-1);
  for (int j = 0; j < k; j += 4) {  // k is a power of two >= 8
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(mins + j));
    const auto empty = static_cast<std::uint64_t>(
        _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, unset))));
    filled[j >> 6] |= (~empty & 0xF) << (j & 63);
  }
#else
  for (int j = 0; j < k; ++j) {
    filled[j >> 6] |= static_cast<std::uint64_t>(mins[j] != kUnsetMin) << (j & 63);
  }
#endif
}

// Writes the densified 16-bit values; false (all kEmptyBin) when no bin is filled.
bool DensifyInto(const std::uint32_t* mins, int k, int log2k, std::uint64_t seed,
                 std::span<SketchValue> out) {
  const int words = (k + 63) / 64;
  std::uint64_t filled[kMaxHashes / 64] = {};
  FilledMask(mins, k, filled);
  bool any = false;
  for (int w = 0; w < words; ++w) any |= filled[w] != 0;
  if (!any) {
    std::fill(out.begin(), out.end(), kEmptyBin);
    return false;
  }
  // b-bit minwise hashing keeps the lowest 16 bits; 0xFFFF is the empty mark.
  for (int j = 0; j < k; ++j) {
    const auto low = static_cast<SketchValue>(mins[j]);
    out[j] = static_cast<SketchValue>(low - (low == kEmptyBin ? 1 : 0));
  }
  const ProbeTable& table = ProbesFor(seed, k, log2k);
  for (int w = 0; w < words; ++w) {
    // k < 64 leaves the high bits of the only word: they are not bins.
    std::uint64_t empty = ~filled[w] & (k >= 64 ? ~0ULL : (1ULL << k) - 1);
    for (; empty != 0; empty &= empty - 1) {
      const int j = w * 64 + std::countr_zero(empty);
      out[j] = out[DensifySource(filled, j, k, log2k, table)];
    }
  }
  return true;
}

int Log2(int k) { return std::countr_zero(static_cast<unsigned>(k)); }

void CheckSize(std::size_t actual, const MinHashOptions& o, const char* where) {
  if (actual != static_cast<std::size_t>(o.num_hashes)) {
    throw std::invalid_argument(std::string(where) + ": sketch has " + std::to_string(actual) +
                                " values, expected num_hashes = " + std::to_string(o.num_hashes));
  }
}

}  // namespace

void ValidateMinHashOptions(const MinHashOptions& o) {
  if (o.num_hashes < 8 || o.num_hashes > kMaxHashes || !std::has_single_bit(
                                                           static_cast<unsigned>(o.num_hashes))) {
    throw std::invalid_argument("MinHashOptions.num_hashes: expected a power of two in [8, " +
                                std::to_string(kMaxHashes) + "], got " +
                                std::to_string(o.num_hashes));
  }
  if (o.shingles == ShingleKind::kWords) {
    if (o.shingle_size < 1 || o.shingle_size > kMaxWordShingle) {
      throw std::invalid_argument("MinHashOptions.shingle_size: expected 1.." +
                                  std::to_string(kMaxWordShingle) + " words, got " +
                                  std::to_string(o.shingle_size));
    }
  } else if (o.shingles == ShingleKind::kCharacters) {
    if (o.shingle_size < 1 || o.shingle_size > kMaxCharShingle) {
      throw std::invalid_argument("MinHashOptions.shingle_size: expected 1.." +
                                  std::to_string(kMaxCharShingle) + " bytes, got " +
                                  std::to_string(o.shingle_size));
    }
  } else {
    throw std::invalid_argument("MinHashOptions.shingles: expected kWords or kCharacters, got " +
                                std::to_string(static_cast<int>(o.shingles)));
  }
}

std::vector<std::uint64_t> ShingleHashes(std::string_view template_text, const MinHashOptions& o) {
  ValidateMinHashOptions(o);
  std::vector<std::uint64_t> out;
  ForEachShingle(template_text, o, [&](std::uint64_t h) { out.push_back(h); });
  return out;
}

double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  std::vector<std::uint64_t> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  x.erase(std::unique(x.begin(), x.end()), x.end());
  std::sort(y.begin(), y.end());
  y.erase(std::unique(y.begin(), y.end()), y.end());
  if (x.empty() && y.empty()) return 0.0;
  std::vector<std::uint64_t> common;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
  const double both = static_cast<double>(common.size());
  return both / (static_cast<double>(x.size() + y.size()) - both);
}

bool SketchTemplate(std::string_view template_text, const MinHashOptions& o,
                    std::span<SketchValue> out) {
  ValidateMinHashOptions(o);
  CheckSize(out.size(), o, "SketchTemplate");
  std::uint32_t mins[kMaxHashes];
  std::fill_n(mins, o.num_hashes, kUnsetMin);
  const int log2k = Log2(o.num_hashes);
  ForEachShingle(template_text, o, Binner{64 - log2k, mins});
  return DensifyInto(mins, o.num_hashes, log2k, o.seed, out);
}

bool SketchFromShingleHashes(std::span<const std::uint64_t> shingle_hashes, const MinHashOptions& o,
                             std::span<SketchValue> out) {
  ValidateMinHashOptions(o);
  CheckSize(out.size(), o, "SketchFromShingleHashes");
  const int log2k = Log2(o.num_hashes);
  std::vector<std::uint32_t> mins(static_cast<std::size_t>(o.num_hashes), kUnsetMin);
  for (std::uint64_t h : shingle_hashes) {
    std::uint32_t& m = mins[h >> (64 - log2k)];
    m = std::min(m, static_cast<std::uint32_t>(h));
  }
  return DensifyInto(mins.data(), o.num_hashes, log2k, o.seed, out);
}

PromptSketches SketchTemplates(std::span<const std::string_view> templates, const MinHashOptions& o,
                               const SketchBatchOptions& b) {
  ValidateMinHashOptions(o);
  if (b.threads < 1) {
    throw std::invalid_argument("SketchBatchOptions.threads: expected >= 1, got " +
                                std::to_string(b.threads));
  }
  PromptSketches result{.options = o, .values = {}};
  const auto k = static_cast<std::size_t>(o.num_hashes);
  result.values.resize(templates.size() * k);
  // Chunks handed out in any order; each row depends only on its own text.
  constexpr std::size_t kChunk = 2048;
  const std::size_t chunks = (templates.size() + kChunk - 1) / kChunk;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t c = next++; c < chunks; c = next++) {
      const std::size_t end = std::min(templates.size(), (c + 1) * kChunk);
      for (std::size_t i = c * kChunk; i < end; ++i) {
        SketchTemplate(templates[i], o, {result.values.data() + i * k, k});
      }
    }
  };
  const auto extra = static_cast<std::size_t>(b.threads) - 1;
  std::vector<std::jthread> pool;
  for (std::size_t t = 0; t < std::min(extra, chunks > 0 ? chunks - 1 : 0); ++t) pool.emplace_back(work);
  work();
  return result;
}

int CountEqualBins(std::span<const SketchValue> a, std::span<const SketchValue> b) {
  int equal = 0;
  for (std::size_t j = 0; j < a.size(); ++j) equal += a[j] == b[j] ? 1 : 0;
  return equal;
}

bool IsEmptySketch(std::span<const SketchValue> sketch) {
  return sketch.empty() || sketch[0] == kEmptyBin;
}

double EstimateJaccard(std::span<const SketchValue> a, std::span<const SketchValue> b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("EstimateJaccard: sketch sizes differ: " +
                                std::to_string(a.size()) + " and " + std::to_string(b.size()));
  }
  if (IsEmptySketch(a) || IsEmptySketch(b)) return 0.0;
  return EstimateFromEqualBins(CountEqualBins(a, b), static_cast<int>(a.size()));
}

double EstimateFromEqualBins(int equal, int k) {
  if (k <= 0) return 0.0;
  constexpr double kChance = 1.0 / 65535.0;  // values are uniform over 0..0xFFFE
  const double share = static_cast<double>(equal) / static_cast<double>(k);
  return std::clamp((share - kChance) / (1.0 - kChance), 0.0, 1.0);
}

std::vector<std::uint8_t> SerializeSketch(std::span<const SketchValue> sketch,
                                          const MinHashOptions& o) {
  ValidateMinHashOptions(o);
  CheckSize(sketch.size(), o, "SerializeSketch");
  std::vector<std::uint8_t> bytes;
  bytes.reserve(12 + 2 * sketch.size());
  bytes.push_back(kFormatVersion);
  bytes.push_back(static_cast<std::uint8_t>(o.shingles));
  bytes.push_back(static_cast<std::uint8_t>(o.shingle_size));
  bytes.push_back(static_cast<std::uint8_t>(Log2(o.num_hashes)));
  for (int s = 0; s < 64; s += 8) bytes.push_back(static_cast<std::uint8_t>(o.seed >> s));
  for (SketchValue v : sketch) {
    bytes.push_back(static_cast<std::uint8_t>(v & 0xFF));
    bytes.push_back(static_cast<std::uint8_t>(v >> 8));
  }
  return bytes;
}

DeserializedSketch DeserializeSketch(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 12) {
    throw std::invalid_argument("DeserializeSketch: " + std::to_string(bytes.size()) +
                                " bytes, expected at least a 12-byte header");
  }
  if (bytes[0] != kFormatVersion) {
    throw std::invalid_argument("DeserializeSketch: format version " + std::to_string(bytes[0]) +
                                ", expected " + std::to_string(kFormatVersion));
  }
  if (bytes[3] > 10) {
    throw std::invalid_argument("DeserializeSketch: log2(num_hashes) " +
                                std::to_string(bytes[3]) + ", expected 3..10");
  }
  DeserializedSketch d;
  d.options.shingles = static_cast<ShingleKind>(bytes[1]);
  d.options.shingle_size = bytes[2];
  d.options.num_hashes = 1 << bytes[3];
  d.options.seed = 0;
  for (int s = 0; s < 8; ++s) d.options.seed |= static_cast<std::uint64_t>(bytes[4 + s]) << (8 * s);
  ValidateMinHashOptions(d.options);
  const std::size_t expected = 12 + 2 * static_cast<std::size_t>(d.options.num_hashes);
  if (bytes.size() != expected) {
    throw std::invalid_argument("DeserializeSketch: " + std::to_string(bytes.size()) +
                                " bytes, expected " + std::to_string(expected) + " for " +
                                std::to_string(d.options.num_hashes) + " values");
  }
  d.values.resize(static_cast<std::size_t>(d.options.num_hashes));
  for (std::size_t j = 0; j < d.values.size(); ++j) {
    d.values[j] = static_cast<SketchValue>(bytes[12 + 2 * j] | (bytes[13 + 2 * j] << 8));
  }
  return d;
}

}  // namespace ringscope

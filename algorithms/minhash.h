// MinHash sketches of prompt templates: compact signatures whose agreement
// estimates the Jaccard similarity of two templates' shingle sets, so that
// near-duplicate prompts (the same text with other topics, names or numbers
// slotted in, or lightly paraphrased) can be found without comparing texts.
//
// References:
//   Broder 1997, "On the resemblance and containment of documents" (MinHash,
//     w-shingling): P[min h(A) = min h(B)] = |A ∩ B| / |A ∪ B|.
//   Li & König 2010, "b-Bit minwise hashing" (WWW): keeping only the lowest b
//     bits of each minimum; the chance collision 2^-b is corrected for.
//   Li, Owen & Zhang 2012, "One permutation hashing" (NIPS): one hash per
//     shingle, the hash range split into K bins, one minimum per bin.
//   Shrivastava & Li 2014, "Densifying one permutation hashing via rotation"
//     (ICML), and Shrivastava 2017, "Optimal densification for fast and
//     accurate minwise hashing" (ICML): an empty bin borrows the value of the
//     first non-empty bin on its own pseudo-random probe sequence, which keeps
//     the collision probability equal to the Jaccard similarity.
//
// Input is a prompt template (ingest/normalize.h PromptTemplate: ASCII
// lower-cased, digit runs masked as '#', whitespace collapsed), as UTF-8
// bytes; invalid UTF-8 is hashed byte by byte, never rejected.
//
// Shingles (ShingleKind):
//   kWords: the text is split into tokens: runs of ASCII letters, digits and
//     '#' and of non-ASCII characters, separated by ASCII whitespace and
//     punctuation (dropped). Characters of scripts written without spaces
//     (CJK ideographs, kana, CJK compatibility and full-width forms) and
//     emoji/pictographs are tokens of one character each; combining marks,
//     variation selectors, zero-width joiners and emoji modifiers stay with
//     the token before them. A shingle is `shingle_size` consecutive tokens
//     (w-shingling); a text with fewer tokens is one shingle of all of them.
//     No Unicode normalisation: precomposed "é" and "e" + U+0301 differ.
//   kCharacters: every `shingle_size` consecutive bytes (1..8) of the UTF-8
//     text, spaces and punctuation included (7 bytes span two or three CJK
//     characters, or an emoji and its neighbours); a shorter non-empty text
//     is one shingle.
// The default, byte 7-grams and K = 64, was chosen by measurement
// (tools/bench/bench_minhash.cc quality, on generator prompts): slot-varied
// renders of one campaign template have exact Jaccard >= 0.55 (1st
// percentile; median 0.78) while pairs from different campaign families stay
// <= 0.32 (99th percentile) and unrelated benign prompts <= 0.20 (99th
// percentile). Word bigrams separate as well (0.53 / 0.31 / 0.22) but the
// tokenizer makes sketching about 2.5x slower; word unigrams separate worse
// (0.59 vs 0.47). K = 64 keeps 5M sketches in 640 MB; the estimate's standard
// error is sqrt(J(1-J)/64), 0.06 at J = 0.5.
//
// A sketch is K = num_hashes values of 16 bits (2K bytes, 128 bytes by
// default). Every bin of a non-empty text holds a value in 0..0xFFFE after
// densification; the sketch of a text without shingles (empty, or only
// punctuation and spaces in kWords) is all kEmptyBin, and its estimated
// similarity to anything, itself included, is 0.
//
// Determinism: a sketch is a pure function of the bytes and the options
// (seed included); batch sketching gives the same bytes for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

enum class ShingleKind : std::uint8_t { kWords = 0, kCharacters = 1 };

struct MinHashOptions {
  int num_hashes = 64;  // K bins: a power of two in [8, 1024]
  ShingleKind shingles = ShingleKind::kCharacters;
  int shingle_size = 7;    // bytes (1..8) for kCharacters, tokens (1..4) for kWords
  std::uint64_t seed = 0;  // different seeds, independent sketches
};

using SketchValue = std::uint16_t;
inline constexpr SketchValue kEmptyBin = 0xFFFF;

// Sketches of many templates, row-major: row i is values[i*K, (i+1)*K).
struct PromptSketches {
  MinHashOptions options;
  std::vector<SketchValue> values;

  std::size_t size() const {
    return options.num_hashes > 0 ? values.size() / static_cast<std::size_t>(options.num_hashes)
                                  : 0;
  }
  std::span<const SketchValue> row(std::size_t i) const {
    const auto k = static_cast<std::size_t>(options.num_hashes);
    return {values.data() + i * k, k};
  }
};

// Throws std::invalid_argument naming the field, the expected range and the
// value when `o` is outside the ranges above. O(1).
void ValidateMinHashOptions(const MinHashOptions& o);

// The 64-bit hashes of the distinct-or-not shingles of `template_text`, in
// text order (duplicates kept): the set the sketch summarises. Exposed for
// exact Jaccard measurements and the reference sketch; not a hot path.
// Throws as ValidateMinHashOptions. O(n) for n bytes.
std::vector<std::uint64_t> ShingleHashes(std::string_view template_text,
                                         const MinHashOptions& o = {});

// Exact Jaccard similarity of two shingle hash lists, as sets (0 if both are
// empty). O((a + b) log(a + b)).
double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

// The one-permutation sketch of `template_text` written to `out` (size must be
// o.num_hashes, else std::invalid_argument), with optimal densification.
// Returns false when the text has no shingles (out is then all kEmptyBin).
// No allocation. O(n + K) expected for n bytes, O(K^2) at worst (a text with
// a single shingle). Li, Owen & Zhang 2012; Shrivastava 2017.
bool SketchTemplate(std::string_view template_text, const MinHashOptions& o,
                    std::span<SketchValue> out);

// The same sketch built from a list of shingle hashes (as ShingleHashes
// returns); the slow, obviously-correct path SketchTemplate is tested
// against. O(h + K) expected.
bool SketchFromShingleHashes(std::span<const std::uint64_t> shingle_hashes, const MinHashOptions& o,
                             std::span<SketchValue> out);

struct SketchBatchOptions {
  int threads = 2;  // >= 1; results do not depend on it
};

// Sketches every template (row i of the result is the sketch of templates[i])
// on up to `b.threads` threads. Throws as ValidateMinHashOptions, or when
// threads < 1. O(total bytes + N K) work; memory 2 N K bytes.
PromptSketches SketchTemplates(std::span<const std::string_view> templates,
                               const MinHashOptions& o = {}, const SketchBatchOptions& b = {});

// Estimated Jaccard similarity: the share of equal bins, corrected for the
// 2^-16 chance that two different 16-bit minima agree (Li & König 2010),
// clamped to [0, 1]; 0 when either sketch is empty. The sketches must come
// from the same options; sizes must match (else std::invalid_argument). O(K).
double EstimateJaccard(std::span<const SketchValue> a, std::span<const SketchValue> b);

// The estimate EstimateJaccard gives for `equal` equal bins out of `k`, for
// callers that compare CountEqualBins against a threshold. O(1).
double EstimateFromEqualBins(int equal, int k);

// Number of equal bins (no correction, no emptiness check): the hot-loop
// primitive behind EstimateJaccard. Sizes must match; unchecked. O(K).
int CountEqualBins(std::span<const SketchValue> a, std::span<const SketchValue> b);

// True when `sketch` is the sketch of a text without shingles. O(1).
bool IsEmptySketch(std::span<const SketchValue> sketch);

// Bytes of one sketch for storage (a database BLOB): version byte (1), shingle
// kind, shingle size, log2(K), the seed as 8 bytes little-endian, then the K
// values as 16-bit little-endian: 12 + 2K bytes. Throws as
// ValidateMinHashOptions, or when the size is not K. O(K).
std::vector<std::uint8_t> SerializeSketch(std::span<const SketchValue> sketch,
                                          const MinHashOptions& o);

struct DeserializedSketch {
  MinHashOptions options;
  std::vector<SketchValue> values;
};

// Reads SerializeSketch's bytes back. Throws std::invalid_argument with the
// expected and actual value (version, kind, size, length) for bytes that are
// not a sketch of this format. O(K).
DeserializedSketch DeserializeSketch(std::span<const std::uint8_t> bytes);

}  // namespace ringscope

// Fuzzes the prompt sketcher (algorithms/minhash.h). The first input bytes
// pick the options (K = 8..1024, shingle kind and size, seed), the rest is the
// template text, read in place (libFuzzer's buffer is exactly its size, so an
// over-read is caught). Checks: the fast SketchTemplate equals the reference
// built from ShingleHashes, a non-empty sketch has no empty bin and estimates
// similarity 1 to itself, serialisation round-trips, and DeserializeSketch
// rejects arbitrary bytes with std::invalid_argument only.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "algorithms/minhash.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ringscope;
  try {
    (void)DeserializeSketch(std::span<const std::uint8_t>(data, size));
  } catch (const std::invalid_argument&) {
  }
  fuzz::OptionBytes option_bytes(data, size);
  const std::uint8_t shape = option_bytes.Next();
  const std::uint8_t shingles = option_bytes.Next();
  MinHashOptions o;
  // K = 8..256, and 1024 now and then: a text of one shingle costs O(K^2).
  o.num_hashes = 8 << (shape % 16 == 15 ? 7 : shape % 6);
  o.shingles = shingles & 1 ? ShingleKind::kWords : ShingleKind::kCharacters;
  o.shingle_size = o.shingles == ShingleKind::kWords ? 1 + (shingles >> 1) % 4 : 1 + (shingles >> 1) % 8;
  o.seed = option_bytes.Next() & 1 ? option_bytes.Next64() : 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::vector<std::uint64_t> hashes = ShingleHashes(text, o);
  std::vector<SketchValue> fast(o.num_hashes), reference(o.num_hashes);
  const bool filled = SketchTemplate(text, o, fast);
  const bool reference_filled = SketchFromShingleHashes(hashes, o, reference);
  FUZZ_CHECK(filled == reference_filled);
  FUZZ_CHECK(fast == reference);
  FUZZ_CHECK(filled == !hashes.empty());
  FUZZ_CHECK(IsEmptySketch(fast) == !filled);
  if (filled) {
    for (SketchValue v : fast) FUZZ_CHECK(v != kEmptyBin);
    FUZZ_CHECK(EstimateJaccard(fast, fast) == 1.0);
    FUZZ_CHECK(ExactJaccard(hashes, hashes) == 1.0);
  } else {
    FUZZ_CHECK(EstimateJaccard(fast, fast) == 0.0);
  }
  const std::vector<std::uint8_t> bytes = SerializeSketch(fast, o);
  const DeserializedSketch back = DeserializeSketch(bytes);
  FUZZ_CHECK(back.values == fast);
  FUZZ_CHECK(back.options.num_hashes == o.num_hashes && back.options.seed == o.seed &&
             back.options.shingles == o.shingles && back.options.shingle_size == o.shingle_size);
  return 0;
}

// How a database's prompt sketches are made, written down: the MinHash options
// (algorithms/minhash.h) as the JSON of settings 'prompt_sketch', and a sketch
// as the bytes of a prompt_sketches.sketch BLOB (db/schema_002_prompts.sql).
// A database is bound to the options of its first sketches, so that every
// later sketch stays comparable with them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "algorithms/minhash.h"

namespace ringscope {

// The settings key holding the options.
inline constexpr std::string_view kPromptSketchSetting = "prompt_sketch";

// {"num_hashes":64,"shingles":"characters","shingle_size":7,"seed":0}: every
// field, shingles as "characters" or "words". Throws std::invalid_argument as
// ValidateMinHashOptions for options out of range. O(1).
std::string PromptSketchSettingJson(const MinHashOptions& options);

// The options PromptSketchSettingJson wrote. Throws FormatError (ingest/
// ingest.h) naming what is wrong (not JSON, a missing, unknown or mistyped
// field, a value out of range) for anything else: sketches made with guessed
// options would not be comparable. O(|json|).
MinHashOptions ParsePromptSketchSetting(std::string_view json);

// A sketch as stored: its K values as 16-bit little-endian, 2K bytes. O(K).
std::vector<std::uint8_t> SketchBlob(std::span<const SketchValue> sketch);

// The values of a stored sketch. Throws FormatError when the size is odd. O(K).
std::vector<SketchValue> SketchFromBlob(std::span<const std::uint8_t> blob);

}  // namespace ringscope

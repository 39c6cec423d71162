#include "ingest/prompt_sketch.h"

#include <simdjson.h>

#include <stdexcept>

#include "ingest/ingest.h"

namespace ringscope {

namespace {

std::string_view ShingleName(ShingleKind kind) {
  return kind == ShingleKind::kWords ? "words" : "characters";
}

[[noreturn]] void Unreadable(std::string_view json, const std::string& why) {
  throw FormatError("setting '" + std::string(kPromptSketchSetting) + "' = '" +
                    std::string(json.substr(0, 200)) + "' is unreadable: " + why +
                    " (expected e.g. " + PromptSketchSettingJson(MinHashOptions{}) + ")");
}

// An integer field into an int, range-checked by ValidateMinHashOptions later.
int SmallInt(std::string_view json, std::string_view key, std::int64_t value) {
  if (value < -(1 << 30) || value > (1 << 30)) {
    Unreadable(json, "'" + std::string(key) + "' is out of range: " + std::to_string(value));
  }
  return static_cast<int>(value);
}

}  // namespace

std::string PromptSketchSettingJson(const MinHashOptions& options) {
  ValidateMinHashOptions(options);
  return "{\"num_hashes\":" + std::to_string(options.num_hashes) + ",\"shingles\":\"" +
         std::string(ShingleName(options.shingles)) +
         "\",\"shingle_size\":" + std::to_string(options.shingle_size) +
         ",\"seed\":" + std::to_string(options.seed) + "}";
}

MinHashOptions ParsePromptSketchSetting(std::string_view json) {
  simdjson::ondemand::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
    Unreadable(json, "not a JSON object");
  }
  MinHashOptions options;
  bool seen[4] = {false, false, false, false};
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) Unreadable(json, "malformed JSON");
    simdjson::ondemand::value value;
    if (field.value().get(value)) Unreadable(json, "malformed JSON");
    if (key == "num_hashes" || key == "shingle_size") {
      std::int64_t number = 0;
      if (value.get_int64().get(number)) Unreadable(json, "'" + std::string(key) + "' is not an integer");
      const bool hashes = key == "num_hashes";
      (hashes ? options.num_hashes : options.shingle_size) = SmallInt(json, key, number);
      seen[hashes ? 0 : 2] = true;
    } else if (key == "shingles") {
      std::string_view name;
      if (value.get_string().get(name)) Unreadable(json, "'shingles' is not a string");
      if (name == "characters") {
        options.shingles = ShingleKind::kCharacters;
      } else if (name == "words") {
        options.shingles = ShingleKind::kWords;
      } else {
        Unreadable(json, "'shingles' must be \"characters\" or \"words\", got \"" +
                             std::string(name) + "\"");
      }
      seen[1] = true;
    } else if (key == "seed") {
      if (value.get_uint64().get(options.seed)) {
        Unreadable(json, "'seed' is not an unsigned 64-bit integer");
      }
      seen[3] = true;
    } else {
      Unreadable(json, "unknown field '" + std::string(key) + "'");
    }
  }
  // Stage 1 indexed every token: anything left after the object is garbage.
  if (!doc.current_location().error()) Unreadable(json, "trailing content after the JSON object");
  constexpr const char* kNames[] = {"num_hashes", "shingles", "shingle_size", "seed"};
  for (int i = 0; i < 4; ++i) {
    if (!seen[i]) Unreadable(json, std::string("missing field '") + kNames[i] + "'");
  }
  try {
    ValidateMinHashOptions(options);
  } catch (const std::invalid_argument& e) {
    Unreadable(json, e.what());
  }
  return options;
}

std::vector<std::uint8_t> SketchBlob(std::span<const SketchValue> sketch) {
  std::vector<std::uint8_t> blob(sketch.size() * 2);
  for (std::size_t i = 0; i < sketch.size(); ++i) {
    blob[2 * i] = static_cast<std::uint8_t>(sketch[i] & 0xFF);
    blob[2 * i + 1] = static_cast<std::uint8_t>(sketch[i] >> 8);
  }
  return blob;
}

std::vector<SketchValue> SketchFromBlob(std::span<const std::uint8_t> blob) {
  if (blob.size() % 2 != 0) {
    throw FormatError("a prompt sketch has an even number of bytes, got " +
                      std::to_string(blob.size()));
  }
  std::vector<SketchValue> sketch(blob.size() / 2);
  for (std::size_t i = 0; i < sketch.size(); ++i) {
    sketch[i] = static_cast<SketchValue>(blob[2 * i] | blob[2 * i + 1] << 8);
  }
  return sketch;
}

}  // namespace ringscope

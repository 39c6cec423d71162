// Fuzzes ReadSource, the whole per-file path of `ringscope ingest` short of the
// store: the input is written to a file whose name (picked by the first byte)
// ends in .csv, .jsonl, .csv.gz or .csv.zst, so format detection from name and header,
// every table reader (signals, accounts, links, analyst lists), the request
// log reader and the decompressors all see arbitrary bytes. Checks: only the
// documented exceptions (FormatError, StrictModeError) escape, and every data
// row is ingested or rejected (rows_read = rows_ingested + rows_rejected).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "ingest/ingest.h"

namespace {

// A directory of this process's own, removed at exit.
struct ScratchDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("ringscope-fuzz-" + std::to_string(::getpid()));
  ScratchDir() { std::filesystem::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

constexpr const char* kNames[] = {"input.csv", "input.jsonl", "input.csv.gz", "input.csv.zst"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ringscope;
  fuzz::OptionBytes option_bytes(data, size);
  const std::uint8_t config = option_bytes.Next();
  static const ScratchDir scratch;
  const std::string path = (scratch.path / kNames[config & 3]).string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  IngestOptions options;
  options.threads = 1;
  options.strict = config & 4;
  if (config & 8) options.list_name = "allow";
  if (config & 16) options.max_line_bytes = 128;
  if (config & 32) options.extra_kinds = {"org_id"};
  try {
    const SourceBatch batch = ReadSource(path, options);
    const SourceInfo& s = batch.source;
    FUZZ_CHECK(s.rows_read == s.rows_ingested + s.rows_rejected);
    // A broken compressed stream is one more reject, recorded after the rows.
    FUZZ_CHECK(static_cast<std::int64_t>(batch.rejects.size()) >= s.rows_rejected);
    FUZZ_CHECK(static_cast<std::int64_t>(batch.rejects.size()) <= s.rows_rejected + 1);
    FUZZ_CHECK(s.size == static_cast<std::int64_t>(size) && s.sha256.size() == 64);
    for (const ObservationAggregate& o : batch.observations)
      FUZZ_CHECK(o.account < batch.accounts.size() && o.value < batch.values.size());
    for (const LinkRecord& l : batch.links)
      FUZZ_CHECK(l.src < batch.accounts.size() && l.dst < batch.accounts.size());
  } catch (const FormatError&) {
  } catch (const StrictModeError&) {
    FUZZ_CHECK(options.strict);
  }
  return 0;
}

#include "ingest/request_log.h"

#include <simdjson.h>

#include <spdlog/spdlog.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "ingest/normalize.h"
#include "ingest/text_util.h"

namespace ringscope {

namespace {

// About this many bytes of lines per block: large enough that handing blocks
// between threads costs nothing, small enough that a few in flight stay cheap.
constexpr std::size_t kBlockBytes = 1 << 20;

// ---- Kinds --------------------------------------------------------------------

// The kinds a request log can yield, with small ids: the declared ones
// (built-in, then extra), which JSON keys are matched against, then the
// derived `subnet` unless it was declared too.
class KindTable {
 public:
  explicit KindTable(const std::vector<std::string>& extra) {
    for (std::string_view kind : kBuiltinKinds) Add(kind);
    for (const std::string& kind : extra) Add(kind);
    declared_ = names_.size();
    Add(kDerivedSubnetKind);
    prompt_ = Id("prompt");
  }
  // The id of a declared kind, or -1 (the key is not a signal).
  int Declared(std::string_view key) const {
    for (std::size_t i = 0; i < declared_; ++i) {
      if (names_[i] == key) return static_cast<int>(i);
    }
    return -1;
  }
  // The id of any kind NormalizeSignal yields for a declared kind.
  std::uint16_t Id(std::string_view kind) const {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == kind) return static_cast<std::uint16_t>(i);
    }
    throw std::logic_error("normalisation yielded the undeclared kind '" + std::string(kind) + "'");
  }
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t id) const { return names_[id]; }
  std::uint64_t seed(std::size_t id) const { return seeds_[id]; }
  std::uint16_t prompt() const { return prompt_; }

 private:
  void Add(std::string_view kind) {
    if (std::find(names_.begin(), names_.end(), kind) != names_.end()) return;
    names_.emplace_back(kind);
    seeds_.push_back(BatchBuilder::KindSeed(kind));
  }
  std::vector<std::string> names_;
  std::vector<std::uint64_t> seeds_;
  std::size_t declared_ = 0;
  std::uint16_t prompt_ = 0;
};

// ---- What a worker makes of a block ----------------------------------------------

struct ParsedSignal {
  std::uint64_t hash;  // BatchBuilder::ValueHash under the kind's seed
  std::uint32_t offset;  // value bytes in ParsedBlock::arena
  std::uint32_t size;
  // A prompt's full template in the arena (size 0 for other kinds). Every
  // row carries it: the aggregator keeps a value's first, in file order, and
  // a copy costs less than a lookup in a set of the fingerprints seen.
  std::uint32_t template_offset = 0;
  std::uint32_t template_size = 0;
  std::uint16_t kind;  // KindTable id
};

// One data row (blank lines have none), ingested or rejected.
struct ParsedRow {
  std::uint32_t line = 0;   // index of its line in the block
  std::int32_t reject = -1;  // index into ParsedBlock::rejects, or -1: ingested
  std::uint32_t account_offset = 0;
  std::uint32_t account_size = 0;
  std::uint64_t account_hash = 0;
  Timestamp ts = kNoTimestamp;
  std::uint32_t signals_begin = 0;  // range in ParsedBlock::signals
  std::uint32_t signals_end = 0;
  std::uint32_t prompt_offset = 0;  // example text (already truncated) in the arena
  std::uint32_t prompt_size = 0;
};

struct ParsedBlock {
  std::string arena;  // bytes of accounts, values and prompt texts
  std::vector<ParsedRow> rows;
  std::vector<ParsedSignal> signals;
  std::vector<RejectRecord> rejects;  // line: index in the block
  std::vector<std::pair<std::string, std::int64_t>> skipped;  // key -> times
  std::int64_t lines = 0;

  void Clear() {
    arena.clear();
    rows.clear();
    signals.clear();
    rejects.clear();
    skipped.clear();
    lines = 0;
  }
  std::string_view Text(std::uint32_t offset, std::uint32_t size) const {
    return std::string_view(arena).substr(offset, size);
  }
  std::uint32_t Append(std::string_view bytes) {
    if (arena.size() + bytes.size() > 0xFFFFFFFFu) throw std::length_error("block arena over 4 GiB");
    const auto offset = static_cast<std::uint32_t>(arena.size());
    arena.append(bytes);
    return offset;
  }
  void Skip(std::string_view key) {
    for (auto& [name, times] : skipped) {
      if (name == key) {
        ++times;
        return;
      }
    }
    skipped.emplace_back(std::string(key), 1);
  }
};

// ---- Parsing one line ------------------------------------------------------------

std::string JsonError(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::DEPTH_ERROR: return "JSON nested too deeply";
    default: return std::string("malformed JSON (") + simdjson::error_message(code) + ")";
  }
}

using text::IsBlank;
using text::Shorten;
using text::StripBom;

// At most kMaxPromptExampleBytes, never splitting a UTF-8 sequence (as
// BatchBuilder::AddPromptExample keeps it).
std::string_view ExampleText(std::string_view text) {
  std::size_t size = std::min(text.size(), kMaxPromptExampleBytes);
  while (size < text.size() && size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80)
    --size;
  return text.substr(0, size);
}

struct JsonField {
  int kind;  // KindTable id of a declared kind
  std::string_view raw;
};

// Parses, validates and normalises lines into a ParsedBlock. One per thread.
class BlockParser {
 public:
  BlockParser(const IngestOptions& options, const KindTable& kinds)
      : options_(options), kinds_(kinds) {}

  // `first_block`: the block starts at the file's first line (BOM allowed).
  void Parse(const LineBlock& block, bool first_block, ParsedBlock& out);

 private:
  void ParseLine(std::string_view text, std::size_t capacity, std::uint32_t line,
                 ParsedBlock& out);
  bool ParseJson(std::string_view line, std::size_t capacity, ParsedBlock& out);
  bool ReadValue(std::string_view key, int kind, simdjson::ondemand::value value,
                 ParsedBlock& out);
  bool ReadTimestamp(simdjson::ondemand::value value);
  // Appends the prompt signal of `raw` (if any) to signals_, its template to templates_.
  void AddPrompt(std::string_view raw);
  void Reject(std::uint32_t line, std::string field, std::string reason, std::string_view raw,
              ParsedBlock& out);

  const IngestOptions& options_;
  const KindTable& kinds_;
  simdjson::ondemand::parser parser_;
  // The current line's pieces; views into the block or simdjson's buffers.
  std::string_view account_;
  Timestamp ts_ = kNoTimestamp;
  std::vector<JsonField> fields_;
  std::string_view prompt_text_;
  std::string field_, reason_;
  std::vector<Signal> signals_;
  std::vector<std::uint16_t> signal_kinds_;  // KindTable id per signal
  std::vector<std::string> templates_;  // per prompt signal of the line, in order
  std::string error_;
};

// NormalizeSignal's rule for a prompt (normalize.h), keeping the template.
void BlockParser::AddPrompt(std::string_view raw) {
  std::string tmpl = PromptTemplate(TrimAscii(raw));
  if (tmpl.empty()) return;  // whitespace only: not a signal
  signals_.push_back({"prompt", PromptFingerprint(tmpl)});
  templates_.push_back(std::move(tmpl));
}

void BlockParser::Parse(const LineBlock& block, bool first_block, ParsedBlock& out) {
  out.Clear();
  const char* const begin = block.data();
  const char* const end = begin + block.size();
  const char* const allocated_end = end + kLineBlockPadding;
  std::uint32_t line = 0;
  for (const char* p = begin; p < end; ++line) {
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* line_end = newline != nullptr ? newline : end;
    std::string_view text(p, static_cast<std::size_t>(line_end - p));
    const bool too_long = block.truncated_line() || text.size() > options_.max_line_bytes;
    if (too_long) {
      Reject(line, "", "line longer than " + std::to_string(options_.max_line_bytes) +
                           " bytes (raise --max-line-bytes)",
             text.substr(0, options_.max_line_bytes), out);
    } else {
      if (first_block && line == 0) text = StripBom(text);
      if (!IsBlank(text)) ParseLine(text, static_cast<std::size_t>(allocated_end - text.data()), line, out);
    }
    p = newline != nullptr ? newline + 1 : end;
  }
  out.lines = line;
}

void BlockParser::Reject(std::uint32_t line, std::string field, std::string reason,
                         std::string_view raw, ParsedBlock& out) {
  out.rows.push_back(ParsedRow{.line = line, .reject = static_cast<std::int32_t>(out.rejects.size())});
  out.rejects.push_back(RejectRecord{.line = line,
                                     .field = std::move(field),
                                     .reason = std::move(reason),
                                     .raw = std::string(raw.substr(0, kMaxRejectRawBytes))});
}

void BlockParser::ParseLine(std::string_view text, std::size_t capacity, std::uint32_t line,
                            ParsedBlock& out) {
  if (!ParseJson(text, capacity, out)) {
    Reject(line, std::move(field_), std::move(reason_), text, out);
    return;
  }
  if (account_.empty()) {
    Reject(line, "account", "missing account", text, out);
    return;
  }
  if (account_.size() > options_.max_account_bytes) {
    Reject(line, "account",
           "account id longer than " + std::to_string(options_.max_account_bytes) + " bytes", text,
           out);
    return;
  }
  signals_.clear();
  signal_kinds_.clear();
  templates_.clear();
  for (const JsonField& f : fields_) {
    const std::string& kind = kinds_.name(static_cast<std::size_t>(f.kind));
    if (f.kind == kinds_.prompt()) {
      AddPrompt(f.raw);
      signal_kinds_.resize(signals_.size(), kinds_.prompt());
      continue;
    }
    bool ok;
    if (f.raw.size() > options_.max_value_bytes) {
      error_ = "value longer than " + std::to_string(options_.max_value_bytes) + " bytes";
      ok = false;
    } else {
      ok = NormalizeSignal(kind, f.raw, options_.normalize, signals_, error_);
    }
    if (!ok) {
      Reject(line, kind, std::move(error_), text, out);
      return;
    }
    // Signals come in the field's kind, but for derived ones (ip's subnet).
    for (std::size_t j = signal_kinds_.size(); j < signals_.size(); ++j) {
      signal_kinds_.push_back(signals_[j].kind == kind ? static_cast<std::uint16_t>(f.kind)
                                                       : kinds_.Id(signals_[j].kind));
    }
  }
  ParsedRow row{.line = line};
  row.account_offset = out.Append(account_);
  row.account_size = static_cast<std::uint32_t>(account_.size());
  row.account_hash = BatchBuilder::AccountHash(account_);
  row.ts = ts_;
  row.signals_begin = static_cast<std::uint32_t>(out.signals.size());
  std::size_t prompts = 0;
  for (std::size_t j = 0; j < signals_.size(); ++j) {
    const Signal& signal = signals_[j];
    const std::uint16_t kind = signal_kinds_[j];
    ParsedSignal parsed{.hash = BatchBuilder::ValueHash(kinds_.seed(kind), signal.value),
                        .offset = out.Append(signal.value),
                        .size = static_cast<std::uint32_t>(signal.value.size()),
                        .kind = kind};
    if (kind == kinds_.prompt()) {
      const std::string& tmpl = templates_[prompts++];
      parsed.template_offset = out.Append(tmpl);
      parsed.template_size = static_cast<std::uint32_t>(tmpl.size());
    }
    out.signals.push_back(parsed);
  }
  row.signals_end = static_cast<std::uint32_t>(out.signals.size());
  const std::string_view example = ExampleText(prompt_text_);
  row.prompt_offset = out.Append(example);
  row.prompt_size = static_cast<std::uint32_t>(example.size());
  out.rows.push_back(row);
}

bool BlockParser::ReadValue(std::string_view key, int kind, simdjson::ondemand::value value,
                            ParsedBlock& out) {
  using simdjson::ondemand::json_type;
  json_type type;
  if (auto code = value.type().get(type)) {
    reason_ = JsonError(code);
    return false;
  }
  const bool is_prompt = kind == kinds_.prompt();
  std::string_view text;
  switch (type) {
    case json_type::null:
      out.Skip(key);
      return true;
    case json_type::string:
      if (auto code = value.get_string().get(text)) {
        reason_ = JsonError(code);
        return false;
      }
      if (text.empty()) {
        out.Skip(key);
      } else {
        fields_.push_back({kind, text});
        if (is_prompt) prompt_text_ = text;
      }
      return true;
    case json_type::number:
      // Phones and ids sometimes arrive as bare numbers: keep their text.
      fields_.push_back({kind, TrimAscii(value.raw_json_token())});
      return true;
    case json_type::array: {
      simdjson::ondemand::array array;
      if (auto code = value.get_array().get(array)) {
        reason_ = JsonError(code);
        return false;
      }
      for (auto element : array) {
        if (auto code = element.get_string().get(text)) {
          reason_ = code == simdjson::INCORRECT_TYPE ? "expected an array of strings"
                                                     : JsonError(code);
          return false;
        }
        if (!text.empty()) {
          fields_.push_back({kind, text});
          if (is_prompt && prompt_text_.empty()) prompt_text_ = text;
        }
      }
      return true;
    }
    default:
      reason_ = "expected a string or an array of strings";
      return false;
  }
}

bool BlockParser::ReadTimestamp(simdjson::ondemand::value value) {
  std::string_view text;
  simdjson::ondemand::json_type type;
  if (auto code = value.type().get(type)) {
    reason_ = JsonError(code);
    return false;
  }
  if (type == simdjson::ondemand::json_type::null) return true;
  if (type == simdjson::ondemand::json_type::string) {
    if (auto code = value.get_string().get(text)) {
      reason_ = JsonError(code);
      return false;
    }
  } else {
    text = TrimAscii(value.raw_json_token());
  }
  auto parsed = ParseTimestamp(text);
  if (!parsed) {
    reason_ = "bad timestamp '" + Shorten(text) + "' (expected RFC 3339 or Unix seconds)";
    return false;
  }
  ts_ = *parsed;
  return true;
}

// The line is parsed in place: the block holds `capacity` readable bytes from
// line.data() on, at least simdjson's padding past its end.
bool BlockParser::ParseJson(std::string_view line, std::size_t capacity, ParsedBlock& out) {
  account_ = {};
  ts_ = kNoTimestamp;
  fields_.clear();
  prompt_text_ = {};
  field_.clear();
  simdjson::ondemand::document doc;
  if (auto code = parser_.iterate(line.data(), line.size(), capacity).get(doc)) {
    reason_ = JsonError(code);
    return false;
  }
  simdjson::ondemand::object object;
  if (auto code = doc.get_object().get(object)) {
    reason_ = code == simdjson::INCORRECT_TYPE ? "not a JSON object" : JsonError(code);
    return false;
  }
  bool has_account = false;
  for (auto member : object) {
    std::string_view key;
    if (auto code = member.unescaped_key().get(key)) {
      reason_ = JsonError(code);
      return false;
    }
    simdjson::ondemand::value value;
    if (auto code = member.value().get(value)) {
      reason_ = JsonError(code);
      return false;
    }
    if (key == "account") {
      field_ = "account";
      if (auto code = value.get_string().get(account_)) {
        reason_ = code == simdjson::INCORRECT_TYPE ? "account must be a string" : JsonError(code);
        return false;
      }
      account_ = TrimAscii(account_);
      has_account = true;
    } else if (key == "ts") {
      field_ = "ts";
      if (!ReadTimestamp(value)) return false;
    } else if (const int kind = kinds_.Declared(key); kind >= 0) {
      field_.assign(key);
      if (!ReadValue(key, kind, value, out)) return false;
    } else {
      out.Skip(key);
    }
  }
  field_.clear();
  // Stage 1 indexed every token: anything left after the object is garbage.
  if (!doc.current_location().error()) {
    reason_ = "trailing content after the JSON object";
    return false;
  }
  if (!has_account) {
    field_ = "account";
    reason_ = "missing account";
    return false;
  }
  return true;
}

// ---- Threads -----------------------------------------------------------------------

// A ring of block slots: the reader fills them in order, workers parse any
// filled one, the calling thread consumes them in order and frees them.
class Pipeline {
 public:
  struct Slot {
    enum class State { kFree, kRead, kParsing, kParsed };
    LineBlock block;
    ParsedBlock parsed;
    State state = State::kFree;
  };

  Pipeline(const IngestOptions& options, const KindTable& kinds, ByteSource& bytes,
           const Line& first, std::vector<char> pending, bool source_more);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The next block in file order, parsed; nullptr after the last one.
  // Rethrows what a thread threw.
  const Slot* Next();
  // The block Next() returned is done with.
  void Release();
  // Stops the threads (if still running) and waits for them. Idempotent.
  void Join();
  // CPU seconds the reading thread and the workers used (final after Join).
  double reader_cpu_seconds() const { return reader_cpu_ns_ * 1e-9; }
  double worker_cpu_seconds() const { return worker_cpu_ns_ * 1e-9; }

 private:
  void ReadLoop(LineBlockReader reader);
  void WorkLoop();
  void Fail(std::exception_ptr error);

  const IngestOptions& options_;
  const KindTable& kinds_;
  std::vector<Slot> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::int64_t read_ = 0;      // blocks handed out by the reader so far
  std::int64_t claimed_ = 0;   // blocks taken by workers so far
  std::int64_t consumed_ = 0;  // blocks released by the caller so far
  bool reading_done_ = false;  // read_ is the total
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
  std::atomic<std::int64_t> reader_cpu_ns_{0};
  std::atomic<std::int64_t> worker_cpu_ns_{0};
};

std::int64_t ThreadCpuNanoseconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Adds the CPU time of the thread it lives on to `total` when it goes.
class ThreadCpuTally {
 public:
  explicit ThreadCpuTally(std::atomic<std::int64_t>& total) : total_(total) {}
  ~ThreadCpuTally() { total_ += ThreadCpuNanoseconds(); }
  ThreadCpuTally(const ThreadCpuTally&) = delete;
  ThreadCpuTally& operator=(const ThreadCpuTally&) = delete;

 private:
  std::atomic<std::int64_t>& total_;
};

Pipeline::Pipeline(const IngestOptions& options, const KindTable& kinds, ByteSource& bytes,
                   const Line& first, std::vector<char> pending, bool source_more)
    : options_(options), kinds_(kinds) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const auto workers =
      static_cast<std::size_t>(options.threads > 0 ? options.threads : static_cast<int>(cores));
  slots_.resize(2 * workers + 2);
  // The first line was read to detect the format: it is block 0.
  LineBlockReader::SetLine(slots_[0].block, first, bytes.raw_bytes_read());
  slots_[0].state = Slot::State::kRead;
  read_ = 1;
  LineBlockReader reader(bytes, options.max_line_bytes, kBlockBytes, std::move(pending),
                         !source_more);
  try {
    threads_.emplace_back(&Pipeline::ReadLoop, this, std::move(reader));
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back(&Pipeline::WorkLoop, this);
  } catch (...) {
    Fail(std::current_exception());
    for (std::thread& thread : threads_) thread.join();
    throw;
  }
}

Pipeline::~Pipeline() { Join(); }

void Pipeline::Join() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void Pipeline::Fail(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
    stop_ = true;
  }
  changed_.notify_all();
}

void Pipeline::ReadLoop(LineBlockReader reader) {
  ThreadCpuTally tally(reader_cpu_ns_);
  try {
    for (std::int64_t seq = 1;; ++seq) {
      Slot& slot = slots_[static_cast<std::size_t>(seq) % slots_.size()];
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || slot.state == Slot::State::kFree; });
        if (stop_) return;
      }
      // A free slot belongs to the reader until it is marked read.
      const bool more = reader.Next(slot.block);
      {
        std::lock_guard lock(mutex_);
        if (more) {
          slot.state = Slot::State::kRead;
          read_ = seq + 1;
        } else {
          reading_done_ = true;
        }
      }
      changed_.notify_all();
      if (!more) return;
    }
  } catch (...) {
    Fail(std::current_exception());
  }
}

void Pipeline::WorkLoop() {
  ThreadCpuTally tally(worker_cpu_ns_);
  try {
    BlockParser parser(options_, kinds_);
    while (true) {
      std::int64_t seq;
      Slot* slot;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || claimed_ < read_ || reading_done_; });
        if (stop_ || claimed_ >= read_) return;  // stopped, or every block is taken
        seq = claimed_++;
        slot = &slots_[static_cast<std::size_t>(seq) % slots_.size()];
        slot->state = Slot::State::kParsing;
      }
      parser.Parse(slot->block, seq == 0, slot->parsed);
      {
        std::lock_guard lock(mutex_);
        slot->state = Slot::State::kParsed;
      }
      changed_.notify_all();
    }
  } catch (...) {
    Fail(std::current_exception());
  }
}

const Pipeline::Slot* Pipeline::Next() {
  std::unique_lock lock(mutex_);
  Slot& slot = slots_[static_cast<std::size_t>(consumed_) % slots_.size()];
  changed_.wait(lock, [&] {
    return stop_ || (consumed_ < read_ && slot.state == Slot::State::kParsed) ||
           (reading_done_ && consumed_ >= read_);
  });
  if (error_) std::rethrow_exception(error_);
  if (stop_ || consumed_ >= read_) return nullptr;
  return &slot;
}

void Pipeline::Release() {
  {
    std::lock_guard lock(mutex_);
    slots_[static_cast<std::size_t>(consumed_) % slots_.size()].state = Slot::State::kFree;
    ++consumed_;
  }
  changed_.notify_all();
}

// ---- Aggregation in file order ---------------------------------------------------------

// Feeds parsed blocks to the builder in three passes per block: the values of
// every row, then the accounts, then the rows in order (rejects, counts,
// observations). Ids still come out in order of first appearance, as values,
// accounts and pairs each keep their own order; what the passes buy is that
// hash slots can be prefetched well ahead, since the builder's tables outgrow
// the caches and lookups are its cost.
class Aggregator {
 public:
  Aggregator(const std::string& path, const IngestOptions& options, const KindTable& kinds,
             BatchBuilder& builder)
      : path_(path), options_(options), prompt_kind_(kinds.prompt()), builder_(builder) {
    for (std::size_t i = 0; i < kinds.size(); ++i) kind_ids_.push_back(builder.Kind(kinds.name(i)));
  }

  // `first_line`: the file line number of the block's first line.
  void Add(const ParsedBlock& block, std::int64_t first_line) {
    Values(block);
    Accounts(block);
    Rows(block, first_line);
    for (const auto& [key, times] : block.skipped) builder_.SkipField(key, times);
  }

 private:
  void Values(const ParsedBlock& block) {
    constexpr std::size_t kSlotAhead = 16, kEntryAhead = 8;
    const std::size_t n = block.signals.size();
    values_.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      if (j + kSlotAhead < n) builder_.PrefetchValue(block.signals[j + kSlotAhead].hash);
      if (j + kEntryAhead < n) builder_.PrefetchValueEntry(block.signals[j + kEntryAhead].hash);
      const ParsedSignal& signal = block.signals[j];
      values_[j] = builder_.Value(kind_ids_[signal.kind], block.Text(signal.offset, signal.size),
                                  signal.hash);
    }
  }

  void Accounts(const ParsedBlock& block) {
    constexpr std::size_t kAhead = 8;
    const std::size_t n = block.rows.size();
    signal_accounts_.resize(block.signals.size());
    for (std::size_t r = 0; r < n; ++r) {
      if (r + kAhead < n && block.rows[r + kAhead].reject < 0)
        builder_.PrefetchAccount(block.rows[r + kAhead].account_hash);
      const ParsedRow& row = block.rows[r];
      if (row.reject >= 0) continue;
      const std::uint32_t account =
          builder_.Account(block.Text(row.account_offset, row.account_size), row.account_hash);
      std::fill(signal_accounts_.begin() + row.signals_begin,
                signal_accounts_.begin() + row.signals_end, account);
      row_accounts_.push_back(account);
    }
  }

  void Rows(const ParsedBlock& block, std::int64_t first_line) {
    constexpr std::size_t kAhead = 8;
    SourceInfo& source = builder_.batch().source;
    const std::size_t signals = block.signals.size();
    std::size_t ingested = 0;
    for (const ParsedRow& row : block.rows) {
      if (row.reject >= 0) {
        const RejectRecord& reject = block.rejects[static_cast<std::size_t>(row.reject)];
        const std::int64_t line = first_line + row.line;
        if (options_.strict) throw StrictModeError(path_, line, reject.field, reject.reason);
        ++source.rows_read;
        ++source.rows_rejected;
        builder_.Reject(line, reject.field, reject.reason, reject.raw);
        continue;
      }
      const std::uint32_t account = row_accounts_[ingested++];
      builder_.CountRequest(account, row.ts);
      const std::string_view prompt_text = block.Text(row.prompt_offset, row.prompt_size);
      for (std::uint32_t s = row.signals_begin; s < row.signals_end; ++s) {
        if (s + kAhead < signals)
          builder_.PrefetchObservation(signal_accounts_[s + kAhead], values_[s + kAhead]);
        const ParsedSignal& signal = block.signals[s];
        if (signal.kind == prompt_kind_) {
          builder_.ObservePrompt(account, values_[s], row.ts, prompt_text);
          if (!builder_.HasPromptTemplate(values_[s])) {
            builder_.KeepPromptTemplate(values_[s],
                                        block.Text(signal.template_offset, signal.template_size));
          }
        } else {
          builder_.Observe(account, values_[s], row.ts);
        }
      }
      ++source.rows_read;
      ++source.rows_ingested;
    }
    row_accounts_.clear();
  }

  const std::string& path_;
  const IngestOptions& options_;
  std::vector<std::uint16_t> kind_ids_;  // KindTable id -> builder kind id
  std::uint16_t prompt_kind_;            // KindTable id
  BatchBuilder& builder_;
  std::vector<std::uint32_t> values_;           // per signal of the block
  std::vector<std::uint32_t> signal_accounts_;  // per signal of the block
  std::vector<std::uint32_t> row_accounts_;     // per ingested row of the block
};

}  // namespace

std::int64_t ReadRequestLog(const std::string& path, const IngestOptions& options,
                            ByteSource& bytes, const Line& first, std::vector<char> pending,
                            bool source_more, BatchBuilder& builder) {
  const KindTable kinds(options.extra_kinds);
  Aggregator aggregator(path, options, kinds, builder);
  const std::int64_t raw_size = bytes.raw_size();
  Pipeline pipeline(options, kinds, bytes, first, std::move(pending), source_more);
  std::int64_t next_line = 1, blocks = 0, aggregate_ns = 0;
  while (const Pipeline::Slot* slot = pipeline.Next()) {
    const std::int64_t start = ThreadCpuNanoseconds();
    aggregator.Add(slot->parsed, next_line);
    aggregate_ns += ThreadCpuNanoseconds() - start;
    next_line += slot->parsed.lines;
    ++blocks;
    if (options.progress) options.progress(slot->block.raw_bytes_read(), raw_size);
    pipeline.Release();
  }
  pipeline.Join();
  spdlog::debug("{}: {} blocks; cpu: reading {:.3f} s, parsing {:.3f} s, aggregating {:.3f} s",
                path, blocks, pipeline.reader_cpu_seconds(), pipeline.worker_cpu_seconds(),
                aggregate_ns * 1e-9);
  return next_line - 1;
}

}  // namespace ringscope

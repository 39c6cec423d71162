#include "tools/cli_pii.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "db/settings.h"
#include "tools/cli_common.h"

namespace ringscope {

namespace {

enum class Mode { kCheck, kBind };

// GLOB pattern of a PiiHash: "h:" and 64 lower-hex digits.
std::string HashPattern() {
  std::string pattern = "h:";
  for (int i = 0; i < 64; ++i) pattern += "[0-9a-f]";
  return pattern;
}

// Values of the PII kinds stored in clear so far (signal values and analyst
// list entries), by kind; "" when there are none.
std::string UnhashedPiiValues(Database& db) {
  std::string found;
  const std::string pattern = HashPattern();
  for (std::string_view kind : kPiiKinds) {
    Statement& values = db.Cached(
        "SELECT (SELECT count(*) FROM signal_values v JOIN kinds k ON k.id = v.kind_id "
        "WHERE k.name = ?1 AND NOT v.value GLOB ?2) + "
        "(SELECT count(*) FROM list_entries WHERE kind = ?1 AND NOT value GLOB ?2)");
    values.Bind(1, kind).Bind(2, pattern);
    std::int64_t n = values.Step() ? values.ColumnInt64(0) : 0;
    values.Reset();
    if (n == 0) continue;
    if (!found.empty()) found += ", ";
    found += std::to_string(n) + " " + std::string(kind);
  }
  return found;
}

// The payment key must be the one the stored card hashes were made with.
void CheckPaymentKey(Database& db, const NormalizeOptions& options, Mode mode) {
  const std::string id = PiiKeyId(options.payment_key);
  const std::optional<std::string> bound = ReadSetting(db, kPaymentKeySetting);
  if (bound && *bound != id) {
    throw CommandFailure("$RINGSCOPE_PAYMENT_KEY (key id " + id +
                         ") is not the key this database's card hashes were made with (key id " +
                         *bound + "): cards would never match; set the same payment key");
  }
  if (!bound && mode == Mode::kBind) WriteSetting(db, kPaymentKeySetting, id);
}

void Check(Database& db, const std::optional<PiiKey>& key, Mode mode) {
  const std::optional<std::string> bound = ReadSetting(db, kPiiKeySetting);
  if (bound && !key) {
    throw CommandFailure(
        "this database stores email, phone and payment values as keyed hashes (key id " + *bound +
        "): give the same key with --pii-key FILE or $" + kPiiKeyFileEnv +
        " (values in clear would never match the hashed ones)");
  }
  if (!key) return;
  if (bound && *bound != key->id) {
    throw CommandFailure("the PII key from " + key->origin + " (key id " + key->id +
                         ") is not the key this database is bound to (key id " + *bound +
                         "): values hashed with another key would never match; use the "
                         "database's key, or a new database for the new key");
  }
  if (bound) return;
  if (std::string unhashed = UnhashedPiiValues(db); !unhashed.empty()) {
    throw CommandFailure("this database already holds values stored in clear (" + unhashed +
                         "), without a PII key: hashed values would never match them; ingest "
                         "without --pii-key, or into a new database");
  }
  if (mode == Mode::kBind) {
    WriteSetting(db, kPiiKeySetting, key->id);
    spdlog::info("database bound to PII key id {}: email, phone and payment are stored hashed",
                 key->id);
  }
}

}  // namespace

std::optional<PiiKey> LoadPiiKey(const std::string& flag_path) {
  PiiKey key;
  std::string path = flag_path;
  if (!path.empty()) {
    key.origin = "--pii-key " + path;
  } else if (const char* env = std::getenv(kPiiKeyFileEnv); env != nullptr && *env != '\0') {
    path = env;
    key.origin = std::string("$") + kPiiKeyFileEnv + " (" + path + ")";
  } else {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read the PII key file " + key.origin);
  key.key.assign(std::istreambuf_iterator<char>(in), {});
  while (!key.key.empty() && (key.key.back() == '\n' || key.key.back() == '\r')) key.key.pop_back();
  if (key.key.size() < kMinPiiKeyBytes) {
    throw UsageError("the PII key from " + key.origin + " has " + std::to_string(key.key.size()) +
                     " bytes; use at least " + std::to_string(kMinPiiKeyBytes) +
                     " (e.g. head -c 32 /dev/urandom | base64 > pii.key)");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    spdlog::warn("the PII key file {} is readable by other users: chmod 600 it", path);
  key.id = PiiKeyId(key.key);
  return key;
}

void BindPiiKey(Database& db, const std::optional<PiiKey>& key, const NormalizeOptions& options) {
  Transaction transaction(db);
  CheckPaymentKey(db, options, Mode::kBind);
  Check(db, key, Mode::kBind);
  transaction.Commit();
}

void CheckPiiKey(Database& db, const std::optional<PiiKey>& key, const NormalizeOptions& options) {
  CheckPaymentKey(db, options, Mode::kCheck);
  Check(db, key, Mode::kCheck);
}

NormalizeOptions NormalizeOptionsWithKey(const std::optional<PiiKey>& key) {
  NormalizeOptions options;
  if (const char* payment = std::getenv("RINGSCOPE_PAYMENT_KEY");
      payment != nullptr && *payment != '\0')
    options.payment_key = payment;
  if (key) options.pii_key = key->key;
  return options;
}

NormalizeOptions LookupNormalizeOptions(Database& db, const std::string& pii_key_flag) {
  std::optional<PiiKey> key = LoadPiiKey(pii_key_flag);
  NormalizeOptions options = NormalizeOptionsWithKey(key);
  CheckPiiKey(db, key, options);
  return options;
}

}  // namespace ringscope

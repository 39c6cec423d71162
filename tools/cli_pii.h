// The PII key of a database (docs/guarantees.md, "What is hashed"): reading
// it from --pii-key FILE or $RINGSCOPE_PII_KEY_FILE, and the binding of a
// database to one key (settings 'pii_key_id' = PiiKeyId(key)) that keeps
// keyed and unkeyed values from ever being mixed.
#pragma once

#include <optional>
#include <string>

#include "db/sqlite.h"
#include "ingest/normalize.h"

namespace ringscope {

inline constexpr const char* kPiiKeyFileEnv = "RINGSCOPE_PII_KEY_FILE";
inline constexpr const char* kPiiKeySetting = "pii_key_id";
// PiiKeyId of the payment key that card numbers were hashed with.
inline constexpr const char* kPaymentKeySetting = "payment_key_id";
inline constexpr std::size_t kMinPiiKeyBytes = 16;

struct PiiKey {
  std::string key;     // the secret; never logged or stored
  std::string id;      // PiiKeyId(key), safe to show
  std::string origin;  // "--pii-key FILE" or "$RINGSCOPE_PII_KEY_FILE (FILE)", for messages
};

// The key named by `flag_path` (--pii-key), else by $RINGSCOPE_PII_KEY_FILE;
// std::nullopt when neither is set. The key is the file's bytes without
// trailing CR/LF. Throws UsageError when the file cannot be read or the key is
// shorter than kMinPiiKeyBytes; warns when the file is readable by others.
std::optional<PiiKey> LoadPiiKey(const std::string& flag_path);

// Ingest: checks that writing with `key` (or without, when nullopt) and with
// `options.payment_key` keeps the database consistent, and binds an unbound
// database to the keys, in one IMMEDIATE transaction. Refused with
// CommandFailure (nothing written): a PII key whose id differs from the bound
// one; no PII key for a bound database; a PII key for an unbound database
// that already holds email, phone or payment values (stored unhashed); a
// payment key ($RINGSCOPE_PAYMENT_KEY) other than the one the database's card
// hashes were made with (settings 'payment_key_id', bound by the first ingest
// that checks it). Counts values per PII kind only when binding a PII key.
void BindPiiKey(Database& db, const std::optional<PiiKey>& key, const NormalizeOptions& options);

// Lookups: the same checks without writing (an unbound database with a key
// given is refused only when it holds unhashed PII values).
void CheckPiiKey(Database& db, const std::optional<PiiKey>& key, const NormalizeOptions& options);

// The normalisation options of the database's ingests, for a command that
// looks values up (ringscope value): the payment key from
// $RINGSCOPE_PAYMENT_KEY (else the default) and the PII key (LoadPiiKey),
// checked against the database (CheckPiiKey). Normalise the query with
// LookupValue(kind, raw, options) (ingest/normalize.h).
NormalizeOptions LookupNormalizeOptions(Database& db, const std::string& pii_key_flag);

// The options ingest normalises with, minus the database check: payment key
// from $RINGSCOPE_PAYMENT_KEY and the PII key, if any.
NormalizeOptions NormalizeOptionsWithKey(const std::optional<PiiKey>& key);

}  // namespace ringscope

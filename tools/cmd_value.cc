#include "tools/cmd_value.h"

#include <iostream>

#include "db/queries.h"
#include "ingest/normalize.h"
#include "tools/cli_explore.h"
#include "tools/cli_pii.h"

namespace ringscope {

namespace {

struct ValueOptions {
  std::string kind;
  std::string value;
  std::int64_t run_id = 0;
  std::size_t limit = 100;
  std::string pii_key_path;  // --pii-key; else $RINGSCOPE_PII_KEY_FILE
  OutputFormat format = OutputFormat::kTable;
};

bool IsHex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The stored form of the query, as ingest stores the value (LookupValue with
// the database's normalisation options: payment key, PII key). Taken as
// they are: a prompt fingerprint ("t:" + 16 hex digits) and, for a PII kind,
// a PII hash ("h:" + 64 hex digits). `subnet` also accepts an address (its
// network, as ingest derives it).
std::string NormalizeQuery(const std::string& kind, const std::string& raw,
                           const NormalizeOptions& options) {
  if (kind == "prompt" && raw.size() == 18 && raw.rfind("t:", 0) == 0 && IsHex(raw.substr(2)))
    return raw;
  if (IsPiiKind(kind) && raw.size() == 66 && raw.rfind("h:", 0) == 0 && IsHex(raw.substr(2)))
    return raw;
  std::string error;
  if (kind == "subnet" && raw.find('/') == std::string::npos) {
    std::vector<Signal> signals;
    if (!NormalizeSignal("ip", raw, options, signals, error))
      throw CommandFailure("cannot normalise the subnet value: " + error);
    for (const Signal& s : signals)
      if (s.kind == "subnet") return s.value;
  }
  std::optional<std::string> value = LookupValue(kind, raw, options, &error);
  if (value) return *value;
  if (!error.empty()) throw CommandFailure("cannot normalise the " + kind + " value: " + error);
  throw CommandFailure("the " + kind + " value is empty after normalisation: not a signal");
}

void RunValue(const ValueOptions& o, const GlobalOptions& global) {
  Store store = OpenForQuery(global);
  Database& db = store.db();
  const std::string normalised =
      NormalizeQuery(o.kind, o.value, LookupNormalizeOptions(db, o.pii_key_path));
  std::optional<ValueRecord> value = FindValue(db, o.kind, normalised);
  if (!value)
    throw CommandFailure("no account used " + o.kind + " '" + normalised + "'" +
                         (normalised != o.value ? " (normalised from the query)" : "") +
                         ": check the kind and the value");
  std::optional<std::int64_t> run = QueryRun(db, o.run_id);
  Table holders{{"account", "count", "first_seen", "last_seen", "cluster"},
                {},
                {false, true, false, false, false}};
  for (const ValueHolder& h : LoadValueObservations(db, value->id, o.limit)) {
    std::optional<MemberRecord> m = run ? FindMembership(db, *run, h.account_id) : std::nullopt;
    holders.rows.push_back({h.account, std::to_string(h.count), TimeText(h.first_ts),
                            TimeText(h.last_ts), m ? m->cluster_id : ""});
  }
  std::int64_t cluster_templates = 0, representative = value->id;
  if (o.kind == "prompt" && HasPromptClusters(db)) {
    representative = PromptClusterOf(db, value->id);
    cluster_templates = LoadPromptClusterSize(db, representative, 0).templates;
  }
  std::optional<std::string> example =
      o.kind == "prompt" ? LoadPromptExample(db, value->id, 0) : std::nullopt;
  if (o.format == OutputFormat::kJson) {
    JsonWriter json(std::cout);
    json.BeginObject().Key("kind").String(o.kind).Key("query").String(o.value);
    json.Key("value").String(value->value).Key("value_id").Int(value->id);
    json.Key("accounts").Int(value->degree).Key("run");
    run ? json.Int(*run) : json.Null();
    json.Key("example");
    example ? json.String(*example) : json.Null();
    json.Key("prompt_cluster");
    if (cluster_templates > 1) {
      json.BeginObject().Key("representative_value_id").Int(representative);
      json.Key("templates").Int(cluster_templates).EndObject();
    } else {
      json.Null();
    }
    json.Key("holders");
    TableJson(json, holders);
    json.EndObject();
    std::cout << '\n';
    return;
  }
  std::string title = o.kind + " " + value->value + ": " + std::to_string(value->degree) +
                      " account(s)";
  if (cluster_templates > 1)
    title += "; template of a prompt cluster of " + std::to_string(cluster_templates) +
             " templates (representative value id " + std::to_string(representative) + ")";
  if (example) title += "\nexample: " + *example;
  std::string note;
  if (value->degree > static_cast<std::int64_t>(holders.rows.size()))
    note = "(" + std::to_string(value->degree - static_cast<std::int64_t>(holders.rows.size())) +
           " more; --limit N shows more)";
  WriteSections({{"holders", title, std::move(holders), note}}, o.format, std::cout);
}

}  // namespace

void SetupValueCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  auto o = std::make_shared<ValueOptions>();
  CLI::App* cmd = app.add_subcommand(
      "value",
      "Every account seen with one value, most observations first, with counts, first and\n"
      "last seen and its cluster in the run. The value is normalised exactly as ingest does\n"
      "(an IP in any spelling, an e-mail with +tags, a raw card number hashed under\n"
      "RINGSCOPE_PAYMENT_KEY; email, phone and payment hashed under the PII key when the\n"
      "database has one); for kind prompt give the raw prompt text (or a t:... fingerprint).\n\n"
      "Example: ringscope value ip 203.0.113.7\n"
      "         ringscope value prompt 'Solve step by step: 12 + 7'");
  cmd->add_option("KIND", o->kind, "Signal kind: ip, subnet, payment, email, phone, device, ...")
      ->required();
  cmd->add_option("VALUE", o->value, "The value as it appears in the inputs")->required();
  cmd->add_option("--run", o->run_id, "Run whose clusters to show (default: the latest)");
  cmd->add_option("--limit", o->limit, "Accounts shown")->default_val(100);
  cmd->add_option("--pii-key", o->pii_key_path,
                  "File holding the PII key the database was ingested with; default "
                  "$RINGSCOPE_PII_KEY_FILE");
  AddFormatOption(cmd, &o->format);
  registry.Add(cmd, [o, &global] { RunValue(*o, global); });
}

}  // namespace ringscope

#include "tools/gen/world.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "ingest/csv.h"
#include "tools/gen/output.h"
#include "tools/gen/population.h"
#include "tools/gen/requests.h"

namespace ringscope::gen {

namespace {

std::string AccountId(const Account& a) {
  std::string s;
  AppendAccountId(s, a.public_id);
  return s;
}

// Accounts in signup order (ties by id): the order an account table export
// would have, which says nothing about roles.
std::vector<std::uint32_t> SignupOrder(const Population& pop) {
  std::vector<std::uint32_t> order(pop.accounts.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const Account& a = pop.accounts[x];
    const Account& b = pop.accounts[y];
    return a.created != b.created ? a.created < b.created : a.public_id < b.public_id;
  });
  return order;
}

class CsvFile {
 public:
  CsvFile(const std::filesystem::path& path, std::string_view header)
      : file_(path.string(), false) {
    buf_ += header;
    buf_ += '\n';
  }
  // Appends one row; every field goes through CsvQuote.
  void Row(std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view f : fields) {
      if (!first) buf_ += ',';
      first = false;
      buf_ += CsvQuote(f);
    }
    buf_ += '\n';
    ++rows_;
    if (buf_.size() >= (1 << 20)) {
      file_.Write(buf_);
      buf_.clear();
    }
  }
  FileSummary Close() {
    file_.Write(buf_);
    buf_.clear();
    file_.Close();
    return {file_.path(), rows_, file_.bytes_on_disk()};
  }

 private:
  OutputFile file_;
  std::string buf_;
  std::int64_t rows_ = 0;
};

std::string EmailOf(Population& pop, const WorldOptions& world, const Account& a) {
  switch (a.email_kind) {
    case EmailKind::kNone:
      return {};
    case EmailKind::kPersonal:
      return pop.emails.Personal(a.seed, Countries()[a.country], world.benign.gmail_plus_tag_share,
                                 world.benign.email_capitalised_share);
    case EmailKind::kWork:
      return pop.emails.Work(a.seed, pop.email_domains[a.email_arg]);
    case EmailKind::kGmailVariant:
      return pop.emails.GmailVariant(pop.mailboxes[a.email_arg], a.seed);
  }
  return {};
}

// accounts.csv and signals.csv, both in signup order.
void WriteAccountTables(Population& pop, const WorldOptions& world,
                        const std::filesystem::path& dir, GenResult& result) {
  CsvFile accounts(dir / "accounts.csv", "account,created_at,country,plan,org");
  CsvFile signals(dir / "signals.csv", "account,kind,value,ts");
  TimestampFormatter time;
  for (std::uint32_t index : SignupOrder(pop)) {
    const Account& a = pop.accounts[index];
    const std::string id = AccountId(a);
    const std::string created = time.Format(a.created);
    accounts.Row({id, created, Countries()[a.country].code, PlanName(a.plan),
                  a.org == kNone ? std::string_view() : std::string_view(pop.orgs[a.org].name)});
    if (std::string email = EmailOf(pop, world, a); !email.empty())
      signals.Row({id, "email", email, created});
    if (a.phone != kNone)
      signals.Row({id, "phone", pop.phones.Render(a.phone, Hash2(a.seed, 51)), created});
    std::string device;
    AppendDevice(device, a.signup_device);
    signals.Row({id, "device", device, created});
    if (a.payment[0] != kNone) {
      std::int64_t added = a.created + static_cast<std::int64_t>(Hash2(a.seed, 52) % 3600);
      signals.Row({id, "payment", pop.instruments.Render(a.payment[0], Hash2(a.seed, 53)),
                   time.Format(added)});
    }
    if (a.payment[1] != kNone) {
      std::int64_t added = std::max<std::int64_t>(a.second_payment_at, a.created);
      signals.Row({id, "payment", pop.instruments.Render(a.payment[1], Hash2(a.seed, 54)),
                   time.Format(added)});
    }
  }
  result.files.push_back(accounts.Close());
  result.files.push_back(signals.Close());
}

void WriteTruth(const Population& pop, const std::filesystem::path& dir, GenResult& result) {
  std::vector<std::pair<std::string, std::uint32_t>> rows;
  for (const Account& a : pop.accounts)
    if (a.campaign != kNone) rows.emplace_back(AccountId(a), a.campaign);
  std::sort(rows.begin(), rows.end());
  CsvFile truth(dir / "truth.csv", "account,campaign");
  for (const auto& [id, campaign] : rows) truth.Row({id, pop.campaigns[campaign].spec.name});
  result.files.push_back(truth.Close());
}

void WriteHardNegatives(const Population& pop, const std::filesystem::path& dir,
                        GenResult& result) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Account& a : pop.accounts)
    if (a.hard_negative != kNone)
      rows.emplace_back(pop.hard_negative_groups[a.hard_negative].name, AccountId(a));
  std::sort(rows.begin(), rows.end());
  CsvFile negatives(dir / "hard_negatives.csv", "account,group");
  for (const auto& [group, id] : rows) negatives.Row({id, group});
  result.files.push_back(negatives.Close());
}

void SummariseGroups(const Population& pop, GenResult& result) {
  std::map<std::string, HardNegativeSummary> by_kind;  // ordered: stable output
  for (const HardNegativeGroup& g : pop.hard_negative_groups) {
    HardNegativeSummary& s = by_kind[g.kind];
    s.kind = g.kind;
    s.min_size = s.groups == 0 ? g.accounts : std::min(s.min_size, g.accounts);
    s.max_size = std::max(s.max_size, g.accounts);
    ++s.groups;
    s.accounts += g.accounts;
  }
  for (auto& [kind, s] : by_kind) result.hard_negatives.push_back(s);
}

void PrepareDirectory(const std::string& directory) {
  if (directory.empty()) throw std::invalid_argument("no output directory given");
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec)
    throw std::runtime_error("cannot create output directory " + directory + ": " + ec.message());
  if (!std::filesystem::is_directory(directory))
    throw std::runtime_error("output path " + directory + " exists and is not a directory");
}

// A request log of the other compression, left by an earlier run, would make
// the directory hold two worlds' requests; it is ours to remove.
void RemoveStaleRequests(const std::filesystem::path& dir, bool zstd) {
  std::error_code ec;
  std::filesystem::remove(dir / (zstd ? "requests.jsonl" : "requests.jsonl.zst"), ec);
}

}  // namespace

std::string_view ArchetypeName(Archetype archetype) {
  switch (archetype) {
    case Archetype::kCardFarm:
      return "card_farm";
    case Archetype::kDatacenterSwarm:
      return "datacenter_swarm";
    case Archetype::kLowAndSlow:
      return "low_and_slow";
    case Archetype::kPhoneFarm:
      return "phone_farm";
  }
  return "unknown";
}

GenResult GenerateWorld(const WorldOptions& world, const GenOutputOptions& output) {
  auto start = std::chrono::steady_clock::now();
  PrepareDirectory(output.directory);
  const std::filesystem::path dir(output.directory);
  RemoveStaleRequests(dir, output.zstd);
  std::unique_ptr<Population> pop = BuildPopulation(world);
  GenResult result;
  // Requests first: the accounts' emails are claimed in signup order afterwards,
  // whichever file is written first, so the order does not change any byte.
  OutputFile requests((dir / (output.zstd ? "requests.jsonl.zst" : "requests.jsonl")).string(),
                      output.zstd, output.zstd_level);
  RequestStreamResult stream = StreamRequests(*pop,
                                              {.seed = world.seed,
                                               .mapped_ipv4_share = world.benign.mapped_ipv4_share,
                                               .night_deferral = world.benign.night_deferral},
                                              requests);
  requests.Close();
  result.files.push_back({requests.path(), stream.lines, requests.bytes_on_disk()});
  WriteAccountTables(*pop, world, dir, result);
  WriteTruth(*pop, dir, result);
  WriteHardNegatives(*pop, dir, result);

  result.accounts = static_cast<std::int64_t>(pop->accounts.size());
  result.benign_accounts = pop->benign_accounts;
  result.request_lines = stream.lines;
  result.benign_requests = stream.benign_lines;
  for (std::size_t c = 0; c < pop->campaigns.size(); ++c) {
    const CampaignInfo& info = pop->campaigns[c];
    result.campaigns.push_back(
        {info.spec.name, info.spec.archetype, info.accounts, stream.campaign_lines[c]});
  }
  SummariseGroups(*pop, result);
  result.request_seconds = stream.seconds;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ringscope::gen

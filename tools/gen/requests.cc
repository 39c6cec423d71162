#include "tools/gen/requests.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>

#include "tools/gen/text.h"

namespace ringscope::gen {

namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

// A monotone priority queue (radix heap, Ahuja et al. 1990) of
// (time << 32 | account) keys. Requests are emitted in time order and every
// account's next request comes later than its last, so keys never go below
// the last one popped; buckets by the highest bit that differs from it give
// amortised O(log range) per key with sequential memory access. Keys are
// unique (the account is in the low bits): the pop order is the key order.
class RadixHeap {
 public:
  bool empty() const { return size_ == 0; }
  // Precondition: key > the last key popped.
  void Push(std::uint64_t key) {
    buckets_[BucketOf(key)].push_back(key);
    ++size_;
  }
  std::uint64_t Pop() {
    if (buckets_[0].empty()) {
      std::size_t i = 1;
      while (buckets_[i].empty()) ++i;
      last_ = *std::min_element(buckets_[i].begin(), buckets_[i].end());
      for (std::uint64_t k : buckets_[i]) buckets_[BucketOf(k)].push_back(k);
      buckets_[i].clear();
    }
    std::uint64_t key = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return key;
  }

 private:
  std::size_t BucketOf(std::uint64_t key) const {
    return key == last_ ? 0 : 64 - static_cast<std::size_t>(std::countl_zero(key ^ last_));
  }
  std::array<std::vector<std::uint64_t>, 65> buckets_;
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
};

// The radix heap behind a short sorted window of the next keys, so that the
// state of the accounts about to send can be prefetched: with a million
// accounts, that cache miss is otherwise the largest cost per line. Every key
// in the window precedes every key in the heap, so the order is unchanged.
class TimeQueue {
 public:
  TimeQueue(const std::vector<std::uint64_t>& keys, const Account* accounts) : accounts_(accounts) {
    for (std::uint64_t k : keys) heap_.Push(k);
  }
  bool empty() const { return count_ == 0 && heap_.empty(); }
  std::uint64_t Pop() {
    while (count_ < kWindow && !heap_.empty()) {
      std::uint64_t key = heap_.Pop();
      const char* state = reinterpret_cast<const char*>(accounts_ + (key & 0xffffffffu));
      __builtin_prefetch(state);
      __builtin_prefetch(state + 64);
      __builtin_prefetch(state + 128);
      window_[(first_ + count_++) % kCapacity] = key;
    }
    std::uint64_t key = window_[first_];
    first_ = (first_ + 1) % kCapacity;
    --count_;
    return key;
  }
  // Precondition: key > the last key popped. A key beyond the window goes to
  // the heap (it exceeds every key the heap gave out: the window's last key is
  // the heap's last); a key inside it is inserted in order. Pops and pushes
  // alternate, so the window never holds more than kWindow keys.
  void Push(std::uint64_t key) {
    if (count_ == 0 || key > window_[(first_ + count_ - 1) % kCapacity]) {
      heap_.Push(key);
      return;
    }
    std::size_t i = count_++;
    while (i > 0 && window_[(first_ + i - 1) % kCapacity] > key) {
      window_[(first_ + i) % kCapacity] = window_[(first_ + i - 1) % kCapacity];
      --i;
    }
    window_[(first_ + i) % kCapacity] = key;
  }

 private:
  static constexpr std::size_t kWindow = 16;
  static constexpr std::size_t kCapacity = 32;  // a power of two above kWindow + 1
  RadixHeap heap_;
  const Account* accounts_;
  std::array<std::uint64_t, kCapacity> window_{};
  std::size_t first_ = 0;
  std::size_t count_ = 0;
};

std::uint64_t Key(std::int64_t ts, std::size_t account) {
  return (static_cast<std::uint64_t>(ts) << 32) | account;
}

class RequestWriter {
 public:
  RequestWriter(Population& pop, const RequestStreamOptions& o, OutputFile& out)
      : pop_(pop), o_(o), out_(out), rng_(Hash2(o.seed, 2)) {
    buf_.reserve(kFlushBytes + (64 << 10));
  }

  RequestStreamResult Run();

 private:
  std::int64_t FirstTime(Account& a);
  // The next request's time; advances the session counter on a new session.
  std::int64_t NextTime(Account& a, std::int64_t ts);
  std::int64_t Defer(const Account& a, std::int64_t ts);
  void AppendLine(const Account& a, std::int64_t ts);
  void AppendPrompt(const Account& a);

  Population& pop_;
  const RequestStreamOptions& o_;
  BackgroundWriter out_;
  Rng rng_;
  std::string buf_;
  TimestampFormatter time_;
};

std::int64_t RequestWriter::Defer(const Account& a, std::int64_t ts) {
  if (!a.diurnal) return ts;
  std::int64_t local = ts + Countries()[a.country].utc_offset_hours * 3600;
  std::int64_t second_of_day = ((local % 86400) + 86400) % 86400;
  std::int64_t hour = second_of_day / 3600;
  if (hour < 1 || hour >= 7 || !rng_.Chance(o_.night_deferral)) return ts;
  return ts + (8 - hour) * 3600 - second_of_day % 3600 +
         static_cast<std::int64_t>(rng_.Below(4 * 3600));
}

std::int64_t RequestWriter::FirstTime(Account& a) {
  double span = a.active_end - a.active_begin;
  double lead = a.budget <= 1 ? span : std::min<double>(span, a.session_gap);
  return Defer(a, a.active_begin + static_cast<std::int64_t>(rng_.Uniform() * lead));
}

std::int64_t RequestWriter::NextTime(Account& a, std::int64_t ts) {
  if (a.session_length > 1 && rng_.Chance(1.0 - 1.0 / a.session_length))
    return ts + 1 + static_cast<std::int64_t>(rng_.Exponential(a.intra_gap));
  ++a.session;
  // The pause adapts to what is left: the remaining sessions share the
  // remaining time, so accounts spend their budget instead of running out of
  // window (a fixed rate would lose a large share of small budgets).
  double sessions_left = std::max(1.0, a.remaining / static_cast<double>(a.session_length));
  double mean = std::max(1.0, static_cast<double>(a.active_end - ts) / (sessions_left + 1));
  return Defer(a, ts + 1 + static_cast<std::int64_t>(rng_.Exponential(mean)));
}

void RequestWriter::AppendPrompt(const Account& a) {
  const PromptBook& prompts = *pop_.prompts;
  if (a.p_prompt > 0 && rng_.Uniform() < a.p_prompt) {
    switch (a.prompt_kind) {
      case PromptKind::kCampaign:
        prompts.RenderCampaign(
            a.prompt_arg + static_cast<std::uint32_t>(rng_.Below(a.prompt_count)), rng_, buf_);
        return;
      case PromptKind::kApp:
        prompts.RenderApp(a.seed, rng_, buf_);
        return;
      case PromptKind::kCompany:
        prompts.RenderCompany(rng_, buf_);
        return;
      case PromptKind::kAgent:
        prompts.RenderAgent(a.prompt_arg, rng_, buf_);
        return;
      case PromptKind::kOrganic:
        break;
    }
  }
  prompts.RenderOrganic(rng_, buf_);
}

void RequestWriter::AppendLine(const Account& a, std::int64_t ts) {
  const std::uint64_t session = Hash2(a.seed, a.session);
  const IpSource& src =
      (a.p_ip_b > 0 && UnitFromHash(Hash2(session, 1)) < a.p_ip_b) ? a.ip_b : a.ip_a;
  const std::uint32_t ip =
      src.first + (src.count > 1 ? static_cast<std::uint32_t>(Hash2(session, 2) % src.count) : 0);
  const Client& client = (a.p_client_b > 0 && UnitFromHash(Hash2(session, 4)) < a.p_client_b)
                             ? a.client_b
                             : a.client_a;
  buf_ += "{\"account\":\"";
  AppendAccountId(buf_, a.public_id);
  buf_ += "\",\"ts\":\"";
  time_.Append(buf_, ts);
  buf_ += "\",\"ip\":\"";
  AppendIp(buf_, pop_.addresses[ip], session,
           UnitFromHash(Hash2(session, 3)) < o_.mapped_ipv4_share);
  if (client.device != 0) {
    buf_ += "\",\"device\":\"";
    AppendDevice(buf_, client.device);
  }
  buf_ += "\",\"user_agent\":\"";
  buf_ += pop_.user_agents[client.user_agent];
  buf_ += "\",\"api_key\":\"";
  AppendApiKey(buf_, ts >= a.key_rotate ? a.key_b : a.key_a);
  buf_ += "\",\"prompt\":\"";
  AppendPrompt(a);
  buf_ += "\"}\n";
}

RequestStreamResult RequestWriter::Run() {
  auto start = std::chrono::steady_clock::now();
  RequestStreamResult result;
  result.campaign_lines.assign(pop_.campaigns.size(), 0);
  std::vector<std::uint64_t> keys;
  for (std::size_t i = 0; i < pop_.accounts.size(); ++i) {
    Account& a = pop_.accounts[i];
    a.remaining = a.budget;
    a.session = 0;
    if (a.budget == 0) continue;
    // The first request always happens, even if deferred past the window.
    std::int64_t first = std::min<std::int64_t>(FirstTime(a), a.active_end);
    keys.push_back(Key(first, i));
  }
  TimeQueue queue(keys, pop_.accounts.data());
  keys = {};
  while (!queue.empty()) {
    const std::uint64_t key = queue.Pop();
    const auto ts = static_cast<std::int64_t>(key >> 32);
    const std::size_t index = key & 0xffffffffu;
    Account& a = pop_.accounts[index];
    AppendLine(a, ts);
    ++result.lines;
    if (a.campaign == kNone)
      ++result.benign_lines;
    else
      ++result.campaign_lines[a.campaign];
    if (buf_.size() >= kFlushBytes) {
      result.bytes += static_cast<std::int64_t>(buf_.size());
      buf_ = out_.Submit(std::move(buf_));
      buf_.reserve(kFlushBytes + (64 << 10));
    }
    std::int64_t next = --a.remaining > 0 ? NextTime(a, ts) : INT64_MAX;
    if (next <= a.active_end) queue.Push(Key(next, index));
  }
  result.bytes += static_cast<std::int64_t>(buf_.size());
  out_.Submit(std::move(buf_));
  out_.Finish();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

RequestStreamResult StreamRequests(Population& pop, const RequestStreamOptions& options,
                                   OutputFile& out) {
  return RequestWriter(pop, options, out).Run();
}

}  // namespace ringscope::gen

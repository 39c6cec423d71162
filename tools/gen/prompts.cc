#include "tools/gen/prompts.h"

#include "tools/gen/vocab.h"

namespace ringscope::gen {

namespace {

// Patterns without [choices] compile identically whatever the generator.
std::vector<TextTemplate> CompileAll(const std::vector<std::string_view>& patterns,
                                     const SlotTable& slots) {
  Rng unused(0);
  std::vector<TextTemplate> out;
  out.reserve(patterns.size());
  for (std::string_view p : patterns) out.push_back(TextTemplate::Compile(p, slots, unused));
  return out;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

template <typename T>
const T& PickByHash(const std::vector<T>& v, std::uint64_t h) {
  return v[h % v.size()];
}

}  // namespace

PromptBook::PromptBook(const BenignOptions& benign, std::string company_name) : benign_(benign) {
  AddPromptSlots(slots_);
  core_ = CompileAll(BenignCorePatterns(), slots_);
  openers_ = CompileAll(BenignOpeners(), slots_);
  closers_ = CompileAll(BenignClosers(), slots_);
  foreign_ = CompileAll(ForeignLanguagePatterns(), slots_);
  paste_intros_ = CompileAll(PasteIntros(), slots_);
  paste_sentences_ = CompileAll(PasteSentences(), slots_);
  company_questions_ = CompileAll(CompanyQuestionPatterns(), slots_);
  company_prompt_ = ReplaceAll(std::string(CompanySystemPrompt()), "{company}", company_name);
  for (std::size_t d = 0; d < CampaignDomains().size(); ++d) domain_order_.push_back(d);
}

std::uint32_t PromptBook::AddCampaignFamilies(int families, int templates, Rng& rng) {
  const auto first = static_cast<std::uint32_t>(campaign_templates_.size());
  const auto& domains = CampaignDomains();
  for (int f = 0; f < families; ++f) {
    // Each campaign draws its domains from a shuffled deck, so that two
    // campaigns rarely harvest the same domain with similar preambles.
    if (next_domain_ % domain_order_.size() == 0) rng.Shuffle(domain_order_);
    const CampaignDomain& domain = domains[domain_order_[next_domain_++ % domain_order_.size()]];
    // What identifies the family: one persona and goal, fixed for all its templates.
    std::string persona = ResolveChoices(domain.persona, rng);
    std::string goal = ResolveChoices(rng.Pick(CampaignGoals()), rng);
    std::string_view cot = rng.Pick(ChainOfThoughtPhrases());
    std::string_view format = rng.Pick(AnswerFormats());
    bool cot_first = rng.Chance(0.5);
    std::size_t first_task = rng.Below(domain.tasks.size());
    for (int t = 0; t < templates; ++t) {
      // Slight paraphrase: the chain-of-thought phrase is re-resolved, the
      // persona sometimes, the format rarely; the task pattern rotates.
      std::string p = rng.Chance(0.3) ? ResolveChoices(domain.persona, rng) : persona;
      std::string_view fmt = rng.Chance(0.2) ? rng.Pick(AnswerFormats()) : format;
      std::string_view task = domain.tasks[(first_task + t) % domain.tasks.size()];
      std::string pattern = p;
      pattern.append(" ").append(goal);
      if (cot_first) {
        pattern.append(" ").append(cot).append("\\n\\n").append(task).append("\\n\\n").append(fmt);
      } else {
        pattern.append("\\n\\n").append(task).append("\\n\\n").append(cot).append(" ").append(fmt);
      }
      campaign_templates_.push_back(TextTemplate::Compile(pattern, slots_, rng));
    }
  }
  return first;
}

void PromptBook::RenderCore(Rng& rng, std::string& out) const {
  if (rng.Chance(benign_.opener_share)) rng.Pick(openers_).Render(rng, out);
  rng.Pick(core_).Render(rng, out);
  if (rng.Chance(benign_.closer_share)) rng.Pick(closers_).Render(rng, out);
}

void PromptBook::RenderPaste(Rng& rng, std::string& out) const {
  rng.Pick(paste_intros_).Render(rng, out);
  out += "\\n\\n";
  int sentences = static_cast<int>(rng.Between(2, 5));
  for (int i = 0; i < sentences; ++i) {
    if (i > 0) out.push_back(' ');
    rng.Pick(paste_sentences_).Render(rng, out);
  }
}

void PromptBook::RenderOrganic(Rng& rng, std::string& out) const {
  double r = rng.Uniform();
  if ((r -= benign_.trivial_prompt_share) < 0) {
    out.append(rng.Pick(TrivialPrompts()));
  } else if ((r -= benign_.foreign_prompt_share) < 0) {
    rng.Pick(foreign_).Render(rng, out);
  } else if ((r -= benign_.paste_prompt_share) < 0) {
    RenderPaste(rng, out);
  } else {
    RenderCore(rng, out);
  }
}

void PromptBook::RenderCampaign(std::uint32_t template_index, Rng& rng, std::string& out) const {
  campaign_templates_[template_index].Render(rng, out);
}

void PromptBook::RenderApp(std::uint64_t app_seed, Rng& rng, std::string& out) const {
  // Role, two rules, a style and an input label: about a million combinations,
  // so unrelated apps rarely share a system prompt.
  out += "You are ";
  out += PickByHash(AppRoles(), Hash2(app_seed, 1));
  out += " for ";
  out += PickByHash(OrgPrefixes(), Hash2(app_seed, 2));
  out += ' ';
  out += PickByHash(OrgNouns(), Hash2(app_seed, 3));
  out += ". ";
  const auto& rules = AppRules();
  std::uint64_t r1 = Hash2(app_seed, 4) % rules.size();
  std::uint64_t r2 = (r1 + 1 + Hash2(app_seed, 5) % (rules.size() - 1)) % rules.size();
  out += rules[r1];
  out += ' ';
  out += rules[r2];
  out += ' ';
  out += PickByHash(AppStyles(), Hash2(app_seed, 6));
  out += "\\n\\n";
  out += PickByHash(AppInputLabels(), Hash2(app_seed, 7));
  out += ": ";
  if (rng.Chance(0.5)) {
    rng.Pick(paste_sentences_).Render(rng, out);
  } else {
    rng.Pick(core_).Render(rng, out);
  }
}

void PromptBook::RenderCompany(Rng& rng, std::string& out) const {
  out += company_prompt_;
  rng.Pick(company_questions_).Render(rng, out);
}

void PromptBook::RenderAgent(std::uint32_t variant, Rng& rng, std::string& out) const {
  out += AgentFrameworkPrompts()[variant % AgentFrameworkPrompts().size()];
  rng.Pick(core_).Render(rng, out);
  out += "\\nThought:";
}

std::uint32_t PromptBook::agent_variants() const {
  return static_cast<std::uint32_t>(AgentFrameworkPrompts().size());
}

}  // namespace ringscope::gen

// Prompt text for every population of the world: benign questions, app
// developers' private system prompts, the company's internal system prompt,
// the agent framework's boilerplate and campaigns' templated families. All
// templates are compiled once; rendering appends JSON string content to a
// buffer in O(output length).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/gen/random.h"
#include "tools/gen/text.h"
#include "tools/gen/world.h"

namespace ringscope::gen {

class PromptBook {
 public:
  PromptBook(const BenignOptions& benign, std::string company_name);
  PromptBook(const PromptBook&) = delete;
  PromptBook& operator=(const PromptBook&) = delete;

  // Compiles `families` families of `templates` templates each (distinct task
  // domains where possible) and returns the index of the first template.
  std::uint32_t AddCampaignFamilies(int families, int templates, Rng& rng);
  std::uint32_t campaign_template_count() const {
    return static_cast<std::uint32_t>(campaign_templates_.size());
  }

  void RenderOrganic(Rng& rng, std::string& out) const;
  void RenderCampaign(std::uint32_t template_index, Rng& rng, std::string& out) const;
  // An app's system prompt is a pure function of `app_seed`; the user input varies.
  void RenderApp(std::uint64_t app_seed, Rng& rng, std::string& out) const;
  void RenderCompany(Rng& rng, std::string& out) const;
  void RenderAgent(std::uint32_t variant, Rng& rng, std::string& out) const;
  std::uint32_t agent_variants() const;

  // The text every render of a campaign template starts with (for tests).
  std::string_view CampaignPrefix(std::uint32_t template_index) const {
    return campaign_templates_[template_index].FixedPrefix();
  }

 private:
  void RenderCore(Rng& rng, std::string& out) const;
  void RenderPaste(Rng& rng, std::string& out) const;

  BenignOptions benign_;
  SlotTable slots_;
  std::vector<TextTemplate> core_, openers_, closers_, foreign_, paste_intros_, paste_sentences_;
  std::vector<TextTemplate> company_questions_;
  std::string company_prompt_;
  std::vector<TextTemplate> campaign_templates_;
  std::vector<std::size_t> domain_order_;
  std::size_t next_domain_ = 0;
};

}  // namespace ringscope::gen

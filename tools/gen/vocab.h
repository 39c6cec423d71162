// Vocabularies of the generated world: user agents, countries, names, email
// domains, organisations, and the building blocks of prompts (benign question
// patterns, pasted text, app system prompts, a company's system prompt, an
// agent framework's boilerplate, and the task domains campaigns harvest).
//
// All prompt text is stored as JSON string content (quotes and newlines
// pre-escaped as \" and \n) so the hot loop copies it verbatim; no entry holds
// a raw control character, quote or backslash other than those escapes.
// Pattern strings use the TextTemplate syntax of text.h.
#pragma once

#include <string_view>
#include <vector>

#include "tools/gen/text.h"

namespace ringscope::gen {

struct UserAgentInfo {
  std::string_view family;  // key campaigns and presets refer to ("chrome-win", "openai-python")
  std::string_view text;
  double weight;    // share among benign clients
  bool has_device;  // browsers and mobile apps carry a device fingerprint; SDKs do not
};
const std::vector<UserAgentInfo>& UserAgents();

struct CountryInfo {
  std::string_view code;
  double weight;
  int utc_offset_hours;
  std::string_view phone_code;  // without '+'
  int national_digits;          // length of the national number
  std::string_view local_email_domain;
};
const std::vector<CountryInfo>& Countries();

const std::vector<std::string_view>& FirstNames();
const std::vector<std::string_view>& LastNames();

struct EmailDomain {
  std::string_view domain;  // "" = the country's local domain
  double weight;
};
const std::vector<EmailDomain>& EmailDomains();

// Parts of organisation names: prefix + noun + legal suffix.
const std::vector<std::string_view>& OrgPrefixes();
const std::vector<std::string_view>& OrgNouns();
const std::vector<std::string_view>& OrgSuffixes();

// Every slot list the patterns below use.
void AddPromptSlots(SlotTable& slots);

// Benign prompts: openers and closers around a core question.
const std::vector<std::string_view>& BenignCorePatterns();
const std::vector<std::string_view>& BenignOpeners();
const std::vector<std::string_view>& BenignClosers();
const std::vector<std::string_view>& ForeignLanguagePatterns();
// Short prompts that thousands of unrelated users send verbatim.
const std::vector<std::string_view>& TrivialPrompts();
// "Summarize this:" followed by pasted sentences.
const std::vector<std::string_view>& PasteIntros();
const std::vector<std::string_view>& PasteSentences();

// App developers' own system prompts: role, two rules, a style, an input label.
const std::vector<std::string_view>& AppRoles();
const std::vector<std::string_view>& AppRules();
const std::vector<std::string_view>& AppStyles();
const std::vector<std::string_view>& AppInputLabels();

// The company's internal system prompt; "{company}" is replaced by its name.
std::string_view CompanySystemPrompt();
// Work questions employees append to it.
const std::vector<std::string_view>& CompanyQuestionPatterns();

// An open-source agent framework's boilerplate (a ReAct prompt) in a few
// variants (tool lists); users append their own question and "\nThought:".
const std::vector<std::string_view>& AgentFrameworkPrompts();

// What distillation campaigns harvest: per domain a persona and task
// patterns; shared goal, chain-of-thought and output-format phrasings.
struct CampaignDomain {
  std::string_view name;
  std::string_view persona;  // with [a|b] paraphrase choices
  std::vector<std::string_view> tasks;
};
const std::vector<CampaignDomain>& CampaignDomains();
const std::vector<std::string_view>& CampaignGoals();
const std::vector<std::string_view>& ChainOfThoughtPhrases();
const std::vector<std::string_view>& AnswerFormats();

}  // namespace ringscope::gen

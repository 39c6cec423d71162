#include "tools/cli_shell.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "db/analysis.h"
#include "tools/cli_commands.h"

namespace ringscope {

namespace {

constexpr const char* kBuiltins[][2] = {
    {"help", "List the commands; 'help CMD [SUB]' prints a command's --help"},
    {"exit", "Leave the shell (also 'quit' or end of input)"},
    {"quit", "Leave the shell"},
};

// Sets the log level for one line and restores the shell's afterwards.
class LogLevelScope {
 public:
  explicit LogLevelScope(spdlog::level::level_enum level) : saved_(spdlog::get_level()) {
    spdlog::set_level(level);
  }
  ~LogLevelScope() { spdlog::set_level(saved_); }
  LogLevelScope(const LogLevelScope&) = delete;
  LogLevelScope& operator=(const LogLevelScope&) = delete;

 private:
  spdlog::level::level_enum saved_;
};

spdlog::level::level_enum LineLevel(const CommandTree& tree) {
  bool verbose = tree.global.verbose, quiet = tree.global.quiet;
  if (tree.app.count("--verbose") > 0) quiet = false;
  if (tree.app.count("--quiet") > 0) verbose = false;
  return verbose ? spdlog::level::debug : quiet ? spdlog::level::warn : spdlog::level::info;
}

std::vector<CLI::App*> Subcommands(const CLI::App& app) {
  std::vector<CLI::App*> subs =
      const_cast<CLI::App&>(app).get_subcommands([](CLI::App*) { return true; });
  std::sort(subs.begin(), subs.end(),
            [](const CLI::App* a, const CLI::App* b) { return a->get_name() < b->get_name(); });
  return subs;
}

CLI::App* FindSubcommand(const CLI::App& app, std::string_view name) {
  for (CLI::App* sub : Subcommands(app))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

// The description's first sentence, at most ~70 bytes (a line of `help`).
std::string Summary(const std::string& text) {
  std::string flat = text.substr(0, text.find("\n\n"));
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  std::size_t end = flat.find(". ");
  if (end != std::string::npos) flat.resize(end);
  if (!flat.empty() && flat.back() == '.') flat.pop_back();
  if (flat.size() > 72) {
    std::size_t cut = flat.rfind(' ', 69);
    flat = flat.substr(0, cut == std::string::npos ? 69 : cut) + "...";
  }
  return flat;
}

void AddMatching(std::vector<std::string>& out, const std::string& candidate,
                 std::string_view prefix) {
  if (std::string_view(candidate).starts_with(prefix)) out.push_back(candidate);
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

ShellWords SplitShellWords(std::string_view line) {
  ShellWords result;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) result.words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else if (c == '\'') {
      std::size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        result.error = "unterminated ' quote";
        return result;
      }
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '"') {
      in_word = true;
      for (++i;; ++i) {
        if (i >= line.size()) {
          result.error = "unterminated \" quote";
          return result;
        }
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() &&
            std::string_view("\"\\$`").find(line[i + 1]) != std::string_view::npos)
          ++i;
        word += line[i];
      }
    } else if (c == '\\') {
      if (i + 1 >= line.size()) {
        result.error = "trailing backslash";
        return result;
      }
      word += line[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) result.words.push_back(std::move(word));
  return result;
}

std::unique_ptr<CommandTree> BuildCommandTree(const GlobalOptions& defaults) {
  auto tree = std::make_unique<CommandTree>();
  tree->global = defaults;
  CLI::App& app = tree->app;
  app.name("ringscope");
  app.description("ringscope: the account networks behind distillation campaigns");
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand, as in main()
  app.add_option("--db", tree->global.db_path,
                 "SQLite database file (default: the shell's, else $RINGSCOPE_DB, else "
                 "ringscope.db)");
  auto* verbose = app.add_flag("-v,--verbose", tree->global.verbose, "More log output");
  app.add_flag("-q,--quiet", tree->global.quiet, "Only warnings and errors")->excludes(verbose);
  SetupAllCommands(app, tree->global, tree->registry);
  return tree;
}

int RunCommandLine(const std::vector<std::string>& words, const GlobalOptions& defaults) {
  try {
    std::unique_ptr<CommandTree> tree = BuildCommandTree(defaults);
    if (!words.empty() && !words.front().starts_with("-") &&
        FindSubcommand(tree->app, words.front()) == nullptr) {
      spdlog::error("unknown command '{}': 'help' lists the commands", words.front());
      return 2;
    }
    std::vector<std::string> args(words.rbegin(), words.rend());  // CLI11 pops from the back
    try {
      tree->app.parse(args);
    } catch (const CLI::ParseError& e) {
      int code = tree->app.exit(e);
      return code == 0 ? 0 : 2;
    }
    LogLevelScope level(LineLevel(*tree));
    if (!tree->registry.RunParsed(tree->app)) {
      std::cerr << tree->app.help();
      return 2;
    }
    std::cout.flush();
    return 0;
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

int RunHelp(const std::vector<std::string>& args, const GlobalOptions& defaults,
            std::ostream& out) {
  std::unique_ptr<CommandTree> tree = BuildCommandTree(defaults);
  if (args.empty()) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const CLI::App* sub : Subcommands(tree->app))
      if (sub->get_name() != "shell") rows.emplace_back(sub->get_name(), Summary(sub->get_description()));
    for (const auto& builtin : kBuiltins) rows.emplace_back(builtin[0], builtin[1]);
    std::size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.first.size());
    out << "Commands (each takes --help; global options --db, -v, -q go on any line):\n";
    for (const auto& [name, text] : rows)
      out << "  " << name << std::string(width - name.size() + 2, ' ') << text << '\n';
    return 0;
  }
  CLI::App* node = &tree->app;
  std::string prev = "ringscope";
  for (const std::string& name : args) {
    CLI::App* sub = FindSubcommand(*node, name);
    if (sub == nullptr) {
      spdlog::error("no command '{}'{}; 'help' lists them", name,
                    node == &tree->app ? "" : " under '" + node->get_name() + "'");
      return 2;
    }
    if (node != &tree->app) prev += " " + node->get_name();
    node = sub;
  }
  out << node->help(prev);
  return 0;
}

std::optional<std::string> PrefixUpperBound(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xFF) bound.pop_back();
  if (bound.empty()) return std::nullopt;
  bound.back() = static_cast<char>(static_cast<unsigned char>(bound.back()) + 1);
  return bound;
}

std::vector<std::string> CompleteIds(Database& db, std::string_view prefix, std::size_t limit) {
  std::vector<std::string> out;
  std::optional<std::string> bound = PrefixUpperBound(prefix);
  const std::int64_t n = static_cast<std::int64_t>(limit);
  auto collect = [&](Statement& s, int first_param) {
    s.Bind(first_param, prefix);
    if (bound) s.Bind(first_param + 1, *bound);
    s.Bind(first_param + (bound ? 2 : 1), n);
    while (s.Step()) out.push_back(s.ColumnText(0));
  };
  {
    Statement s(db, bound ? "SELECT name FROM accounts WHERE name >= ?1 AND name < ?2 "
                            "ORDER BY name LIMIT ?3"
                          : "SELECT name FROM accounts WHERE name >= ?1 ORDER BY name LIMIT ?2");
    collect(s, 1);
  }
  if (std::optional<std::int64_t> run = LatestRunId(db)) {
    Statement s(db, bound ? "SELECT cluster_id FROM clusters WHERE run_id = ?1 AND "
                            "cluster_id >= ?2 AND cluster_id < ?3 ORDER BY cluster_id LIMIT ?4"
                          : "SELECT cluster_id FROM clusters WHERE run_id = ?1 AND "
                            "cluster_id >= ?2 ORDER BY cluster_id LIMIT ?3");
    s.Bind(1, *run);
    collect(s, 2);
  }
  SortUnique(out);
  return out;
}

CompletionResult CompleteWord(const CompletionRequest& request) {
  CompletionResult result;
  std::unique_ptr<CommandTree> tree = BuildCommandTree({});
  const std::vector<std::string>& before = request.words_before;
  const std::string& text = request.text;
  // The command path typed so far (global options skipped).
  CLI::App* node = &tree->app;
  bool help = false;
  for (const std::string& word : before) {
    if (node == &tree->app && word == "help") {
      help = true;
      continue;
    }
    if (CLI::App* sub = FindSubcommand(*node, word)) node = sub;
  }
  bool at_command = node == &tree->app && !help &&
                    std::none_of(before.begin(), before.end(), [](const std::string& w) {
                      return !w.empty() && w.front() != '-';
                    });
  if (!text.empty() && text.front() == '-' && !help) {
    for (const CLI::App* scope : {static_cast<const CLI::App*>(node),
                                  static_cast<const CLI::App*>(&tree->app)}) {
      for (const CLI::Option* option : scope->get_options()) {
        for (const std::string& name : option->get_lnames()) AddMatching(result.candidates, "--" + name, text);
        for (const std::string& name : option->get_snames()) AddMatching(result.candidates, "-" + name, text);
      }
    }
  } else if (at_command) {
    for (const CLI::App* sub : Subcommands(tree->app))
      if (sub->get_name() != "shell") AddMatching(result.candidates, sub->get_name(), text);
    for (const auto& builtin : kBuiltins) AddMatching(result.candidates, builtin[0], text);
  } else if (help || !Subcommands(*node).empty()) {
    for (const CLI::App* sub : Subcommands(*node))
      if (sub->get_name() != "shell") AddMatching(result.candidates, sub->get_name(), text);
  } else {
    result.needs_ids = true;
  }
  SortUnique(result.candidates);
  return result;
}

}  // namespace ringscope

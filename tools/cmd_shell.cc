#include "tools/cmd_shell.h"

#include <fcntl.h>
#include <signal.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <iostream>

#include "db/sqlite.h"
#include "tools/cli_shell.h"

namespace ringscope {

namespace {

constexpr int kHistoryLines = 1000;
constexpr std::size_t kIdCandidates = 50;  // per kind (accounts, clusters)
constexpr const char* kPrompt = "ringscope> ";

// Readline's callbacks are plain C functions: they reach the shell through
// this pointer, set while the interactive loop runs.
struct CompletionState {
  GlobalOptions global;
  std::vector<std::string> candidates;
  std::size_t next = 0;
};
CompletionState* g_completion = nullptr;

// Ctrl-C at the prompt abandons the line being typed (as in bash); while a
// command runs it ends the shell as usual (every write is transactional).
// The handler runs while readline is blocked reading a key (the only time
// it is installed), the usual way to clear readline's line on SIGINT.
void OnInterrupt(int) {
  static const char kNewLine[] = "^C\n";
  (void)!::write(STDOUT_FILENO, kNewLine, sizeof kNewLine - 1);
  rl_on_new_line();
  rl_replace_line("", 0);
  rl_redisplay();
}

// Installs OnInterrupt for the life of the object (SA_RESTART: readline's
// read goes on after it), then restores the previous handler.
class PromptInterrupts {
 public:
  PromptInterrupts() {
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~PromptInterrupts() { sigaction(SIGINT, &previous_, nullptr); }
  PromptInterrupts(const PromptInterrupts&) = delete;
  PromptInterrupts& operator=(const PromptInterrupts&) = delete;

 private:
  struct sigaction previous_ {};
};

// One line from readline (nullopt at end of input), Ctrl-C clearing it.
std::optional<std::string> ReadPromptLine() {
  PromptInterrupts interrupts;
  char* raw = readline(kPrompt);
  if (raw == nullptr) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  return line;
}

std::string HistoryPath() {
  if (const char* env = std::getenv("RINGSCOPE_HISTORY"); env != nullptr && *env != '\0')
    return env;
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.ringscope_history";
  return {};
}

// Account names and cluster ids from the database, if there is one yet.
std::vector<std::string> DatabaseIds(const GlobalOptions& global, std::string_view prefix) {
  std::string path = global.ResolvedDbPath();
  if (!std::filesystem::exists(path)) return {};
  Database db(path, DatabaseOptions{.mode = OpenMode::kReadOnly, .busy_timeout_ms = 200,
                                    .cache_size_kib = 2048});
  return CompleteIds(db, prefix, kIdCandidates);
}

char* NextCandidate(const char* /*text*/, int state) {
  if (state == 0) g_completion->next = 0;
  if (g_completion->next >= g_completion->candidates.size()) return nullptr;
  return strdup(g_completion->candidates[g_completion->next++].c_str());
}

// Commands, subcommands and options from the command tree; otherwise ids from
// the database; otherwise readline's file name completion.
char** Complete(const char* text, int start, int /*end*/) {
  rl_attempted_completion_over = 1;
  try {
    ShellWords before = SplitShellWords(std::string_view(rl_line_buffer, start));
    CompletionResult result = CompleteWord({.words_before = before.words, .text = text});
    if (result.needs_ids) result.candidates = DatabaseIds(g_completion->global, text);
    if (result.candidates.empty()) {
      rl_attempted_completion_over = result.needs_ids ? 0 : 1;  // files
      return nullptr;
    }
    g_completion->candidates = std::move(result.candidates);
    return rl_completion_matches(text, NextCandidate);
  } catch (const std::exception&) {
    return nullptr;  // a busy or unreadable database just offers nothing
  }
}

// Outcome of one line: keep going, or leave with a code.
struct LineOutcome {
  bool leave = false;
  int code = 0;
};

LineOutcome RunLine(const std::string& line, const GlobalOptions& global, int last_code) {
  ShellWords split = SplitShellWords(line);
  if (!split.error.empty()) {
    spdlog::error("{}", split.error);
    return {.leave = false, .code = 2};
  }
  const std::vector<std::string>& words = split.words;
  if (words.empty()) return {.leave = false, .code = last_code};
  const std::string& command = words.front();
  if (command == "exit" || command == "quit") return {.leave = true, .code = last_code};
  if (command == "help")
    return {.leave = false,
            .code = RunHelp(std::vector<std::string>(words.begin() + 1, words.end()), global,
                            std::cout)};
  if (command == "shell") {
    spdlog::error("already in the shell");
    return {.leave = false, .code = 2};
  }
  int code = RunCommandLine(words, global);
  std::cout.flush();
  return {.leave = false, .code = code};
}

// Lines from a pipe or file: no prompt, no echo, no history.
int RunScript(const GlobalOptions& global) {
  int last = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    LineOutcome outcome = RunLine(line, global, last);
    if (outcome.leave) return outcome.code;
    last = outcome.code;
  }
  return last;
}

void OpenHistory(const std::string& path) {
  stifle_history(kHistoryLines);
  if (path.empty()) return;
  // Created private: command lines can name accounts and files.
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_APPEND, 0600);
  if (fd < 0) {
    spdlog::warn("cannot open the history file '{}': {}", path, std::strerror(errno));
    return;
  }
  ::close(fd);
  read_history(path.c_str());
}

int RunInteractive(const GlobalOptions& global) {
  CompletionState state{.global = global, .candidates = {}, .next = 0};
  g_completion = &state;
  rl_readline_name = "ringscope";
  rl_attempted_completion_function = Complete;
  static char kWordBreaks[] = " \t\n\"'";
  rl_completer_word_break_characters = kWordBreaks;
  static char kQuotes[] = "\"'";
  rl_completer_quote_characters = kQuotes;
  rl_catch_signals = 0;  // SIGINT at the prompt is ours (PromptInterrupts)
  const std::string history = HistoryPath();
  OpenHistory(history);
  std::cout << "ringscope shell on " << global.ResolvedDbPath()
            << ": 'help' lists commands, Tab completes, 'exit' or Ctrl-D leaves\n";
  int last = 0;  // for 'exit', as in sh
  while (true) {
    std::optional<std::string> read = ReadPromptLine();
    if (!read) {  // end of input
      std::cout << '\n';
      break;
    }
    const std::string& line = *read;
    if (line.find_first_not_of(" \t") != std::string::npos) {
      add_history(line.c_str());
      if (!history.empty()) append_history(1, history.c_str());
    }
    LineOutcome outcome = RunLine(line, global, last);
    last = outcome.code;
    if (outcome.leave) break;
  }
  if (!history.empty()) history_truncate_file(history.c_str(), kHistoryLines);
  g_completion = nullptr;
  return 0;  // a person saw each command's outcome
}

}  // namespace

void SetupShellCommand(CLI::App& app, const GlobalOptions& global, CommandRegistry& registry) {
  CLI::App* cmd = app.add_subcommand(
      "shell",
      "An interactive prompt running the same commands (stats, analyze, export, ...) on one\n"
      "database: line editing, history (~/.ringscope_history, or $RINGSCOPE_HISTORY) and\n"
      "Tab completion of commands, options, account names and cluster ids. Quotes work as in\n"
      "sh. A failing command prints its error and the shell goes on; 'help' lists commands,\n"
      "'help CMD' shows one; 'exit', 'quit' or Ctrl-D leave. When standard input is not a\n"
      "terminal, lines are read without prompt or echo (scripts can be piped in). The exit\n"
      "code of a script is 0 when its last command succeeded, else 1.\n\n"
      "Example: printf 'stats\\nexport banlist -o ban.csv\\n' | ringscope --db x.db shell");
  registry.Add(cmd, [&global] {
    int code = ::isatty(STDIN_FILENO) ? RunInteractive(global) : RunScript(global);
    std::cout.flush();
    if (code != 0)  // as sh: the shell's status is its last command's
      throw CommandFailure("the last command failed (exit code " + std::to_string(code) + ")");
  });
}

}  // namespace ringscope

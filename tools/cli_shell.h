// The parts of `ringscope shell` that do not touch the terminal: splitting a
// line into words as a POSIX shell does, running one line through the same
// CLI11 command tree as the main program, the `help` builtin, and the
// candidates offered by tab completion (command names, options, account
// names and cluster ids by bounded prefix queries).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "db/sqlite.h"
#include "tools/cli_common.h"

namespace ringscope {

struct ShellWords {
  std::vector<std::string> words;
  std::string error;  // set for an unterminated quote or a trailing backslash
};

// Splits `line` into words like sh: blanks separate words; '...' is literal;
// "..." keeps everything but \" \\ \$ \` (backslash escapes); outside quotes
// a backslash escapes the next character; '#' at the start of a word begins a
// comment. Adjacent quoted and unquoted parts join ("a"'b'c is one word abc).
// O(|line|).
ShellWords SplitShellWords(std::string_view line);

// The whole command tree of the main program for one line: the root with the
// global options (--db, -v, -q) and every subcommand. `global` starts as a
// copy of the shell's options, so a line without --db uses the shell's
// database. Heap-allocated because the commands keep pointers into it.
struct CommandTree {
  CLI::App app;
  GlobalOptions global;
  CommandRegistry registry;
};
std::unique_ptr<CommandTree> BuildCommandTree(const GlobalOptions& defaults);

// Runs one command line (already split) through a fresh command tree and
// returns its exit code (0 ok, 1 failure, 2 usage), printing errors as the
// main program does; never throws. The log level follows the line's -v/-q,
// else the shell's, and is restored afterwards.
int RunCommandLine(const std::vector<std::string>& words, const GlobalOptions& defaults);

// The `help` builtin: with no argument, lists the commands (and the shell's
// own: help, exit, quit) with their one-line descriptions; `help CMD [SUB]`
// prints that command's --help. Returns the exit code (2 for an unknown
// command).
int RunHelp(const std::vector<std::string>& args, const GlobalOptions& defaults,
            std::ostream& out);

// The upper bound of the byte strings starting with `prefix` (for
// `x >= prefix AND x < bound`), or nullopt when there is none (an empty
// prefix, or only 0xFF bytes). O(|prefix|).
std::optional<std::string> PrefixUpperBound(std::string_view prefix);

// Account names and cluster ids of the latest complete run starting with
// `prefix`, at most `limit` of each, sorted and without duplicates. Each is
// one index range scan: O(limit + log n).
std::vector<std::string> CompleteIds(Database& db, std::string_view prefix, std::size_t limit);

// What to complete at the cursor, given the words before the word being
// completed and that word's text so far.
struct CompletionRequest {
  std::vector<std::string> words_before;
  std::string text;
};

// Candidates that do not need the database: command names (first word),
// subcommand names (export banlist|...), option names (a word starting with
// '-'). `needs_ids` is set when the word should rather be completed with
// account names and cluster ids (CompleteIds). Sorted. O(options).
struct CompletionResult {
  std::vector<std::string> candidates;
  bool needs_ids = false;
};
CompletionResult CompleteWord(const CompletionRequest& request);

}  // namespace ringscope

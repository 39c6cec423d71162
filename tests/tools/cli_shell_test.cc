// `ringscope shell`: word splitting, completion candidates and prefix
// queries as functions; the shell itself driven by a stdin script and, for
// line editing, history and Tab completion, through a pseudo-terminal.
#include "tools/cli_shell.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "db/store.h"
#include "tiny_world.h"

namespace ringscope {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

using Words = std::vector<std::string>;

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// ------------------------------------------------------------ splitting --

TEST(ShellWords, SplitsOnBlanksAndKeepsQuotedTextWhole) {
  EXPECT_EQ(SplitShellWords("  stats   --format  csv ").words, (Words{"stats", "--format", "csv"}));
  EXPECT_EQ(SplitShellWords("account 'a b' \"c d\"").words, (Words{"account", "a b", "c d"}));
  EXPECT_EQ(SplitShellWords("x\"a\"'b'c").words, (Words{"xabc"}));
  EXPECT_EQ(SplitShellWords("'' \"\"").words, (Words{"", ""}));
  EXPECT_TRUE(SplitShellWords("   ").words.empty());
}

TEST(ShellWords, HandlesEscapesAndComments) {
  EXPECT_EQ(SplitShellWords(R"(a\ b "q\"x\\y" 'no\esc')").words,
            (Words{"a b", "q\"x\\y", "no\\esc"}));
  EXPECT_EQ(SplitShellWords(R"("keep\n")").words, (Words{"keep\\n"}));
  EXPECT_EQ(SplitShellWords("stats # the counts").words, (Words{"stats"}));
  EXPECT_EQ(SplitShellWords("value ip#1").words, (Words{"value", "ip#1"}));
  EXPECT_TRUE(SplitShellWords("# only a comment").words.empty());
}

TEST(ShellWords, ReportsUnterminatedQuotesAndTrailingBackslash) {
  EXPECT_NE(SplitShellWords("account 'open").error, "");
  EXPECT_NE(SplitShellWords("account \"open").error, "");
  EXPECT_NE(SplitShellWords("account \\").error, "");
  EXPECT_EQ(SplitShellWords("account 'closed'").error, "");
}

// ----------------------------------------------------------- completion --

TEST(ShellCompletion, PrefixUpperBoundIsTheNextByteString) {
  EXPECT_EQ(PrefixUpperBound("acct_1"), "acct_2");
  EXPECT_EQ(PrefixUpperBound("a\xFF"), "b");
  EXPECT_EQ(PrefixUpperBound(""), std::nullopt);
  EXPECT_EQ(PrefixUpperBound("\xFF\xFF"), std::nullopt);
}

TEST(ShellCompletion, CompletesCommandsSubcommandsAndOptions) {
  CompletionResult first = CompleteWord({.words_before = {}, .text = "st"});
  EXPECT_EQ(first.candidates, (Words{"stats"}));
  EXPECT_FALSE(first.needs_ids);
  CompletionResult all = CompleteWord({.words_before = {}, .text = ""});
  for (const char* name : {"analyze", "export", "help", "exit", "quit", "stats", "render", "expand"})
    EXPECT_TRUE(Contains(all.candidates, name)) << name;
  EXPECT_FALSE(Contains(all.candidates, "shell"));  // no shell inside the shell
  EXPECT_EQ(CompleteWord({.words_before = {"export"}, .text = "b"}).candidates,
            (Words{"banlist"}));
  EXPECT_EQ(CompleteWord({.words_before = {"--db", "x.db", "export"}, .text = "c"}).candidates,
            (Words{"clusters"}));
  Words options = CompleteWord({.words_before = {"stats"}, .text = "--f"}).candidates;
  EXPECT_EQ(options, (Words{"--format"}));
  Words global = CompleteWord({.words_before = {"stats"}, .text = "--d"}).candidates;
  EXPECT_TRUE(Contains(global, "--db"));
  Words help = CompleteWord({.words_before = {"help"}, .text = "ex"}).candidates;
  EXPECT_TRUE(Contains(help, "export"));
  EXPECT_TRUE(Contains(help, "expand"));
}

TEST(ShellCompletion, AskForIdsWhereAnArgumentGoes) {
  EXPECT_TRUE(CompleteWord({.words_before = {"render", "cluster"}, .text = "c_"}).needs_ids);
  EXPECT_TRUE(CompleteWord({.words_before = {"expand", "--seeds"}, .text = "ac"}).needs_ids);
  EXPECT_FALSE(CompleteWord({.words_before = {"render"}, .text = "c"}).needs_ids);
}

// ---------------------------------------------------- the tiny world --

class ShellCli : public testing::TinyWorldSuite {
 protected:
  // Runs `ringscope --db DB shell` with `script` on standard input; DB is the
  // shared world (read only) unless a test's own copy is given.
  RunResult Shell(const std::string& script, const std::string& db = "") {
    std::string input = dir_.Write("script.txt", script);
    return RunCommand(RINGSCOPE_BINARY, {"--db", db.empty() ? world_->db : db, "shell"}, dir_,
                      input);
  }

  TempDir dir_;
};

TEST_F(ShellCli, CompleteIdsFindsAccountsAndClustersByPrefix) {
  StoreOptions read_only;
  read_only.read_only = true;
  Store store = Store::Open(world_->db, read_only);
  const std::string account = world_->campaign_of.begin()->first;
  const std::string prefix = account.substr(0, account.size() - 1);
  std::vector<std::string> ids = CompleteIds(store.db(), prefix, 50);
  EXPECT_TRUE(Contains(ids, account)) << prefix;
  for (const std::string& id : ids) EXPECT_EQ(id.rfind(prefix, 0), 0u) << id;
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  std::vector<std::string> clusters = CompleteIds(store.db(), "c_", 3);
  ASSERT_FALSE(clusters.empty());
  EXPECT_LE(clusters.size(), 3u);
  for (const std::string& id : clusters) EXPECT_EQ(id.rfind("c_", 0), 0u) << id;
  EXPECT_EQ(CompleteIds(store.db(), "", 5).size() >= 5u, true);  // unbounded prefix, still capped
  EXPECT_TRUE(CompleteIds(store.db(), "no-such-prefix-", 50).empty());
}

TEST_F(ShellCli, ScriptRunsCommandsSurvivesAFailureAndEchoesNothingExtra) {
  RunResult r = Shell(
      "stats --format csv\n"
      "top --format csv\n"
      "help\n"
      "no-such-command\n"
      "render cluster c_9999 -o x.dot\n"
      "\n"
      "# a comment line\n"
      "stats --format json\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;  // the last command succeeded
  // Both stats ran on the shell's database.
  EXPECT_NE(r.out.find("accounts"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"accounts\""), std::string::npos) << r.out;
  // top listed the run's clusters.
  EXPECT_NE(r.out.find("\nc_0001,"), std::string::npos) << r.out;
  // help lists the commands and the builtins.
  for (const char* name : {"analyze", "export", "render", "expand", "exit", "help"})
    EXPECT_NE(r.out.find("  " + std::string(name) + " "), std::string::npos) << name;
  // The failures were reported on stderr and the shell went on.
  EXPECT_NE(r.err.find("no-such-command"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("c_9999"), std::string::npos) << r.err;
  // No prompt or echo when standard input is not a terminal.
  EXPECT_EQ(r.out.find("ringscope>"), std::string::npos);
  EXPECT_EQ(r.out.find("stats --format"), std::string::npos);
}

TEST_F(ShellCli, HelpCommandPrintsThatCommandsHelp) {
  RunResult r = Shell("help export banlist\nhelp stats\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ringscope export banlist"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--min-score"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--format"), std::string::npos) << r.out;
  RunResult unknown = Shell("help nothing\n");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("nothing"), std::string::npos) << unknown.err;
}

TEST_F(ShellCli, QuotedArgumentsReachTheCommandAndExitStopsTheScript) {
  const std::string path = dir_.File("ban list.csv");
  const std::string db = dir_.File("copy.db");  // export records itself in the database
  world_->CopyDb(db);
  RunResult r = Shell("export banlist -o '" + path + "' -q\nexit\nstats --format json\n", db);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::ReadFile(path).rfind("account,cluster,score,reasons", 0), 0u);
  EXPECT_EQ(r.out.find("\"accounts\""), std::string::npos) << "ran past exit: " << r.out;
}

TEST_F(ShellCli, ScriptEndingInAFailureExitsNonZeroAndLineDbOverridesTheShells) {
  RunResult r = Shell("stats --db " + dir_.File("missing.db") + "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.db"), std::string::npos) << r.err;
  RunResult unterminated = Shell("stats 'open\n");
  EXPECT_EQ(unterminated.exit_code, 1);
  EXPECT_NE(unterminated.err.find("unterminated"), std::string::npos) << unterminated.err;
}

// ---------------------------------------------------- pseudo-terminal --

// The shell on a pseudo-terminal: reads until `expect` shows up (or 10 s).
class PtyShell {
 public:
  PtyShell(const std::string& db, const std::string& history) {
    pid_ = forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      setenv("RINGSCOPE_HISTORY", history.c_str(), 1);
      setenv("TERM", "dumb", 1);
      execl(RINGSCOPE_BINARY, RINGSCOPE_BINARY, "--db", db.c_str(), "shell",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtyShell() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return pid_ > 0; }
  void Send(const std::string& keys) { ASSERT_EQ(write(fd_, keys.data(), keys.size()), ssize_t(keys.size())); }
  // Output read so far, once it contains `expect`; false on timeout.
  bool ReadUntil(const std::string& expect) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (output_.find(expect, seen_) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      ssize_t n = read(fd_, buffer, sizeof buffer);
      if (n <= 0) return output_.find(expect, seen_) != std::string::npos;
      output_.append(buffer, n);
    }
    seen_ = output_.find(expect, seen_) + expect.size();
    return true;
  }
  int Wait() {
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      char buffer[4096];
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0 && read(fd_, buffer, sizeof buffer) > 0) continue;
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& output() const { return output_; }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string output_;
  std::size_t seen_ = 0;
};

TEST_F(ShellCli, TerminalSessionCompletesWithTabAndKeepsHistory) {
  const std::string history = dir_.File("history");
  {
    PtyShell shell(world_->db, history);
    ASSERT_TRUE(shell.ok());
    ASSERT_TRUE(shell.ReadUntil("ringscope> ")) << shell.output();
    shell.Send("half a line");
    ASSERT_TRUE(shell.ReadUntil("half a line")) << shell.output();
    shell.Send("\x03");  // Ctrl-C abandons the line, the shell stays
    ASSERT_TRUE(shell.ReadUntil("^C")) << shell.output();
    ASSERT_TRUE(shell.ReadUntil("ringscope> ")) << shell.output();
    shell.Send("sta\t");  // completes to "stats "
    ASSERT_TRUE(shell.ReadUntil("stats ")) << shell.output();
    shell.Send("--format csv\r");
    ASSERT_TRUE(shell.ReadUntil("what,count")) << shell.output();
    ASSERT_TRUE(shell.ReadUntil("ringscope> ")) << shell.output();
    shell.Send("exit\r");
    EXPECT_EQ(shell.Wait(), 0) << shell.output();
  }
  std::string saved = testing::ReadFile(history);
  EXPECT_NE(saved.find("stats --format csv"), std::string::npos) << saved;
  EXPECT_EQ(saved.find("half a line"), std::string::npos) << saved;
  EXPECT_NE(saved.find("exit"), std::string::npos) << saved;
  // The next session starts with that history: two steps back (Ctrl-P) bring
  // the stats line back.
  PtyShell again(world_->db, history);
  ASSERT_TRUE(again.ReadUntil("ringscope> ")) << again.output();
  again.Send("\x10");
  ASSERT_TRUE(again.ReadUntil("exit")) << again.output();
  again.Send("\x10");
  EXPECT_TRUE(again.ReadUntil("stats --format csv")) << again.output();
  again.Send("\x15\x04");  // Ctrl-U clears the line; Ctrl-D on an empty line leaves
  EXPECT_EQ(again.Wait(), 0) << again.output();
}

}  // namespace
}  // namespace ringscope

// Running commands as a user would, for the tests of the programs (assent, assentc), and
// starting a long-running `assent` (node, devnet) with its standard output readable.
#pragma once

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace assent::testing {

struct Output {
  int code;
  std::string out;  // stdout and stderr together
};

// Runs `command` with /bin/sh; its exit status and everything it printed.
inline Output shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe))
    out.append(buf.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A child process running `program args...`, whose standard output is `out`.
struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;

  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
  }
  // Reads lines until one contains `marker`; all it read.
  std::string read_until(const std::string& marker) {
    std::string text;
    char line[1024];
    while (fgets(line, sizeof line, out) != nullptr) {
      text += line;
      if (text.find(marker) != std::string::npos) break;
    }
    return text;
  }
  // Sends `signal` and waits; the wait status.
  int end(int signal) {
    if (pid <= 0) return 0;
    ::kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(out);
    pid = -1;
    return status;
  }
  ~Child() { end(SIGKILL); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
};

}  // namespace assent::testing

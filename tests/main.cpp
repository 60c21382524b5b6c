// The doctest binaries' main: SIGPIPE ignored, as in `assent` (node/cli/main.cpp), since the HTTP
// clients of the tests write without MSG_NOSIGNAL and a server may close before it has read
// a whole body it refuses.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <csignal>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  return doctest::Context(argc, argv).run();
}

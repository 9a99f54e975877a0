// The local OpenAI-compatible test server as its own process, so a benchmark can measure
// the harness's CPU without the server's:
//
//   perseval_test_server [--latency-ms L] [--jitter-ms J] [--threads N] [--answer TEXT]
//
// Prints the port on the first line of stdout, then serves until its stdin closes (the
// parent exited or closed the pipe) or it gets SIGTERM/SIGINT.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "tests/support/openai_test_server.h"

int main(int argc, char** argv) {
  int latency_ms = 0, jitter_ms = 0;
  size_t threads = 1100;
  std::string answer;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--latency-ms") latency_ms = std::atoi(value);
    else if (flag == "--jitter-ms") jitter_ms = std::atoi(value);
    else if (flag == "--threads") threads = static_cast<size_t>(std::atol(value));
    else if (flag == "--answer") answer = value;
    else {
      std::cerr << "perseval_test_server: unknown flag " << flag << "\n";
      return 2;
    }
  }
  perseval::test::OpenAITestServer::Options options;
  options.max_threads = threads;
  options.record_arrivals = false;  // a long benchmark would otherwise grow without bound
  perseval::test::OpenAITestServer server(options);
  server.set_latency(latency_ms, jitter_ms);
  if (!answer.empty())
    server.set_responder([answer](const std::string&, const nlohmann::json&) { return answer; });
  std::cout << server.port() << std::endl;
  char buf[256];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  return 0;
}

// libFuzzer target: the exec adapter's reading of its subprocess's stdout — the line
// splitter (with a small line limit) and parse_response_line on every line, plus the log
// shortener. Input: the byte stream the child wrote. All of these are documented as never
// throwing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "adapters/exec/exec_protocol.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  const std::string_view stream = fuzz::as_text(data, size);
  constexpr size_t kMaxLine = 512;
  LineSplitter splitter(kMaxLine);
  const auto on_line = [&](std::string_view line, bool truncated) {
    if (line.size() > kMaxLine) std::abort();  // documented bound
    const ResponseLine parsed = parse_response_line(line);
    if (!truncated && !parsed.problem && !parsed.id) std::abort();  // a good line names its id
    (void)shorten_for_log(line, 40);
  };
  // Feed in two chunks so a line can straddle reads.
  splitter.feed(stream.substr(0, size / 3), on_line);
  splitter.feed(stream.substr(size / 3), on_line);
  splitter.finish(on_line);
  (void)shorten_for_log(stream);
  return 0;
}

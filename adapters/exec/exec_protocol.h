// The JSON-lines protocol between the `exec` adapter and its subprocess.
//
//   request  (perseval → child stdin, one line each):
//     {"id": "17", "sample_id": "...", "messages": [{"role", "content"}, ...],
//      "gen": {"max_tokens", "temperature", "stop", "logprobs", "top_logprobs",
//              "seed"?, "top_p"?}}
//   response (child stdout → perseval, one line each, in any order):
//     {"id": "17", "text": "...", "usage"?: {"prompt_tokens", "completion_tokens"},
//      "logprobs"?: ..., "error"?: "..."}
//
// `id` is unique per adapter instance; a response with a non-null "error" fails its request.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "harness/core/types.h"

namespace perseval {

// The request line for `request` under protocol id `id`, ending in '\n'. Invalid UTF-8 in
// the messages is replaced (U+FFFD) rather than thrown. Pure; never throws on content.
std::string encode_request_line(const std::string& id, const Request& request);

// A response line as read. `id` is set when the line names one (a string or an integer);
// `problem` is set when the line is malformed (not JSON, not an object, no id, no string
// "text"); with both set, the request `id` should fail. Otherwise `completion` holds the
// text, usage and logprobs, or the server's error in `completion.error`.
struct ResponseLine {
  std::optional<std::string> id;
  std::optional<std::string> problem;
  Completion completion;
};

// Parses one line (without its '\n'). Pure; never throws.
ResponseLine parse_response_line(std::string_view line);

// Cuts a byte stream into lines. A line longer than `max_line` bytes is handed over cut at
// `max_line` with `truncated` = true and the rest of it, up to the next '\n', is skipped,
// so a child that never writes a newline cannot grow memory without bound.
// Not thread-safe: one splitter per stream, used by one thread.
class LineSplitter {
 public:
  using Handler = std::function<void(std::string_view line, bool truncated)>;
  explicit LineSplitter(size_t max_line) : max_line_(max_line) {}

  // Appends bytes and calls `on_line` for each completed line (without its '\n').
  void feed(std::string_view data, const Handler& on_line);
  // Hands over a last line that had no '\n' (at end of stream), then starts afresh.
  void finish(const Handler& on_line);

 private:
  size_t max_line_;
  std::string partial_;
  bool skipping_ = false;
};

// Shortens `text` to at most `max` bytes for a one-line log message (newlines become
// spaces, other control characters visible escapes as in terminal_safe, "..." marks a cut).
// Pure.
std::string shorten_for_log(std::string_view text, size_t max = 200);

}  // namespace perseval

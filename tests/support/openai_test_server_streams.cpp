#include "tests/support/openai_test_server_streams.h"

#include <algorithm>

namespace perseval::test {
namespace {

constexpr size_t kPiece = 64 * 1024;

const std::string& spaces() {
  static const std::string text(kPiece, ' ');
  return text;
}

// Writes `n` bytes and counts them; false when the client is gone.
bool write_counted(httplib::DataSink& sink, const char* data, size_t n, const StreamControl& control) {
  if (!sink.write(data, n)) return false;
  *control.streamed += static_cast<long long>(n);
  return true;
}

}  // namespace

void serve_huge_body(httplib::Response& res, std::string answer, size_t padding, StreamControl control) {
  auto text = std::make_shared<std::string>(std::move(answer));
  res.set_content_provider(padding + text->size(), "application/json",
                           [text, padding, control](size_t offset, size_t length, httplib::DataSink& sink) {
                             if (control.stopping()) return false;
                             if (offset < padding) {
                               const size_t n = std::min({kPiece, padding - offset, length});
                               return write_counted(sink, spaces().data(), n, control);
                             }
                             const size_t from = offset - padding;
                             return write_counted(sink, text->data() + from, std::min(length, text->size() - from),
                                                  control);
                           });
}

void serve_endless_body(httplib::Response& res, StreamControl control) {
  res.set_chunked_content_provider("application/json", [control](size_t, httplib::DataSink& sink) {
    if (control.stopping()) return false;
    return write_counted(sink, spaces().data(), kPiece, control);
  });
}

void serve_stalled_body(httplib::Response& res, std::string answer, StreamControl control) {
  res.set_content_provider(answer.size(), "application/json", [control](size_t, size_t, httplib::DataSink&) {
    control.pause(std::chrono::hours(24));
    return false;  // the server stops: the connection closes with the body unsent
  });
}

}  // namespace perseval::test

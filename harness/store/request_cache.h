// The request cache on disk: successful completions by request key, in a perseval store
// file (the run database by default, or a separate file shared across runs). Errors are
// never cached.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "harness/core/types.h"

namespace perseval {

class SqliteDb;

// Thread-safe: get() and put() may be called from any thread (one connection behind a
// mutex; SQLite look-ups by primary key take microseconds). Writes are buffered and
// committed in batches; flush() and the destructor commit what is buffered.
// A failed batch write (disk full, the file locked for longer than the busy timeout) is
// dropped and stops all further writing: those requests are simply made again next time.
// flush() then reports the failure.
class RequestCache {
 public:
  // Opens (creating and migrating if needed) the store file at `path`. Throws
  // std::runtime_error naming the path on failure.
  explicit RequestCache(const std::string& path);
  ~RequestCache();
  RequestCache(const RequestCache&) = delete;
  RequestCache& operator=(const RequestCache&) = delete;

  // The cached completion for `key` (text, usage, logprobs), if any.
  std::optional<Completion> get(const std::string& key);
  // Remembers a successful completion. A completion with an error is ignored. Never
  // throws: it runs inside model callbacks, which must always go on to deliver the answer.
  void put(const std::string& key, const std::string& model_name, const Completion& completion);
  // Commits buffered entries. Throws std::runtime_error naming the file on a write
  // failure, now or in an earlier batch.
  void flush();

  long long hits() const { return hits_; }
  long long misses() const { return misses_; }

 private:
  void flush_locked();
  void write_pending_locked();
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
  struct Pending {
    std::string model;
    std::string response;
  };
  std::unordered_map<std::string, Pending> pending_;
  std::optional<std::string> write_error_;  // set by the first failed write; no writes after
  std::atomic<long long> hits_{0};
  std::atomic<long long> misses_{0};
};

}  // namespace perseval

// The lock file `<dir>/.perseval-datasets.json`: for every file perseval fetched into a data
// directory, the URL it came from, its size, its SHA-256 and when it was fetched. The first
// fetch records; every later fetch and `datasets verify` checks against the record, so a
// file that changes upstream or on disk is noticed instead of silently used.
//
//   {"format": "perseval-datasets-lock", "version": 1,
//    "files": {"lamp/user/LaMP_1/dev/dev_questions.json":
//               {"bench": "lamp", "url": "https://...", "size": 123, "sha256": "...",
//                "fetched_at": "2025-01-01T12:00:00Z", "fetched_from": "https://mirror/..."}}}
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace perseval {

struct LockEntry {
  std::string bench;         // manifest name
  std::string url;           // the manifest URL (the file's identity)
  std::string fetched_from;  // the URL actually used, when a mirror rewrote it; else empty
  int64_t size = 0;
  std::string sha256;
  std::string fetched_at;    // UTC, ISO 8601
};

// Not thread-safe; one fetch at a time owns a data directory (see DirectoryLock).
class LockFile {
 public:
  // Reads `<dir>/.perseval-datasets.json`; an absent file gives an empty record. Throws
  // InputError naming the file when it exists but is malformed.
  static LockFile load(const std::string& dir);

  // The record of `path` (relative destination), or nullptr.
  const LockEntry* find(const std::string& path) const;
  // Adds or replaces the record of `path`.
  void record(const std::string& path, LockEntry entry);
  const std::map<std::string, LockEntry>& entries() const { return entries_; }
  // Writes the file atomically (temporary file + rename), so an interrupted save never
  // leaves a truncated record. Throws std::runtime_error on I/O failure.
  void save() const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, LockEntry> entries_;
};

// The lock file's name inside a data directory.
inline constexpr const char* kLockFileName = ".perseval-datasets.json";

// The current time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_timestamp();

// An exclusive advisory lock (flock) on `<dir>/.perseval-datasets.lock`, held for the
// object's lifetime, so two fetches into one directory cannot interleave their partial
// downloads. Throws std::runtime_error when another process holds it.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::string& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace perseval

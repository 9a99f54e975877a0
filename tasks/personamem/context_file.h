// PERSONAMEM's shared-contexts JSONL (personamem.md §3): one line per conversation,
// `{"<shared_context_id>": [{"role", "content"}, ...]}`. A 1M-token file is hundreds of MB, so
// it is never loaded whole: one pass records where each id's line starts (as upstream's
// build_jsonl_index does), and a question reads only its own line, with the few most recently
// used conversations kept parsed because questions of one context come in runs.
#pragma once

#include <cstdint>
#include <fstream>
#include <list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace perseval::personamem {

// Where one context's line is in the file.
struct ContextLine {
  uint64_t offset = 0;  // byte offset of the line's first byte
  uint64_t length = 0;  // bytes up to, not including, the '\n'
  long long line = 0;   // 1-based line number, for error messages
};

// Not thread-safe: one loader owns it. Copying is disabled (it owns an open file).
class ContextFile {
 public:
  // Scans `path` once, reading only each line's leading `{"<id>":` and skipping the rest
  // with memchr, so memory stays flat whatever the line sizes. Whitespace-only lines are
  // skipped; a repeated id keeps its last line (as upstream's dict does) and is counted.
  // Throws InputError ("FILE:LINE: ...") when the file cannot be read or a line does not
  // start with an object whose first key is a string.
  explicit ContextFile(std::string path, size_t cache_capacity = 4);
  ContextFile(const ContextFile&) = delete;
  ContextFile& operator=(const ContextFile&) = delete;

  const std::string& path() const { return path_; }
  size_t size() const { return index_.size(); }
  bool contains(std::string_view id) const { return index_.count(std::string(id)) > 0; }
  // The indexed line of `id`, or nullptr.
  const ContextLine* find(std::string_view id) const;

  // The message array of context `id`, read from disk unless cached. The array is checked:
  // the line is a one-key object whose key is `id`, its value an array of objects with string
  // "role" and "content". Throws InputError ("FILE:LINE: field ...: problem") on an unknown
  // id or a malformed line. The returned array stays valid after eviction.
  std::shared_ptr<const nlohmann::json> messages(const std::string& id);

  // Statistics for the load report and for tests of bounded reads.
  long long duplicate_ids() const { return duplicate_ids_; }
  long long lines_read() const { return lines_read_; }
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t file_bytes() const { return file_bytes_; }

 private:
  void build_index();
  void index_line(const std::string& head, bool complete, uint64_t offset, uint64_t length,
                  long long line);
  std::shared_ptr<const nlohmann::json> read_line(const std::string& id, const ContextLine& at);

  std::string path_;
  size_t capacity_;
  std::ifstream in_;
  std::unordered_map<std::string, ContextLine> index_;
  // Most recently used first; the map points into the list.
  using CacheItem = std::pair<std::string, std::shared_ptr<const nlohmann::json>>;
  std::list<CacheItem> lru_;
  std::unordered_map<std::string, std::list<CacheItem>::iterator> cached_;
  long long duplicate_ids_ = 0;
  long long lines_read_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t file_bytes_ = 0;
};

}  // namespace perseval::personamem

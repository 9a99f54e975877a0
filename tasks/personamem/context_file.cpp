#include "tasks/personamem/context_file.h"

#include <cstring>
#include <vector>

#include "harness/core/errors.h"
#include "tasks/personamem/line_error.h"

namespace perseval::personamem {

using json = nlohmann::json;

namespace {

// The id must appear within this many bytes of a line's start (ids are 64 hex characters).
constexpr size_t kHeadBytes = 4096;
constexpr size_t kChunkBytes = 1 << 20;

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

ContextFile::ContextFile(std::string path, size_t cache_capacity)
    : path_(std::move(path)), capacity_(cache_capacity == 0 ? 1 : cache_capacity) {
  in_.open(path_, std::ios::binary);
  if (!in_) throw InputError(line_error(path_, 0, "", "", "cannot be read"));
  build_index();
}

const ContextLine* ContextFile::find(std::string_view id) const {
  const auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &it->second;
}

void ContextFile::build_index() {
  std::vector<char> chunk(kChunkBytes);
  std::string head;  // the first kHeadBytes of the current line
  bool head_full = false;
  uint64_t line_start = 0;
  uint64_t pos = 0;  // file offset of chunk[0]
  long long line = 1;
  for (;;) {
    in_.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const size_t n = static_cast<size_t>(in_.gcount());
    if (n == 0) break;
    size_t i = 0;
    while (i < n) {
      const char* nl = static_cast<const char*>(std::memchr(chunk.data() + i, '\n', n - i));
      const size_t end = nl ? static_cast<size_t>(nl - chunk.data()) : n;
      if (!head_full) {
        const size_t take = std::min(end - i, kHeadBytes - head.size());
        head.append(chunk.data() + i, take);
        head_full = head.size() >= kHeadBytes;
      }
      if (!nl) break;
      const uint64_t line_end = pos + end;
      index_line(head, !head_full, line_start, line_end - line_start, line);
      head.clear();
      head_full = false;
      line_start = line_end + 1;
      ++line;
      i = end + 1;
    }
    pos += n;
  }
  if (in_.bad()) throw InputError(line_error(path_, line, "", "", "read error"));
  file_bytes_ = pos;
  if (line_start < pos) index_line(head, !head_full, line_start, pos - line_start, line);
  in_.clear();  // clear EOF so later seeks work
}

void ContextFile::index_line(const std::string& head, bool complete, uint64_t offset,
                             uint64_t length, long long line) {
  size_t p = 0;
  if (offset == 0 && head.compare(0, 3, "\xEF\xBB\xBF") == 0) p = 3;  // tolerate a BOM
  while (p < head.size() && is_json_space(head[p])) ++p;
  if (p == head.size() && complete) return;  // a blank line
  auto fail = [&](const std::string& problem) {
    throw InputError(line_error(path_, line, "", "", problem));
  };
  const std::string expected = "expected a line {\"<shared_context_id>\": [messages]}";
  if (p >= head.size() || head[p] != '{') fail(expected);
  ++p;
  while (p < head.size() && is_json_space(head[p])) ++p;
  if (p >= head.size() || head[p] != '"') fail(expected);
  size_t close = p + 1;
  while (close < head.size() && head[close] != '"') close += head[close] == '\\' ? 2 : 1;
  if (close >= head.size())
    fail("the context id does not end within the first " + std::to_string(kHeadBytes) +
         " bytes of the line");
  std::string id;
  try {
    id = json::parse(head.begin() + static_cast<std::ptrdiff_t>(p),
                     head.begin() + static_cast<std::ptrdiff_t>(close + 1))
             .get<std::string>();
  } catch (const json::exception&) {
    fail("the context id is not a valid JSON string");
  }
  size_t colon = close + 1;
  while (colon < head.size() && is_json_space(head[colon])) ++colon;
  if (colon >= head.size() || head[colon] != ':') fail(expected);
  const auto [it, inserted] = index_.insert_or_assign(id, ContextLine{offset, length, line});
  (void)it;
  if (!inserted) ++duplicate_ids_;
}

std::shared_ptr<const json> ContextFile::messages(const std::string& id) {
  if (const auto hit = cached_.find(id); hit != cached_.end()) {
    lru_.splice(lru_.begin(), lru_, hit->second);  // now most recently used
    return hit->second->second;
  }
  const ContextLine* at = find(id);
  if (!at) throw InputError(line_error(path_, 0, "", "", "no context with id " + id));
  auto parsed = read_line(id, *at);
  lru_.emplace_front(id, parsed);
  cached_[id] = lru_.begin();
  if (lru_.size() > capacity_) {
    cached_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return parsed;
}

std::shared_ptr<const json> ContextFile::read_line(const std::string& id, const ContextLine& at) {
  std::string text(at.length, '\0');
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(at.offset));
  in_.read(text.data(), static_cast<std::streamsize>(at.length));
  if (static_cast<uint64_t>(in_.gcount()) != at.length)
    throw InputError(
        line_error(path_, at.line, "", "", "the file is shorter than when it was indexed"));
  ++lines_read_;
  bytes_read_ += at.length;
  auto fail = [&](const std::string& field, const std::string& problem) {
    throw InputError(line_error(path_, at.line, "", field, problem));
  };
  json line;
  try {
    line = json::parse(text);
  } catch (const json::parse_error& e) {
    fail("", "invalid JSON at byte " + std::to_string(e.byte) + " of the line");
  } catch (const json::out_of_range& e) {  // a number beyond double's range
    fail("", std::string("invalid JSON: ") + e.what());
  }
  text.clear();
  text.shrink_to_fit();
  if (!line.is_object() || line.size() != 1)
    fail("", "expected an object with exactly one key, the shared_context_id");
  if (line.begin().key() != id) fail("", "the line's id changed since the file was indexed");
  json& list = line.begin().value();
  if (!list.is_array())
    fail(id, std::string("expected an array of messages, found ") + list.type_name());
  for (size_t i = 0; i < list.size(); ++i) {
    const json& m = list[i];
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) fail(where, std::string("expected an object, found ") + m.type_name());
    for (const char* key : {"role", "content"}) {
      const auto it = m.find(key);
      if (it == m.end()) fail(where + "." + key, "missing");
      if (!it->is_string())
        fail(where + "." + key, std::string("expected a string, found ") + it->type_name());
    }
  }
  return std::make_shared<const json>(std::move(list));
}

}  // namespace perseval::personamem

#include "harness/store/request_cache.h"

#include <sqlite3.h>

#include "harness/core/time_text.h"
#include "harness/store/sqlite_db.h"
#include "harness/store/store.h"

namespace perseval {
namespace {

constexpr size_t kBatch = 64;

std::string encode(const Completion& c) {
  return json{{"text", c.text},
              {"usage", {{"prompt_tokens", c.usage.prompt_tokens},
                         {"completion_tokens", c.usage.completion_tokens}}},
              {"logprobs", c.logprobs}}
      .dump();
}

Completion decode(const std::string& text) {
  const json j = json::parse(text);
  Completion c;
  c.text = j.at("text").get<std::string>();
  c.usage.prompt_tokens = j.at("usage").value("prompt_tokens", 0LL);
  c.usage.completion_tokens = j.at("usage").value("completion_tokens", 0LL);
  c.logprobs = j.value("logprobs", json());
  return c;
}

}  // namespace

RequestCache::RequestCache(const std::string& path) {
  Store::open(path);  // creates the file and migrates it to the schema with request_cache
  db_ = std::make_unique<SqliteDb>(path);
  db_->set_busy_timeout(5000);
}

RequestCache::~RequestCache() {
  try {
    flush();
  } catch (...) {
    // A cache that could not be written costs a re-run of those requests, nothing more.
  }
}

std::optional<Completion> RequestCache::get(const std::string& key) {
  std::lock_guard lock(mu_);
  if (auto it = pending_.find(key); it != pending_.end()) {
    ++hits_;
    return decode(it->second.response);
  }
  SqliteStatement select(*db_, "SELECT response FROM request_cache WHERE key = ?");
  select.bind_text(1, key);
  if (!select.step()) {
    ++misses_;
    return std::nullopt;
  }
  try {
    auto completion = decode(select.text(0));
    ++hits_;
    return completion;
  } catch (const std::exception&) {
    ++misses_;  // a damaged entry is treated as absent and will be overwritten
    return std::nullopt;
  }
}

void RequestCache::put(const std::string& key, const std::string& model_name,
                       const Completion& completion) {
  if (completion.error) return;
  std::lock_guard lock(mu_);
  if (write_error_) return;
  try {
    pending_[key] = Pending{model_name, encode(completion)};
    if (pending_.size() >= kBatch) flush_locked();
  } catch (const std::exception& e) {
    // Thrown into a model callback it would lose the answer it was handed (the HTTP
    // engine swallows callback exceptions), and the run would wait for it forever.
    write_error_ = e.what();
    pending_.clear();
  }
}

void RequestCache::flush() {
  std::lock_guard lock(mu_);
  if (write_error_) throw std::runtime_error(*write_error_);
  flush_locked();
}

void RequestCache::flush_locked() {
  if (pending_.empty()) return;
  try {
    write_pending_locked();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + " (saving " + std::to_string(pending_.size()) +
                             " answers to the request cache)");
  }
}

void RequestCache::write_pending_locked() {
  SqliteTransaction transaction(*db_);
  SqliteStatement insert(*db_,
                         "INSERT OR REPLACE INTO request_cache(key, model, response, created_at) "
                         "VALUES (?,?,?,?)");
  const std::string now = utc_now_iso();
  for (const auto& [key, entry] : pending_) {
    insert.bind_text(1, key);
    insert.bind_text(2, entry.model);
    insert.bind_text(3, entry.response);
    insert.bind_text(4, now);
    insert.run();
    insert.reset();
  }
  transaction.commit();
  pending_.clear();
}

}  // namespace perseval

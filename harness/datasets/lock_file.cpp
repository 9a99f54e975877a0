#include "harness/datasets/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "harness/core/errors.h"
#include "harness/core/types.h"

namespace perseval {

namespace {

constexpr const char* kFormat = "perseval-datasets-lock";

LockEntry parse_lock_entry(const json& j, const std::string& file, const std::string& path) {
  auto fail = [&](const std::string& problem) {
    throw InputError(file + ": entry '" + path + "': " + problem +
                     " (the lock file is written by perseval; restore it or remove the entry)");
  };
  if (!j.is_object()) fail("must be an object");
  LockEntry e;
  auto text = [&](const char* key, bool required) -> std::string {
    if (!j.contains(key)) {
      if (required) fail(std::string("missing '") + key + "'");
      return {};
    }
    if (!j[key].is_string()) fail(std::string("'") + key + "' must be a string");
    return j[key].get<std::string>();
  };
  e.bench = text("bench", true);
  e.url = text("url", true);
  e.fetched_from = text("fetched_from", false);
  e.sha256 = text("sha256", true);
  e.fetched_at = text("fetched_at", false);
  if (!j.contains("size") || !j["size"].is_number_integer()) fail("'size' must be an integer");
  e.size = j["size"].get<int64_t>();
  if (e.sha256.size() != 64) fail("'sha256' must be 64 hex characters");
  return e;
}

}  // namespace

LockFile LockFile::load(const std::string& dir) {
  LockFile lock;
  lock.file_ = (std::filesystem::path(dir) / kLockFileName).string();
  std::ifstream in(lock.file_, std::ios::binary);
  if (!in) {
    if (std::filesystem::exists(lock.file_)) throw InputError(lock.file_ + ": cannot be read");
    return lock;
  }
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
    throw InputError(lock.file_ + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object() || doc.value("format", "") != kFormat || !doc.contains("files") || !doc["files"].is_object())
    throw InputError(lock.file_ + ": not a perseval datasets lock file (expected \"format\": \"" + kFormat +
                     "\" and a \"files\" object)");
  if (!doc.contains("version") || doc["version"] != 1)
    throw InputError(lock.file_ + ": unsupported lock file version (this perseval reads version 1)");
  for (const auto& [path, value] : doc["files"].items())
    lock.entries_[path] = parse_lock_entry(value, lock.file_, path);
  return lock;
}

const LockEntry* LockFile::find(const std::string& path) const {
  auto it = entries_.find(path);
  return it == entries_.end() ? nullptr : &it->second;
}

void LockFile::record(const std::string& path, LockEntry entry) { entries_[path] = std::move(entry); }

void LockFile::save() const {
  json files = json::object();
  for (const auto& [path, e] : entries_) {
    json j{{"bench", e.bench}, {"url", e.url}, {"size", e.size}, {"sha256", e.sha256}, {"fetched_at", e.fetched_at}};
    if (!e.fetched_from.empty()) j["fetched_from"] = e.fetched_from;
    files[path] = j;
  }
  const json doc{{"format", kFormat}, {"version", 1}, {"files", files}};
  const std::string tmp = file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << doc.dump(2) << "\n";
    out.flush();
    if (!out) throw std::runtime_error(tmp + ": cannot write the lock file");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
  if (ec) throw std::runtime_error(file_ + ": cannot replace the lock file: " + ec.message());
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

DirectoryLock::DirectoryLock(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / ".perseval-datasets.lock").string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("another `perseval datasets fetch` is writing to " + dir + " (" + path +
                             " is locked); wait for it to finish");
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace perseval

#include "harness/datasets/inspect.h"

#include <filesystem>

#include "harness/core/sha256.h"
#include "harness/datasets/lock_file.h"
#include "harness/datasets/path_guard.h"

namespace fs = std::filesystem;

namespace perseval {

namespace {

int64_t regular_file_size(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return -1;
  const auto size = fs::file_size(p, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

}  // namespace

std::vector<FileStatus> dataset_status(const Manifest& manifest, const std::string& dir) {
  const LockFile lock = LockFile::load(dir);
  std::vector<FileStatus> out;
  for (const auto& e : manifest.files) {
    const fs::path dest = resolve_inside(dir, e.path);
    FileStatus s;
    s.path = e.path;
    s.expected_size = e.size;
    s.rejected_aside = fs::exists(dest.string() + ".rejected");
    const LockEntry* rec = lock.find(e.path);
    if (rec) s.recorded_sha256 = rec->sha256;
    s.size = regular_file_size(dest);
    if (s.size >= 0) {
      if (!rec)
        s.state = "unrecorded";
      else
        s.state = s.size == rec->size ? "present" : "changed";
    } else if (const int64_t part = regular_file_size(dest.string() + ".part"); part >= 0) {
      s.state = "partial";
      s.size = part;
    } else {
      s.state = "missing";
    }
    out.push_back(s);
  }
  return out;
}

VerifyReport verify_datasets(const std::string& dir, const std::optional<std::string>& bench) {
  const LockFile lock = LockFile::load(dir);
  VerifyReport report;
  for (const auto& [path, rec] : lock.entries()) {
    if (bench && rec.bench != *bench) continue;
    const fs::path file = resolve_inside(dir, path);
    VerifyResult r;
    r.path = path;
    r.bench = rec.bench;
    r.expected_sha256 = rec.sha256;
    r.expected_size = rec.size;
    r.actual_size = regular_file_size(file);
    if (r.actual_size < 0) {
      r.state = "missing";
    } else {
      // Hash even when the size differs, so the report shows what is there now.
      r.actual_sha256 = sha256_file_hex(file.string());
      r.state = r.actual_sha256 == rec.sha256 && r.actual_size == rec.size ? "ok" : "mismatch";
    }
    if (r.state != "ok") ++report.failures;
    report.files.push_back(r);
  }
  return report;
}

}  // namespace perseval

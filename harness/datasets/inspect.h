// `perseval datasets status` and `verify`: what a data directory holds compared with the
// manifests (cheap: sizes only) and with the lock file (thorough: every sha256 recomputed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/datasets/manifest.h"

namespace perseval {

struct FileStatus {
  std::string path;
  // "present" (recorded, size as recorded), "changed" (size differs from the record),
  // "unrecorded" (on disk, not in the lock file), "partial" (only `path`.part), "missing".
  std::string state;
  int64_t size = -1;       // bytes on disk (the .part for "partial"), -1 when absent
  std::optional<int64_t> expected_size;  // from the manifest
  std::string recorded_sha256;           // from the lock file, empty when unrecorded
  bool rejected_aside = false;           // a `path`.rejected from a failed check exists
};

// The state of each file of `manifest` in `dir`, in manifest order. Reads sizes and the lock
// file only (no hashing). Throws InputError for a destination outside `dir` or a malformed
// lock file.
std::vector<FileStatus> dataset_status(const Manifest& manifest, const std::string& dir);

struct VerifyResult {
  std::string path;
  std::string bench;
  std::string state;  // "ok", "mismatch" (size or sha256 differs) or "missing"
  std::string expected_sha256, actual_sha256;
  int64_t expected_size = 0, actual_size = -1;
};

struct VerifyReport {
  std::vector<VerifyResult> files;
  int failures = 0;  // mismatches plus missing files
};

// Recomputes the sha256 of every file recorded in `dir`'s lock file (only those of `bench`
// when given) and compares it with the record. Never modifies anything. Throws InputError
// for a malformed lock file or a recorded path outside `dir`.
VerifyReport verify_datasets(const std::string& dir, const std::optional<std::string>& bench);

}  // namespace perseval

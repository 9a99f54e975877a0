// `perseval datasets fetch`: brings a manifest's files into a data directory, checking each
// against the manifest (size, sha256 when given) and against the lock file's record.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/datasets/downloader.h"
#include "harness/datasets/manifest.h"

namespace perseval {

struct FetchOptions {
  std::string dir = "data";  // the data directory (created when missing)
  std::string base_url;      // mirror override, see apply_base_url; empty: the manifest's URLs
  DownloadOptions download;  // retries, timeouts, progress, stop flag (label is set per file)
};

enum class FetchState {
  kDownloaded,        // fetched (possibly resumed), checked and recorded
  kAlreadyPresent,    // on disk and matching the lock file's sha256; nothing fetched
  kRecordedExisting,  // on disk but not in the lock file: checked against the manifest and recorded
  kFailed,            // see `message`; nothing was replaced
};

struct FileOutcome {
  std::string path;  // relative destination
  FetchState state = FetchState::kFailed;
  int64_t size = 0;
  std::string sha256;
  int64_t resumed_from = 0;  // bytes that were already on disk in `path`.part
  std::string message;       // the failure, or a remark (e.g. where a rejected file was put)
};

struct FetchReport {
  std::vector<FileOutcome> files;
  int failed = 0;
  bool interrupted = false;  // the stop flag ended the fetch; later files were not attempted
};

// Fetches `files` (entries of `manifest`) into `options.dir`, one after the other.
// Every destination passes resolve_inside before anything is written, so a bad path throws
// InputError up front. A file already on disk is never overwritten: it is verified against the
// lock file (or, when unrecorded, against the manifest and then recorded). A download goes to
// `<dest>.part` and is renamed into place only after its size and sha256 check out; a download
// that fails a check is moved to `<dest>.rejected` and reported. One file's failure does not
// stop the others. The lock file is saved after each recorded file. `on_file` (optional) is
// called after each file. Throws std::runtime_error when the directory is locked by another
// fetch.
FetchReport fetch_files(const Manifest& manifest, const std::vector<const ManifestEntry*>& files,
                        const FetchOptions& options, const std::function<void(const FileOutcome&)>& on_file = {});

}  // namespace perseval

#include "harness/datasets/fetch.h"

#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/sha256.h"
#include "harness/datasets/lock_file.h"
#include "harness/datasets/path_guard.h"

namespace fs = std::filesystem;

namespace perseval {

namespace {

struct Context {
  const Manifest& manifest;
  const FetchOptions& options;
  LockFile& lock;
};

FileOutcome failed(const std::string& path, std::string message) {
  FileOutcome o;
  o.path = path;
  o.state = FetchState::kFailed;
  o.message = std::move(message);
  return o;
}

// A file already at its destination: never replaced, only checked and, if new to the
// lock file, recorded.
FileOutcome check_existing(const ManifestEntry& e, const fs::path& dest, Context& ctx) {
  const auto size = static_cast<int64_t>(fs::file_size(dest));
  const std::string sha = sha256_file_hex(dest.string());
  if (const LockEntry* rec = ctx.lock.find(e.path)) {
    if (rec->sha256 != sha)
      return failed(e.path, dest.string() + ": sha256 " + sha + " (" + std::to_string(size) +
                                " bytes) differs from the " + rec->sha256 + " (" + std::to_string(rec->size) +
                                " bytes) recorded when it was fetched on " + rec->fetched_at +
                                "; the file was modified or corrupted and was left untouched. Delete it and "
                                "fetch again to re-download it.");
    FileOutcome o{e.path, FetchState::kAlreadyPresent, size, sha, 0, ""};
    if (rec->url != e.url) o.message = "recorded from " + rec->url + ", the manifest now says " + e.url;
    return o;
  }
  if (e.size && *e.size != size)
    return failed(e.path, dest.string() + ": is on disk with " + std::to_string(size) + " bytes but the manifest (" +
                              ctx.manifest.source_file + ") expects " + std::to_string(*e.size) +
                              "; it was left untouched. Delete it to download the official file.");
  if (e.sha256 && *e.sha256 != sha)
    return failed(e.path, dest.string() + ": is on disk with sha256 " + sha + " but the manifest expects " +
                              *e.sha256 + "; it was left untouched. Delete it to download the official file.");
  ctx.lock.record(e.path, LockEntry{ctx.manifest.name, e.url, "", size, sha, utc_timestamp()});
  ctx.lock.save();
  return FileOutcome{e.path, FetchState::kRecordedExisting, size, sha, 0,
                     "was already on disk (not fetched by perseval); its sha256 is now recorded"};
}

// Moves a download that failed a check out of the way, so it is neither used nor resumed.
std::string set_aside(const fs::path& part, const fs::path& dest) {
  const fs::path aside = dest.string() + ".rejected";
  fs::rename(part, aside);
  return aside.string();
}

FileOutcome download(const ManifestEntry& e, const fs::path& dest, const std::string& url, Context& ctx) {
  fs::create_directories(dest.parent_path());
  const fs::path part = dest.string() + ".part";
  DownloadOptions dl = ctx.options.download;
  dl.label = e.path;
  dl.expected_size = e.size;
  DownloadResult result;
  // A .part as large as the known size is a finished download whose rename was cut short.
  std::error_code ec;
  const auto part_size = fs::exists(part) ? static_cast<int64_t>(fs::file_size(part, ec)) : -1;
  if (e.size && part_size > *e.size) fs::remove(part);
  if (e.size && part_size == *e.size) {
    result.bytes = result.resumed_from = part_size;
  } else {
    try {
      result = download_file(url, part.string(), dl);
    } catch (const DownloadInterrupted&) {
      throw;
    } catch (const DownloadError& err) {
      return failed(e.path, err.what());
    }
  }
  const int64_t size = result.bytes;
  if (e.size && *e.size != size) {
    const auto aside = set_aside(part, dest);
    return failed(e.path, url + ": got " + std::to_string(size) + " bytes but the manifest (" +
                              ctx.manifest.source_file + ") expects " + std::to_string(*e.size) +
                              "; the download was kept aside as " + aside);
  }
  const std::string sha = sha256_file_hex(part.string());
  const LockEntry* rec = ctx.lock.find(e.path);
  std::string expected, expected_from;
  if (e.sha256) {
    expected = *e.sha256;
    expected_from = "the manifest (" + ctx.manifest.source_file + ") expects";
  } else if (rec && rec->url == e.url) {  // a record for another URL says nothing about this one
    expected = rec->sha256;
    expected_from = "the lock file recorded " + (rec->fetched_at.empty() ? "" : "on " + rec->fetched_at + " ");
  }
  if (!expected.empty() && expected != sha) {
    const auto aside = set_aside(part, dest);
    return failed(e.path, url + ": sha256 " + sha + " but " + expected_from + expected +
                              "; the upstream file changed or the transfer is corrupt. The download was kept "
                              "aside as " + aside + " and not installed.");
  }
  fs::rename(part, dest);  // same directory, so atomic: readers never see a half file
  ctx.lock.record(e.path,
                  LockEntry{ctx.manifest.name, e.url, url == e.url ? "" : url, size, sha, utc_timestamp()});
  ctx.lock.save();
  return FileOutcome{e.path, FetchState::kDownloaded, size, sha, result.resumed_from, ""};
}

}  // namespace

FetchReport fetch_files(const Manifest& manifest, const std::vector<const ManifestEntry*>& files,
                        const FetchOptions& options, const std::function<void(const FileOutcome&)>& on_file) {
  // Check every destination before writing anything, so a bad manifest changes nothing.
  std::vector<fs::path> destinations;
  std::vector<std::string> urls;
  for (const auto* e : files) {
    destinations.push_back(resolve_inside(options.dir, e->path));
    urls.push_back(apply_base_url(e->url, options.base_url));
  }
  fs::create_directories(options.dir);
  DirectoryLock dir_lock(options.dir);
  LockFile lock = LockFile::load(options.dir);
  Context ctx{manifest, options, lock};
  FetchReport report;
  for (size_t i = 0; i < files.size(); ++i) {
    if (options.download.stop && options.download.stop->load()) {
      report.interrupted = true;
      break;
    }
    FileOutcome outcome;
    try {
      outcome = fs::exists(destinations[i]) ? check_existing(*files[i], destinations[i], ctx)
                                            : download(*files[i], destinations[i], urls[i], ctx);
    } catch (const DownloadInterrupted& e) {
      report.interrupted = true;
      report.files.push_back(failed(files[i]->path, e.what()));
      if (on_file) on_file(report.files.back());
      break;
    } catch (const InputError&) {
      throw;
    } catch (const std::runtime_error& e) {  // disk trouble with this file: report it, go on
      outcome = failed(files[i]->path, e.what());
    }
    if (outcome.state == FetchState::kFailed) ++report.failed;
    report.files.push_back(outcome);
    if (on_file) on_file(outcome);
  }
  return report;
}

}  // namespace perseval

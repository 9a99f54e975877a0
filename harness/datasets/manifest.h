// Dataset manifests: which official files a benchmark has, where they come from and where
// they go inside the data directory. One JSON file per benchmark in datasets/manifests/.
//
//   {"name": "lamp", "description": "...", "notes": ["..."],
//    "files": [{"path": "lamp/user/LaMP_1/dev/dev_questions.json",
//               "url": "https://...", "split": "dev", "tags": ["lamp-1", "user"],
//               "size": null, "sha256": null, "note": "..."}]}
//
// `split` null means the file serves every split (e.g. a persona table); `size` and
// `sha256` null mean unknown (the sha256 is then recorded in the lock file on first fetch).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/types.h"

namespace perseval {

struct ManifestEntry {
  std::string path;                   // destination, relative to the data directory
  std::string url;                    // http(s) URL of the official file
  std::optional<std::string> split;   // nullopt: shared by every split
  std::vector<std::string> tags;      // selection labels, e.g. "lamp-2", "user"
  std::optional<int64_t> size;        // expected bytes, when known
  std::optional<std::string> sha256;  // expected lower-case hex, when known
  std::string note;                   // shown to the user when the file is fetched
};

struct Manifest {
  std::string name;         // the benchmark name users type: `perseval datasets fetch lamp`
  std::string source_file;  // where it was read from, for messages
  std::string description;
  std::vector<std::string> notes;
  std::vector<ManifestEntry> files;
};

// Which files of a manifest to act on. Empty lists select everything.
struct ManifestSelection {
  std::vector<std::string> splits;  // a file matches when its split is listed (or it has none)
  std::vector<std::string> tags;    // a file matches when it carries every listed tag
};

// Validates parsed manifest JSON. Throws InputError "SOURCE: record N (id=PATH): PROBLEM"
// for the first bad entry, or "SOURCE: PROBLEM" for a bad top level. Checks types, URL
// schemes, hex digests, destination paths (destination_problem) and duplicate paths.
Manifest parse_manifest(const json& doc, const std::string& source_name);

// Reads and validates a manifest file. Throws InputError naming the file when it cannot be
// read, is not JSON, or fails validation.
Manifest load_manifest(const std::string& file);

// The files of `manifest` that match `selection`, in manifest order. Throws InputError
// listing the available splits and tags when nothing matches, or when splits were asked for
// and only split-less (shared) files would match, which is most likely a misspelt split.
std::vector<const ManifestEntry*> select_files(const Manifest& manifest, const ManifestSelection& selection);

// The directory holding the shipped manifests: $PERSEVAL_MANIFESTS_DIR when set, otherwise
// datasets/manifests of the source tree the binary was built from.
std::string manifests_dir();

// The benchmark names with a shipped manifest, sorted.
std::vector<std::string> shipped_manifest_names();

// Loads the shipped manifest of `bench`. Throws InputError listing the known names when
// there is none.
Manifest load_shipped_manifest(const std::string& bench);

}  // namespace perseval

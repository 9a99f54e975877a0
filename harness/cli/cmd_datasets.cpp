// `perseval datasets fetch|status|verify|list`: download the official benchmark files named
// by the manifests in datasets/manifests/ and check them against the lock file.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "harness/cli/args.h"
#include "harness/cli/commands.h"
#include "harness/core/errors.h"
#include "harness/datasets/fetch.h"
#include "harness/datasets/inspect.h"
#include "harness/datasets/manifest.h"

namespace perseval::cli {

namespace {

constexpr const char* kDatasetsUsage =
    "usage: perseval datasets fetch BENCH|all [--split S] [--task T] [--tag T] [--dir DIR] [--base-url URL]\n"
    "                                         [--manifest FILE] [--retries N] [--no-progress]\n"
    "       perseval datasets status [BENCH] [--dir DIR] [--manifest FILE] [--json]\n"
    "       perseval datasets verify [BENCH] [--dir DIR] [--manifest FILE] [--json]\n"
    "       perseval datasets list";

constexpr const char* kDefaultDataDir = "data";

// The manifests a command acts on: --manifest FILE, the named benchmark, every shipped one
// (`all`, or no name when `name_optional`).
std::vector<Manifest> chosen_manifests(const Args& args, bool name_optional) {
  const auto& pos = args.positionals();
  if (pos.size() > 2) throw InputError(std::string("too many arguments\n") + kDatasetsUsage);
  if (auto file = args.value("manifest")) {
    Manifest m = load_manifest(*file);
    if (pos.size() == 2 && pos[1] != m.name)
      throw InputError(*file + ": is the manifest of '" + m.name + "', not '" + pos[1] + "'");
    return {m};
  }
  if (pos.size() < 2 && !name_optional)
    throw InputError(std::string("name a benchmark (see `perseval datasets list`) or give --manifest FILE\n") +
                     kDatasetsUsage);
  std::vector<Manifest> out;
  if (pos.size() == 2 && pos[1] != "all") {
    out.push_back(load_shipped_manifest(pos[1]));
  } else {
    for (const auto& name : shipped_manifest_names()) out.push_back(load_shipped_manifest(name));
    if (out.empty()) throw InputError("no manifests in " + manifests_dir());
  }
  return out;
}

// Comma-separated and repeated values of `flag`, flattened.
std::vector<std::string> list_values(const Args& args, const std::string& flag) {
  std::vector<std::string> out;
  for (const auto& v : args.values(flag)) {
    size_t start = 0;
    while (start <= v.size()) {
      const size_t comma = std::min(v.find(',', start), v.size());
      if (comma > start) out.push_back(v.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

std::string short_sha(const std::string& sha) { return sha.empty() ? "-" : sha.substr(0, 16); }

void print_outcome(const FileOutcome& o) {
  switch (o.state) {
    case FetchState::kDownloaded:
      std::printf("downloaded  %s  %lld bytes  sha256 %s", o.path.c_str(), static_cast<long long>(o.size),
                  short_sha(o.sha256).c_str());
      if (o.resumed_from > 0) std::printf("  (resumed at byte %lld)", static_cast<long long>(o.resumed_from));
      std::printf("\n");
      break;
    case FetchState::kAlreadyPresent:
      std::printf("present     %s  %lld bytes  sha256 %s verified\n", o.path.c_str(), static_cast<long long>(o.size),
                  short_sha(o.sha256).c_str());
      if (!o.message.empty()) std::printf("            note: %s\n", o.message.c_str());
      break;
    case FetchState::kRecordedExisting:
      std::printf("recorded    %s  %lld bytes  sha256 %s (%s)\n", o.path.c_str(), static_cast<long long>(o.size),
                  short_sha(o.sha256).c_str(), o.message.c_str());
      break;
    case FetchState::kFailed:
      std::printf("FAILED      %s\n", o.path.c_str());
      std::cerr << "perseval: " << o.path << ": " << o.message << "\n";
      break;
  }
  std::fflush(stdout);
}

int datasets_fetch(const Args& args) {
  const auto manifests = chosen_manifests(args, false);
  ManifestSelection selection;
  selection.splits = list_values(args, "split");
  selection.tags = list_values(args, "tag");
  for (const auto& t : list_values(args, "task")) selection.tags.push_back(t);
  FetchOptions options;
  options.dir = args.value_or("dir", kDefaultDataDir);
  options.base_url = args.value_or("base-url", "");
  if (options.base_url.empty())
    if (const char* env = std::getenv("PERSEVAL_DATASETS_BASE_URL")) options.base_url = env;
  options.download.retries = static_cast<int>(args.int_or("retries", 3));
  if (options.download.retries < 0) throw InputError("--retries must be >= 0");
  options.download.progress = !args.has("no-progress") && isatty(STDERR_FILENO) == 1;
  options.download.stop = &g_stop_requested;

  // With `all`, a benchmark without matching files is skipped; a named one must match.
  std::vector<std::pair<const Manifest*, std::vector<const ManifestEntry*>>> work;
  for (const auto& m : manifests) {
    try {
      work.emplace_back(&m, select_files(m, selection));
    } catch (const InputError&) {
      if (manifests.size() == 1) throw;
    }
  }
  if (work.empty()) throw InputError("no file of any manifest matches the selection");

  int failed = 0;
  for (const auto& [manifest, files] : work) {
    std::cerr << "perseval datasets: " << manifest->name << ": " << files.size() << " file(s) -> " << options.dir
              << (options.base_url.empty() ? "" : " via " + options.base_url) << "\n";
    // Notes first (e.g. LaMP-6 holds only Avocado ids): they matter before the wait, not after.
    std::set<std::string> notes;
    for (const auto* e : files)
      if (!e->note.empty() && notes.insert(e->note).second) std::printf("note: %s\n", e->note.c_str());
    std::fflush(stdout);
    const FetchReport report = fetch_files(*manifest, files, options, print_outcome);
    failed += report.failed;
    if (report.interrupted) {
      std::cerr << "perseval: interrupted; partial downloads are kept, run the same command again to resume\n";
      return 130;
    }
  }
  if (failed > 0) {
    std::cerr << "perseval: " << failed << " file(s) failed (see above); files already fetched are kept, "
                 "and running the same command again retries the rest and resumes partial downloads\n";
    return 1;
  }
  return 0;
}

int datasets_status(const Args& args) {
  const auto manifests = chosen_manifests(args, true);
  const std::string dir = args.value_or("dir", kDefaultDataDir);
  json out{{"dir", dir}, {"benchmarks", json::array()}};
  for (const auto& m : manifests) {
    const auto statuses = dataset_status(m, dir);
    std::map<std::string, int> counts{{"present", 0}, {"changed", 0}, {"unrecorded", 0}, {"partial", 0}, {"missing", 0}};
    json files = json::array();
    for (const auto& s : statuses) {
      ++counts[s.state];
      files.push_back({{"path", s.path}, {"state", s.state}, {"size", s.size < 0 ? json() : json(s.size)},
                       {"expected_size", s.expected_size ? json(*s.expected_size) : json()},
                       {"sha256_recorded", s.recorded_sha256.empty() ? json() : json(s.recorded_sha256)},
                       {"rejected_aside", s.rejected_aside}});
    }
    out["benchmarks"].push_back({{"name", m.name}, {"manifest", m.source_file}, {"counts", counts}, {"files", files}});
    if (args.has("json")) continue;
    std::printf("%s (%s): %zu files: %d present, %d changed, %d unrecorded, %d partial, %d missing\n", m.name.c_str(),
                dir.c_str(), statuses.size(), counts["present"], counts["changed"], counts["unrecorded"],
                counts["partial"], counts["missing"]);
    for (const auto& s : statuses) {
      std::string size = s.size < 0 ? "-" : std::to_string(s.size);
      if (s.expected_size && s.state != "present") size += "/" + std::to_string(*s.expected_size);
      std::printf("  %-10s  %14s  sha256 %-16s  %s%s\n", s.state.c_str(), size.c_str(),
                  short_sha(s.recorded_sha256).c_str(), s.path.c_str(),
                  s.rejected_aside ? "  (a rejected download is kept aside as .rejected)" : "");
    }
  }
  if (args.has("json")) std::cout << out.dump(2) << "\n";
  return 0;
}

int datasets_verify(const Args& args) {
  std::optional<std::string> bench;
  if (args.value("manifest")) bench = chosen_manifests(args, true).front().name;
  else if (args.positionals().size() == 2 && args.positionals()[1] != "all") bench = args.positionals()[1];
  if (args.positionals().size() > 2) throw InputError(std::string("too many arguments\n") + kDatasetsUsage);
  const std::string dir = args.value_or("dir", kDefaultDataDir);
  const VerifyReport report = verify_datasets(dir, bench);
  if (args.has("json")) {
    json files = json::array();
    for (const auto& r : report.files)
      files.push_back({{"path", r.path}, {"bench", r.bench}, {"state", r.state}, {"sha256_expected", r.expected_sha256},
                       {"sha256_actual", r.actual_sha256.empty() ? json() : json(r.actual_sha256)},
                       {"size_expected", r.expected_size}, {"size_actual", r.actual_size < 0 ? json() : json(r.actual_size)}});
    std::cout << json{{"dir", dir}, {"failures", report.failures}, {"files", files}}.dump(2) << "\n";
  }
  int ok = 0, mismatch = 0, missing = 0;
  for (const auto& r : report.files) {
    if (r.state == "ok") {
      ++ok;
      if (!args.has("json")) std::printf("ok        %s  sha256 %s\n", r.path.c_str(), short_sha(r.actual_sha256).c_str());
    } else if (r.state == "missing") {
      ++missing;
      std::cerr << "perseval: MISSING " << r.path << ": recorded in the lock file but not in " << dir << "\n";
    } else {
      ++mismatch;
      std::cerr << "perseval: MISMATCH " << r.path << ": sha256 " << r.actual_sha256 << " (" << r.actual_size
                << " bytes), recorded " << r.expected_sha256 << " (" << r.expected_size << " bytes)\n";
    }
  }
  if (report.files.empty()) {
    std::cerr << "perseval: nothing recorded" << (bench ? " for " + *bench : std::string()) << " in " << dir
              << "/.perseval-datasets.json; run `perseval datasets fetch` first\n";
    return 1;
  }
  if (!args.has("json"))
    std::printf("verified %zu file(s) in %s: %d ok, %d mismatch, %d missing\n", report.files.size(), dir.c_str(), ok,
                mismatch, missing);
  return report.failures > 0 ? 1 : 0;
}

int datasets_list() {
  for (const auto& name : shipped_manifest_names()) {
    const Manifest m = load_shipped_manifest(name);
    std::printf("%-16s %4zu files  %s\n", m.name.c_str(), m.files.size(), m.description.c_str());
  }
  return 0;
}

}  // namespace

int cmd_datasets(int argc, char** argv) {
  Args args(argc, argv, 0, {"split", "task", "tag", "dir", "base-url", "manifest", "retries"}, {"json", "no-progress"});
  if (args.positionals().empty()) throw InputError(std::string("datasets needs an action\n") + kDatasetsUsage);
  const std::string action = args.positionals()[0];
  if (action == "fetch") return datasets_fetch(args);
  if (action == "status") return datasets_status(args);
  if (action == "verify") return datasets_verify(args);
  if (action == "list") return datasets_list();
  throw InputError("unknown datasets action '" + action + "'\n" + kDatasetsUsage);
}

}  // namespace perseval::cli

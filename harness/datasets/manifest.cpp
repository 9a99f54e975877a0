#include "harness/datasets/manifest.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "harness/core/errors.h"
#include "harness/datasets/path_guard.h"

namespace perseval {

namespace {

const std::set<std::string> kTopKeys{"name", "description", "source", "license", "notes", "files"};
const std::set<std::string> kEntryKeys{"path", "url", "split", "tags", "size", "sha256", "note"};

bool is_lower_hex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_bench_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// An http(s) URL with a non-empty host; anything else (file://, ftp://) is refused so a
// manifest cannot make the downloader read local files.
bool is_http_url(const std::string& url) {
  for (const char* scheme : {"http://", "https://"}) {
    const std::string s = scheme;
    if (url.rfind(s, 0) == 0) {
      const auto host_end = url.find_first_of("/?#", s.size());
      return host_end != s.size() && url.find_first_of(" \t\r\n") == std::string::npos;
    }
  }
  return false;
}

ManifestEntry parse_entry(const json& item, const std::string& source, long long index) {
  auto fail = [&](const std::string& id, const std::string& problem) {
    throw InputError(input_error_message(source, index, id, problem));
  };
  if (!item.is_object()) fail("", "a file entry must be a JSON object");
  const std::string id = item.contains("path") && item["path"].is_string() ? item["path"].get<std::string>() : "";
  for (const auto& [key, value] : item.items())
    if (!kEntryKeys.count(key)) fail(id, "unknown key '" + key + "'");
  ManifestEntry e;
  if (!item.contains("path") || !item["path"].is_string()) fail(id, "'path' must be a string");
  e.path = id;
  if (auto problem = destination_problem(e.path); !problem.empty()) fail(id, "bad 'path': " + problem);
  if (!item.contains("url") || !item["url"].is_string()) fail(id, "'url' must be a string");
  e.url = item["url"].get<std::string>();
  if (!is_http_url(e.url)) fail(id, "'url' must be an http:// or https:// URL, got '" + e.url + "'");
  if (item.contains("split") && !item["split"].is_null()) {
    if (!item["split"].is_string() || item["split"].get<std::string>().empty())
      fail(id, "'split' must be a non-empty string or null");
    e.split = item["split"].get<std::string>();
  }
  if (item.contains("tags")) {
    if (!item["tags"].is_array()) fail(id, "'tags' must be an array of strings");
    for (const auto& t : item["tags"]) {
      if (!t.is_string() || t.get<std::string>().empty()) fail(id, "'tags' must be an array of non-empty strings");
      e.tags.push_back(t.get<std::string>());
    }
  }
  if (item.contains("size") && !item["size"].is_null()) {
    if (!item["size"].is_number_integer() || item["size"].get<long long>() < 0)
      fail(id, "'size' must be a non-negative integer or null");
    e.size = item["size"].get<int64_t>();
  }
  if (item.contains("sha256") && !item["sha256"].is_null()) {
    if (!item["sha256"].is_string() || !is_lower_hex64(item["sha256"].get<std::string>()))
      fail(id, "'sha256' must be 64 lower-case hex characters or null");
    e.sha256 = item["sha256"].get<std::string>();
  }
  if (item.contains("note")) {
    if (!item["note"].is_string()) fail(id, "'note' must be a string");
    e.note = item["note"].get<std::string>();
  }
  return e;
}

}  // namespace

Manifest parse_manifest(const json& doc, const std::string& source_name) {
  auto fail = [&](const std::string& problem) { throw InputError(source_name + ": " + problem); };
  if (!doc.is_object()) fail("a manifest must be a JSON object with \"name\" and \"files\"");
  for (const auto& [key, value] : doc.items())
    if (!kTopKeys.count(key)) fail("unknown top-level key '" + key + "'");
  Manifest m;
  m.source_file = source_name;
  if (!doc.contains("name") || !doc["name"].is_string() || !is_bench_name(doc["name"].get<std::string>()))
    fail("'name' must be a benchmark name of [a-z0-9_-]");
  m.name = doc["name"].get<std::string>();
  if (doc.contains("description")) {
    if (!doc["description"].is_string()) fail("'description' must be a string");
    m.description = doc["description"].get<std::string>();
  }
  if (doc.contains("notes")) {
    if (!doc["notes"].is_array()) fail("'notes' must be an array of strings");
    for (const auto& n : doc["notes"]) {
      if (!n.is_string()) fail("'notes' must be an array of strings");
      m.notes.push_back(n.get<std::string>());
    }
  }
  if (!doc.contains("files") || !doc["files"].is_array() || doc["files"].empty())
    fail("'files' must be a non-empty array");
  std::set<std::string> seen;
  long long index = 0;
  for (const auto& item : doc["files"]) {
    m.files.push_back(parse_entry(item, source_name, index));
    // Two entries with one destination would overwrite each other's download and checksum.
    if (!seen.insert(m.files.back().path).second)
      throw InputError(input_error_message(source_name, index, m.files.back().path,
                                           "the same 'path' appears twice in the manifest"));
    ++index;
  }
  return m;
}

Manifest load_manifest(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file + ": cannot read the manifest");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
    throw InputError(file + ": not valid JSON: " + e.what());
  }
  return parse_manifest(doc, file);
}

std::vector<const ManifestEntry*> select_files(const Manifest& manifest, const ManifestSelection& selection) {
  std::vector<const ManifestEntry*> out;
  bool split_matched = selection.splits.empty();  // shared files alone do not make a match
  for (const auto& e : manifest.files) {
    if (e.split && std::find(selection.splits.begin(), selection.splits.end(), *e.split) != selection.splits.end())
      split_matched = true;
    const bool split_ok = selection.splits.empty() || !e.split ||
                          std::find(selection.splits.begin(), selection.splits.end(), *e.split) !=
                              selection.splits.end();
    const bool tags_ok = std::all_of(selection.tags.begin(), selection.tags.end(), [&](const std::string& t) {
      return std::find(e.tags.begin(), e.tags.end(), t) != e.tags.end();
    });
    if (split_ok && tags_ok) out.push_back(&e);
  }
  if (out.empty() || !split_matched) {
    std::set<std::string> splits, tags;
    for (const auto& e : manifest.files) {
      if (e.split) splits.insert(*e.split);
      tags.insert(e.tags.begin(), e.tags.end());
    }
    auto join = [](const std::set<std::string>& s) {
      std::string text;
      for (const auto& x : s) text += (text.empty() ? "" : ", ") + x;
      return text.empty() ? std::string("(none)") : text;
    };
    throw InputError(manifest.name + ": no file matches the selection; splits: " + join(splits) +
                     "; tags: " + join(tags));
  }
  return out;
}

std::string manifests_dir() {
  if (const char* env = std::getenv("PERSEVAL_MANIFESTS_DIR"); env && *env) return env;
  return std::string(PERSEVAL_SOURCE_DIR) + "/datasets/manifests";
}

std::vector<std::string> shipped_manifest_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(manifests_dir(), ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

Manifest load_shipped_manifest(const std::string& bench) {
  const auto names = shipped_manifest_names();
  if (std::find(names.begin(), names.end(), bench) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw InputError("no dataset manifest named '" + bench + "' in " + manifests_dir() +
                     " (known: " + (known.empty() ? "none" : known) + ")");
  }
  const std::string file = manifests_dir() + "/" + bench + ".json";
  Manifest m = load_manifest(file);
  // The file name is what users type and what the lock file records; they must agree.
  if (m.name != bench) throw InputError(file + ": 'name' is '" + m.name + "' but the file is named " + bench);
  return m;
}

}  // namespace perseval

// Dataset manifests without a network: validation, the path guard, selection, the lock file,
// mirror URL rewriting, and every manifest shipped in datasets/manifests/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "harness/core/errors.h"
#include "harness/datasets/downloader.h"
#include "harness/datasets/lock_file.h"
#include "harness/datasets/manifest.h"
#include "harness/datasets/path_guard.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::run_perseval;
using perseval::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A vector, not a json: `{entry}` must mean a one-element array with clang as with gcc (for a
// json parameter clang copies the entry itself, CWG 2137).
json toy_manifest(std::vector<json> files) { return json{{"name", "toy"}, {"files", files}}; }

json toy_entry(const std::string& path, const std::string& url = "https://example.org/a.json") {
  return json{{"path", path}, {"url", url}, {"split", "dev"}, {"tags", {"t1"}}, {"size", nullptr}, {"sha256", nullptr}};
}

// The InputError message of parsing `doc`, or "" when it parses.
std::string parse_error(const json& doc) {
  try {
    parse_manifest(doc, "toy.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("datasets: the path guard rejects escapes and reserved names", "[datasets]") {
  for (const char* bad : {"", "/etc/x", "../x", "a/../../x", "a/..", "a//b", "a/./b", "./a", "a/", "a\\b",
                          ".perseval-datasets.json", "d/.perseval-datasets.lock", "x.json.part", "x.rejected"})
    CHECK_FALSE(destination_problem(bad).empty());
  for (const char* good : {"lamp/user/LaMP_1/dev/dev_questions.json", "a..b/c.json", "personamem/questions_1M.csv",
                           ".hidden/x", "x"})
    CHECK(destination_problem(good).empty());
  CHECK(destination_problem("/etc/x").find("absolute") != std::string::npos);
  CHECK(destination_problem("../x").find("..") != std::string::npos);

  TempDir dir;
  const auto root = std::filesystem::weakly_canonical(dir.path());
  CHECK(resolve_inside(dir.path(), "a/b.json") == root / "a" / "b.json");
  CHECK_THROWS_AS(resolve_inside(dir.path(), "../x"), InputError);
  CHECK_THROWS_AS(resolve_inside(dir.path(), "/etc/passwd"), InputError);
  // A symlink inside the directory must not carry a write outside it.
  TempDir outside;
  std::filesystem::create_directory_symlink(outside.path(), dir.path() / "link");
  CHECK_THROWS_WITH(resolve_inside(dir.path(), "link/x.json"), Catch::Contains("outside"));
}

TEST_CASE("datasets: manifest validation names the file, the entry and the problem", "[datasets]") {
  CHECK(parse_error(toy_manifest({toy_entry("a/b.json")})).empty());

  const std::string traversal = parse_error(toy_manifest({toy_entry("ok.json"), toy_entry("../x")}));
  CHECK(traversal.find("toy.json: record 1 (id=../x)") != std::string::npos);
  CHECK(traversal.find("..") != std::string::npos);
  CHECK(parse_error(toy_manifest({toy_entry("/etc/x")})).find("absolute") != std::string::npos);

  CHECK(parse_error(json::array()).find("toy.json: ") == 0);
  CHECK(parse_error(json{{"files", {toy_entry("a")}}}).find("'name'") != std::string::npos);
  CHECK(parse_error(json{{"name", "Bad Name"}, {"files", {toy_entry("a")}}}).find("'name'") != std::string::npos);
  CHECK(parse_error(toy_manifest({})).find("non-empty") != std::string::npos);
  CHECK(parse_error(json{{"name", "toy"}, {"files", {toy_entry("a")}}, {"fils", 1}}).find("unknown top-level key 'fils'") !=
        std::string::npos);

  auto with = [](const char* key, json value) {
    json e = toy_entry("a/b.json");
    e[key] = std::move(value);
    return parse_error(toy_manifest({e}));
  };
  CHECK(with("url", "ftp://example.org/a").find("http:// or https://") != std::string::npos);
  CHECK(with("url", "file:///etc/passwd").find("http:// or https://") != std::string::npos);
  CHECK(with("url", "https:///nohost").find("http:// or https://") != std::string::npos);
  CHECK(with("url", 3).find("'url' must be a string") != std::string::npos);
  CHECK(with("size", -1).find("'size'") != std::string::npos);
  CHECK(with("size", "12").find("'size'") != std::string::npos);
  CHECK(with("sha256", "ABC").find("'sha256'") != std::string::npos);
  CHECK(with("sha256", std::string(64, 'A')).find("lower-case") != std::string::npos);
  CHECK(with("sha256", std::string(64, 'a')).empty());
  CHECK(with("tags", {1}).find("'tags'") != std::string::npos);
  CHECK(with("split", "").find("'split'") != std::string::npos);
  CHECK(with("sizes", 1).find("(id=a/b.json): unknown key 'sizes'") != std::string::npos);

  const std::string dup = parse_error(toy_manifest({toy_entry("a"), toy_entry("b"), toy_entry("a")}));
  CHECK(dup.find("record 2 (id=a)") != std::string::npos);
  CHECK(dup.find("twice") != std::string::npos);

  TempDir dir;
  const auto broken = dir.write("broken.json", "{\"name\": \"toy\", \"files\": [");
  CHECK_THROWS_WITH(load_manifest(broken), Catch::StartsWith(broken + ": not valid JSON"));
  CHECK_THROWS_WITH(load_manifest(dir.file("absent.json")), Catch::Contains("absent.json: cannot read"));
}

TEST_CASE("datasets: selection by split and tags, shared files follow every split", "[datasets]") {
  json shared = toy_entry("persona.jsonl");
  shared["split"] = nullptr;
  shared["tags"] = {"persona"};
  json train = toy_entry("train.json");
  train["split"] = "train";
  train["tags"] = {"lamp-2", "user"};
  json dev = toy_entry("dev.json");
  dev["tags"] = {"lamp-2", "time"};
  const Manifest m = parse_manifest(toy_manifest({shared, train, dev}), "toy.json");

  auto paths = [&](ManifestSelection s) {
    std::vector<std::string> out;
    for (const auto* e : select_files(m, s)) out.push_back(e->path);
    return out;
  };
  CHECK(paths({}).size() == 3);
  CHECK(paths({{"dev"}, {}}) == std::vector<std::string>{"persona.jsonl", "dev.json"});
  CHECK(paths({{}, {"lamp-2", "user"}}) == std::vector<std::string>{"train.json"});
  CHECK_THROWS_WITH(select_files(m, {{"test"}, {}}), Catch::Contains("splits: dev, train") && Catch::Contains("lamp-2"));
}

TEST_CASE("datasets: --base-url replaces scheme and host, keeps path and query", "[datasets]") {
  CHECK(apply_base_url("https://h.org/a/b.json", "") == "https://h.org/a/b.json");
  CHECK(apply_base_url("https://h.org/a/b.json?download=true", "http://127.0.0.1:8080") ==
        "http://127.0.0.1:8080/a/b.json?download=true");
  CHECK(apply_base_url("https://h.org:443/a/b.json", "http://m.local/mirror/") == "http://m.local/mirror/a/b.json");
  CHECK(apply_base_url("http://h.org", "https://m.local/p") == "https://m.local/p");
  CHECK_THROWS_AS(apply_base_url("https://h.org/a", "ftp://m.local"), InputError);
  CHECK_THROWS_AS(apply_base_url("https://h.org/a", "http://"), InputError);
  CHECK_THROWS_AS(apply_base_url("https://h.org/a", "http://m.local/?x=1"), InputError);
}

TEST_CASE("datasets: the lock file round-trips and a damaged one is an input error", "[datasets]") {
  TempDir dir;
  LockFile lock = LockFile::load(dir.path().string());
  CHECK(lock.entries().empty());
  lock.record("a/b.json", LockEntry{"toy", "https://h.org/b.json", "http://m/b.json", 12, std::string(64, 'f'),
                                    "2025-01-01T00:00:00Z"});
  lock.save();
  const LockFile again = LockFile::load(dir.path().string());
  REQUIRE(again.find("a/b.json"));
  CHECK(again.find("a/b.json")->size == 12);
  CHECK(again.find("a/b.json")->fetched_from == "http://m/b.json");
  CHECK_FALSE(std::filesystem::exists(dir.file(".perseval-datasets.json.tmp")));

  dir.write(".perseval-datasets.json", "{\"format\": \"perseval-datasets-lock\", \"version\": 1, \"files\": {\"x\": {}}}");
  CHECK_THROWS_WITH(LockFile::load(dir.path().string()), Catch::Contains(".perseval-datasets.json: entry 'x'"));
  dir.write(".perseval-datasets.json", "[]");
  CHECK_THROWS_AS(LockFile::load(dir.path().string()), InputError);
}

TEST_CASE("datasets: every shipped manifest parses and stays inside the data directory", "[datasets]") {
  const auto names = shipped_manifest_names();
  const std::set<std::string> have(names.begin(), names.end());
  for (const char* expected : {"lamp", "personabench", "personafeedback", "personamem"}) CHECK(have.count(expected));
  TempDir dir;
  for (const auto& name : names) {
    INFO("manifest " << name);
    const Manifest m = load_shipped_manifest(name);
    CHECK(m.name == name);
    for (const auto& e : m.files) {
      INFO(e.path);
      CHECK_NOTHROW(resolve_inside(dir.path(), e.path));
      CHECK(e.path.rfind(name + "/", 0) == 0);  // each benchmark keeps to its own folder
      CHECK(e.url.rfind("https://", 0) == 0);
      CHECK_FALSE(e.sha256);  // recorded on first fetch, never guessed
    }
  }

  const Manifest lamp = load_shipped_manifest("lamp");
  CHECK(lamp.files.size() == 75);  // 7 tasks x 2 schemes x 5 files + the news variant's 5
  std::map<std::string, const ManifestEntry*> by_path;
  for (const auto& e : lamp.files) by_path[e.path] = &e;
  REQUIRE(by_path.count("lamp/user/LaMP_2/new/dev/dev_questions.json"));
  CHECK(by_path["lamp/user/LaMP_2/new/dev/dev_questions.json"]->url ==
        "https://ciir.cs.umass.edu/downloads/LaMP/LaMP_2/new/dev/dev_questions.json");
  REQUIRE(by_path.count("lamp/time/LaMP_7/train/train_outputs.json"));
  CHECK(by_path["lamp/time/LaMP_7/train/train_outputs.json"]->url ==
        "https://ciir.cs.umass.edu/downloads/LaMP/time/LaMP_7/train/train_outputs.json");
  REQUIRE(by_path.count("lamp/user/LaMP_2/test/test_questions.json"));
  CHECK(by_path["lamp/user/LaMP_2/test/test_questions.json"]->tags.front() == "lamp-2-news");
  for (const auto& e : lamp.files) {
    CHECK(e.path.find("test_outputs") == std::string::npos);  // test labels are not public
    if (e.tags.front() == "lamp-6") CHECK(e.note.find("Avocado") != std::string::npos);
  }
  CHECK(select_files(lamp, {{"dev"}, {"lamp-2", "time"}}).size() == 2);
}

TEST_CASE("cli: bad manifests and bad flags exit 2 before anything is written", "[datasets][cli]") {
  TempDir dir;
  const std::string scratch = dir.path().string();
  const std::string evil = dir.write(
      "evil.json", json{{"name", "evil"}, {"files", {toy_entry("ok.json"), toy_entry("/etc/x")}}}.dump());
  auto r = run_perseval({"datasets", "fetch", "--manifest", evil, "--dir", dir.file("data")}, scratch);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("evil.json: record 1 (id=/etc/x)") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("data")));

  r = run_perseval({"datasets", "fetch", "no-such-bench", "--dir", dir.file("data")}, scratch);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("lamp") != std::string::npos);  // the message lists the known manifests
  r = run_perseval({"datasets", "fetch", "lamp", "--split", "nope", "--dir", dir.file("data")}, scratch);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("splits: dev, test, train") != std::string::npos);
  r = run_perseval({"datasets", "fetch", "lamp", "--base-url", "ftp://x", "--dir", dir.file("data")}, scratch);
  CHECK(r.exit_code == 2);
  r = run_perseval({"datasets", "verify", "--dir", dir.file("empty")}, scratch);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("nothing recorded") != std::string::npos);
  r = run_perseval({"datasets", "status", "lamp", "--dir", dir.file("empty")}, scratch);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("lamp (") == 0);
  CHECK(r.out.find("75 missing") != std::string::npos);
}

// Dataset downloads against a local cpp-httplib file server on 127.0.0.1: fetch, status,
// verify, resume, checksum and size failures, 404, mirrors, and the `perseval datasets` CLI.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "harness/core/sha256.h"
#include "harness/datasets/fetch.h"
#include "harness/datasets/inspect.h"
#include "harness/datasets/lock_file.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::run_perseval;
using perseval::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Serves in-memory files with Range support (httplib answers 206 itself), plus the failures
// a downloader must survive: a connection dropped mid-body, a server that ignores Range,
// redirects. Records the Range header of every request.
class FileServer {
 public:
  FileServer() {
    server_.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FileServer() {
    server_.stop();
    thread_.join();
  }
  void put(const std::string& path, const std::string& body) { with_lock([&] { files_[path] = body; }); }
  // The next request for `path` gets the full Content-Length but only `bytes` of the body.
  void drop_next_after(const std::string& path, size_t bytes) { with_lock([&] { drops_[path] = bytes; }); }
  void ignore_ranges(const std::string& path) { with_lock([&] { no_ranges_[path] = true; }); }
  void redirect(const std::string& from, const std::string& to) { with_lock([&] { redirects_[from] = to; }); }
  // Sends `path` in 4 KiB pieces with a pause before each, so a test can interrupt it.
  void slow(const std::string& path, std::chrono::milliseconds pause) { with_lock([&] { slow_[path] = pause; }); }
  // The Range header of each request for `path` so far ("" when there was none).
  std::vector<std::string> ranges(const std::string& path) {
    std::vector<std::string> out;
    with_lock([&] { out = log_[path]; });
    return out;
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  template <class F>
  void with_lock(F f) {
    std::lock_guard<std::mutex> lock(mu_);
    f();
  }
  void handle(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    log_[req.path].push_back(req.get_header_value("Range"));
    if (auto r = redirects_.find(req.path); r != redirects_.end()) return res.set_redirect(r->second);
    auto it = files_.find(req.path);
    if (it == files_.end()) {
      res.status = 404;
      return res.set_content("no such file", "text/plain");
    }
    const std::string body = it->second;
    if (auto d = drops_.find(req.path); d != drops_.end()) {
      const size_t cut = d->second;
      drops_.erase(d);
      // Returning false from the provider closes the connection short of Content-Length.
      return res.set_content_provider(body.size(), "application/octet-stream",
                                      [body, cut](size_t off, size_t len, httplib::DataSink& sink) {
                                        if (off >= cut) return false;
                                        sink.write(body.data() + off, std::min(len, cut - off));
                                        return true;
                                      });
    }
    if (auto slow = slow_.find(req.path); slow != slow_.end()) {
      const auto pause = slow->second;
      return res.set_content_provider(body.size(), "application/octet-stream",
                                      [body, pause](size_t off, size_t len, httplib::DataSink& sink) {
                                        std::this_thread::sleep_for(pause);
                                        return sink.write(body.data() + off, std::min<size_t>(len, 4096));
                                      });
    }
    if (no_ranges_[req.path]) {
      // A chunked body with status 200 is the one way past httplib's automatic ranges.
      res.status = 200;
      return res.set_chunked_content_provider("application/octet-stream", [body](size_t off, httplib::DataSink& sink) {
        if (off == 0) sink.write(body.data(), body.size());
        else sink.done();
        return true;
      });
    }
    res.set_content(body, "application/octet-stream");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, std::string> files_, redirects_;
  std::map<std::string, size_t> drops_;
  std::map<std::string, bool> no_ranges_;
  std::map<std::string, std::chrono::milliseconds> slow_;
  std::map<std::string, std::vector<std::string>> log_;
};

// Deterministic bytes that differ at every position, so a mis-spliced resume is visible.
std::string content(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 31 + seed * 7 + i / 251) % 256);
  return s;
}

json entry(const std::string& path, const std::string& url, json size = nullptr) {
  return json{{"path", path}, {"url", url}, {"split", "dev"}, {"tags", {"t"}}, {"size", size}, {"sha256", nullptr}};
}

// A vector, not a json: `{entry}` must mean a one-element array with clang as with gcc (for a
// json parameter clang copies the entry itself, CWG 2137).
Manifest manifest_of(std::vector<json> files) {
  return parse_manifest(json{{"name", "toy"}, {"files", files}}, "toy.json");
}

FetchOptions options_for(const TempDir& dir) {
  FetchOptions o;
  o.dir = dir.file("data");
  o.download.retries = 2;
  o.download.retry_delay_s = 0.01;
  return o;
}

FetchReport fetch_all(const Manifest& m, const FetchOptions& o) { return fetch_files(m, select_files(m, {}), o); }

std::string slurp(const std::string& path) { return perseval::test::Child::slurp(path); }

}  // namespace

TEST_CASE("datasets: fetch records sha256 on first fetch, a second fetch only verifies", "[datasets]") {
  FileServer server;
  TempDir dir;
  const std::string a = content(70000, 1), b = content(5, 2);
  server.put("/files/a.json", a);
  server.put("/new/b.json", b);
  server.redirect("/old/b.json", "/new/b.json");
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/files/a.json", 70000),
                                  entry("toy/sub/b.json", server.base() + "/old/b.json")});
  const auto o = options_for(dir);
  const FetchReport first = fetch_all(m, o);
  REQUIRE(first.failed == 0);
  CHECK(first.files[0].state == FetchState::kDownloaded);
  CHECK(slurp(o.dir + "/toy/a.json") == a);
  CHECK(slurp(o.dir + "/toy/sub/b.json") == b);  // redirect followed
  CHECK_FALSE(fs::exists(o.dir + "/toy/a.json.part"));
  const LockFile lock = LockFile::load(o.dir);
  REQUIRE(lock.find("toy/a.json"));
  CHECK(lock.find("toy/a.json")->sha256 == sha256_hex(a));
  CHECK(lock.find("toy/a.json")->size == 70000);
  CHECK(lock.find("toy/sub/b.json")->url == server.base() + "/old/b.json");
  CHECK(lock.find("toy/sub/b.json")->bench == "toy");

  const FetchReport second = fetch_all(m, o);
  CHECK(second.failed == 0);
  CHECK(second.files[0].state == FetchState::kAlreadyPresent);
  CHECK(server.ranges("/files/a.json").size() == 1);  // nothing downloaded again

  const auto statuses = dataset_status(m, o.dir);
  CHECK(statuses[0].state == "present");
  CHECK(statuses[0].recorded_sha256 == sha256_hex(a));
  const VerifyReport verified = verify_datasets(o.dir, std::nullopt);
  CHECK(verified.files.size() == 2);
  CHECK(verified.failures == 0);
}

TEST_CASE("datasets: a partial download resumes with a Range request", "[datasets]") {
  FileServer server;
  TempDir dir;
  const std::string body = content(50000, 3);
  server.put("/a.json", body);
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/a.json")});
  const auto o = options_for(dir);
  fs::create_directories(o.dir + "/toy");
  std::ofstream(o.dir + "/toy/a.json.part", std::ios::binary) << body.substr(0, 12345);
  CHECK(dataset_status(m, o.dir)[0].state == "partial");

  const FetchReport report = fetch_all(m, o);
  REQUIRE(report.failed == 0);
  CHECK(report.files[0].resumed_from == 12345);
  CHECK(server.ranges("/a.json") == std::vector<std::string>{"bytes=12345-"});
  CHECK(sha256_file_hex(o.dir + "/toy/a.json") == sha256_hex(body));
  CHECK(LockFile::load(o.dir).find("toy/a.json")->sha256 == sha256_hex(body));
}

TEST_CASE("datasets: a connection dropped mid-body is retried from where it stopped", "[datasets]") {
  FileServer server;
  TempDir dir;
  const std::string body = content(200000, 4);
  server.put("/big.bin", body);
  server.drop_next_after("/big.bin", 65536);
  const Manifest m = manifest_of({entry("toy/big.bin", server.base() + "/big.bin")});
  const FetchReport report = fetch_all(m, options_for(dir));
  REQUIRE(report.failed == 0);
  const auto ranges = server.ranges("/big.bin");
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[0].empty());
  CHECK(ranges[1].rfind("bytes=", 0) == 0);
  CHECK(ranges[1] != "bytes=0-");
  CHECK(report.files[0].resumed_from > 0);
  CHECK(sha256_file_hex(dir.file("data/toy/big.bin")) == sha256_hex(body));
}

TEST_CASE("datasets: when the server ignores Range the partial file is discarded", "[datasets]") {
  FileServer server;
  TempDir dir;
  const std::string body = content(3000, 5);
  server.put("/a.json", body);
  server.ignore_ranges("/a.json");
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/a.json")});
  const auto o = options_for(dir);
  fs::create_directories(o.dir + "/toy");
  std::ofstream(o.dir + "/toy/a.json.part", std::ios::binary) << std::string(700, 'x');  // not a prefix
  const FetchReport report = fetch_all(m, o);
  REQUIRE(report.failed == 0);
  CHECK(server.ranges("/a.json") == std::vector<std::string>{"bytes=700-"});
  CHECK(report.files[0].resumed_from == 0);
  CHECK(slurp(o.dir + "/toy/a.json") == body);
}

TEST_CASE("datasets: a changed file is caught, kept aside and never installed", "[datasets]") {
  FileServer server;
  TempDir dir;
  const std::string v1 = content(4000, 6), v2 = content(4000, 7);
  server.put("/a.json", v1);
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/a.json")});
  const auto o = options_for(dir);
  REQUIRE(fetch_all(m, o).failed == 0);
  const std::string dest = o.dir + "/toy/a.json";

  SECTION("upstream changed: the new download is rejected") {
    fs::remove(dest);
    server.put("/a.json", v2);
    const FetchReport report = fetch_all(m, o);
    REQUIRE(report.failed == 1);
    CHECK(report.files[0].message.find(sha256_hex(v2)) != std::string::npos);
    CHECK(report.files[0].message.find(sha256_hex(v1)) != std::string::npos);
    CHECK(report.files[0].message.find("a.json.rejected") != std::string::npos);
    CHECK_FALSE(fs::exists(dest));
    CHECK(slurp(dest + ".rejected") == v2);
    CHECK(LockFile::load(o.dir).find("toy/a.json")->sha256 == sha256_hex(v1));
    CHECK(dataset_status(m, o.dir)[0].rejected_aside);
    CHECK(verify_datasets(o.dir, std::nullopt).files[0].state == "missing");
  }
  SECTION("the local copy was modified: fetch and verify fail and leave it alone") {
    std::ofstream(dest, std::ios::binary | std::ios::trunc) << v2;
    const FetchReport report = fetch_all(m, o);
    REQUIRE(report.failed == 1);
    CHECK(report.files[0].message.find("left untouched") != std::string::npos);
    CHECK(slurp(dest) == v2);
    const VerifyReport verified = verify_datasets(o.dir, std::string("toy"));
    CHECK(verified.failures == 1);
    CHECK(verified.files[0].state == "mismatch");
    CHECK(verified.files[0].actual_sha256 == sha256_hex(v2));
    CHECK(verify_datasets(o.dir, std::string("other")).files.empty());
  }
}

TEST_CASE("datasets: a size that differs from the manifest fails the file", "[datasets]") {
  FileServer server;
  TempDir dir;
  server.put("/a.json", content(20, 8));
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/a.json", 10)});
  const auto o = options_for(dir);
  const FetchReport report = fetch_all(m, o);
  REQUIRE(report.failed == 1);
  CHECK(report.files[0].message.find("got 20 bytes") != std::string::npos);
  CHECK(report.files[0].message.find("expects 10") != std::string::npos);
  CHECK_FALSE(fs::exists(o.dir + "/toy/a.json"));
  CHECK(fs::exists(o.dir + "/toy/a.json.rejected"));
  CHECK(LockFile::load(o.dir).entries().empty());
}

TEST_CASE("datasets: a 404 is a clear per-file error, the other files still arrive", "[datasets]") {
  FileServer server;
  TempDir dir;
  server.put("/ok.json", "ok");
  const Manifest m = manifest_of({entry("toy/missing.json", server.base() + "/missing.json"),
                                  entry("toy/ok.json", server.base() + "/ok.json")});
  const auto o = options_for(dir);
  const FetchReport report = fetch_all(m, o);
  CHECK(report.failed == 1);
  CHECK(report.files[0].message == server.base() + "/missing.json: HTTP 404 (not found)");
  CHECK(server.ranges("/missing.json").size() == 1);  // a 404 is not retried
  CHECK_FALSE(fs::exists(o.dir + "/toy/missing.json.part"));
  CHECK(slurp(o.dir + "/toy/ok.json") == "ok");
}

TEST_CASE("datasets: a mirror base URL replaces the scheme and host", "[datasets]") {
  FileServer server;
  TempDir dir;
  server.put("/mirror/downloads/a.json", "mirrored");
  const Manifest m = manifest_of({entry("toy/a.json", "https://upstream.invalid/downloads/a.json")});
  auto o = options_for(dir);
  o.base_url = server.base() + "/mirror/";
  REQUIRE(fetch_all(m, o).failed == 0);
  const LockFile lock = LockFile::load(o.dir);
  const LockEntry* rec = lock.find("toy/a.json");
  REQUIRE(rec);
  CHECK(rec->url == "https://upstream.invalid/downloads/a.json");
  CHECK(rec->fetched_from == server.base() + "/mirror/downloads/a.json");
}

TEST_CASE("datasets: a file already on disk is recorded, not downloaded", "[datasets]") {
  FileServer server;
  TempDir dir;
  const Manifest m = manifest_of({entry("toy/a.json", server.base() + "/a.json")});
  const auto o = options_for(dir);
  fs::create_directories(o.dir + "/toy");
  std::ofstream(o.dir + "/toy/a.json") << "by hand";
  CHECK(dataset_status(m, o.dir)[0].state == "unrecorded");
  const FetchReport report = fetch_all(m, o);
  CHECK(report.files[0].state == FetchState::kRecordedExisting);
  CHECK(server.ranges("/a.json").empty());
  CHECK(LockFile::load(o.dir).find("toy/a.json")->sha256 == sha256_hex("by hand"));
}

TEST_CASE("cli: datasets fetch, status and verify end to end", "[datasets][cli]") {
  FileServer server;
  TempDir dir;
  server.put("/LaMP/a.json", content(9000, 9));
  server.put("/LaMP/b.json", content(10, 10));
  const std::string manifest = dir.write(
      "toy.json", json{{"name", "toy"},
                       {"files", {entry("toy/a.json", "https://ciir.invalid/LaMP/a.json"),
                                  entry("toy/b.json", "https://ciir.invalid/LaMP/b.json")}}}
                      .dump());
  const std::string data = dir.file("data");
  const std::string scratch = dir.path().string();

  auto r = run_perseval({"datasets", "fetch", "--manifest", manifest, "--dir", data, "--base-url", server.base()},
                        scratch);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("downloaded  toy/a.json  9000 bytes") != std::string::npos);

  r = run_perseval({"datasets", "status", "--manifest", manifest, "--dir", data, "--json"}, scratch);
  REQUIRE(r.exit_code == 0);
  const json status = json::parse(r.out);
  CHECK(status["benchmarks"][0]["counts"]["present"] == 2);

  r = run_perseval({"datasets", "verify", "--dir", data}, scratch);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 ok, 0 mismatch") != std::string::npos);

  std::ofstream(data + "/toy/b.json", std::ios::trunc) << "tampered!!";
  r = run_perseval({"datasets", "verify", "--dir", data}, scratch);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("MISMATCH toy/b.json") != std::string::npos);

  // The mirror can also come from the environment.
  ::setenv("PERSEVAL_DATASETS_BASE_URL", (server.base() + "/nowhere").c_str(), 1);
  r = run_perseval({"datasets", "fetch", "--manifest", manifest, "--dir", dir.file("data2"), "--retries", "0"}, scratch);
  ::unsetenv("PERSEVAL_DATASETS_BASE_URL");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(server.base() + "/nowhere/LaMP/a.json: HTTP 404") != std::string::npos);
}

TEST_CASE("cli: Ctrl-C during a download keeps the .part and the next fetch resumes it", "[datasets][cli]") {
  FileServer server;
  TempDir dir;
  const std::string body = content(400 * 1024, 11);
  server.put("/slow.bin", body);
  server.slow("/slow.bin", std::chrono::milliseconds(25));  // about 2.5 s for the whole file
  const std::string manifest = dir.write(
      "toy.json", json{{"name", "toy"}, {"files", {entry("toy/slow.bin", server.base() + "/slow.bin")}}}.dump());
  const std::string data = dir.file("data"), part = data + "/toy/slow.bin.part";
  const std::vector<std::string> fetch{"datasets", "fetch", "--manifest", manifest, "--dir", data};

  perseval::test::Child child(fetch, dir.file("out1.txt"), dir.file("err1.txt"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto part_size = [&] {
    std::error_code ec;
    const auto n = fs::file_size(part, ec);
    return ec ? 0 : n;  // file_size reports -1 for a file not there yet
  };
  while (std::chrono::steady_clock::now() < deadline && part_size() < 64 * 1024)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  child.interrupt();
  const auto interrupted = child.wait();
  INFO(interrupted.err);
  REQUIRE(interrupted.exit_code == 130);
  const auto kept = fs::file_size(part);
  CHECK(kept >= 64 * 1024);
  CHECK(kept < body.size());
  CHECK_FALSE(fs::exists(data + "/toy/slow.bin"));

  const auto resumed = run_perseval(fetch, dir.path().string());
  REQUIRE(resumed.exit_code == 0);
  const auto ranges = server.ranges("/slow.bin");
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[1] == "bytes=" + std::to_string(kept) + "-");
  CHECK(resumed.out.find("(resumed at byte " + std::to_string(kept) + ")") != std::string::npos);
  CHECK(sha256_file_hex(data + "/toy/slow.bin") == sha256_hex(body));
}

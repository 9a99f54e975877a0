// The openai adapter end to end: the real runner into a real SQLite file, the real
// `perseval` binary, and the API key kept out of everything that is stored or printed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;

namespace {

RunOptions bundled_options() {
  RunOptions o;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.progress = false;
  o.threads = 2;
  return o;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string random_key() {
  std::random_device device;
  std::mt19937_64 rng(device());
  char buf[40];
  std::snprintf(buf, sizeof buf, "sk-perseval-%016llx%08llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng() & 0xffffffffULL));
  return buf;
}

// Sets an environment variable for the scope of a test (children inherit it).
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) { ::setenv(name_.c_str(), value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }

 private:
  std::string name_;
};

// Every byte of the database: the main file, and the WAL and shared-memory files.
std::string database_bytes(const std::string& db) {
  return file_bytes(db) + file_bytes(db + "-wal") + file_bytes(db + "-shm");
}

}  // namespace

TEST_CASE("openai end to end: lamp-2 through the runner into SQLite", "[openai]") {
  TempDir dir;
  OpenAITestServer server;
  server.set_latency(5, 5);
  server.set_responder([](const std::string&, const json&) { return std::string("comedy"); });
  FaultPlan flaky;
  flaky.fault = Fault::unavailable;
  flaky.probability = 0.5;
  flaky.first_attempts = 1;  // half the samples need a second attempt
  server.set_fault(flaky);
  auto task = make_task(Spec::parse("lamp-2"));
  auto model = make_openai_model(fast_spec(server, "concurrency=4"));
  auto store = Store::open(dir.file("run.db"));
  const RunSummary summary = run_evaluation(*task, *model, *store, bundled_options());
  CHECK(summary.run.status == "finished");
  CHECK(summary.errors == 0);
  CHECK(summary.run.model == model->info().name);
  CHECK(summary.run.model_identity == model->info().identity);
  const auto rows = store->read_samples(summary.run.run_id);
  REQUIRE(rows.size() >= 4);
  CHECK(summary.new_samples == static_cast<long long>(rows.size()));
  int retried = 0;
  for (const auto& row : rows) {
    CHECK(row.output == "comedy");
    CHECK_FALSE(row.error);
    CHECK(row.prompt_tokens > 0);
    CHECK(row.completion_tokens > 0);
    CHECK(row.latency_ms > 0);
    if (row.attempts == 2) ++retried;
  }
  CHECK(retried > 0);
  CHECK(server.requests("/v1/chat/completions") == static_cast<long long>(rows.size()) + retried);
  bool has_accuracy = false;
  for (const auto& m : summary.metrics)
    if (m.slice_key.empty() && m.metric.name == "accuracy") has_accuracy = true;
  CHECK(has_accuracy);
}

TEST_CASE("openai secret: the key reaches the server and nothing else", "[openai]") {
  TempDir dir;
  const std::string key = random_key();
  ScopedEnv env("PERSEVAL_SECRET_TEST_KEY", key);
  OpenAITestServer server;
  // A hostile server: its errors quote the Authorization header, some answers quote the key.
  server.set_responder([&key](const std::string&, const json& body) {
    const std::string content = body["messages"].back()["content"].get<std::string>();
    return content.size() % 2 ? "your key is " + key : std::string("comedy");
  });
  FaultPlan plan;
  plan.fault = Fault::unavailable;
  plan.probability = 0.7;  // with one retry, about half the samples fail for good
  plan.echo_authorization = true;
  server.set_fault(plan);
  const std::string db = dir.file("secret.db");
  std::vector<std::string> texts;
  {
    auto task = make_task(Spec::parse("lamp-2"));
    auto model = make_openai_model(fast_spec(server, "api_key_env=PERSEVAL_SECRET_TEST_KEY,max_retries=1"));
    const ModelInfo info = model->info();
    texts.push_back(info.name + info.identity.dump());
    auto store = Store::open(db);
    const RunSummary summary = run_evaluation(*task, *model, *store, bundled_options());
    REQUIRE(summary.run.status == "finished");
    CHECK(summary.errors > 0);  // forced errors were stored too
    for (const auto& row : store->read_samples(summary.run.run_id)) {
      texts.push_back(row.output);
      if (row.error) {
        texts.push_back(*row.error);
        CHECK(row.error->find("[redacted]") != std::string::npos);
      }
    }
    for (const auto& [kind, n] : model->http_stats().failures_by_kind) texts.push_back(kind);
    // The database while it is open (WAL not yet checkpointed) ...
    CHECK(database_bytes(db).find(key) == std::string::npos);
  }
  // ... and after it is closed.
  CHECK(database_bytes(db).find(key) == std::string::npos);
  for (const auto& text : texts) CHECK(text.find(key) == std::string::npos);
  const auto seen = server.authorization_headers();
  REQUIRE(seen.size() == 1);
  CHECK(seen.begin()->first == "Bearer " + key);
  CHECK(seen.begin()->second == server.requests("/v1/chat/completions"));
}

TEST_CASE("openai cli: perseval run against the local server, key kept out of stderr", "[openai]") {
  TempDir dir;
  const std::string key = random_key();
  ScopedEnv env("OPENAI_API_KEY", key);
  OpenAITestServer server;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
  const std::string db = dir.file("cli.db");

  auto clean = run_perseval({"run", "--model", "openai:model=m,base_url=" + url + ",concurrency=8", "--tasks",
                             "lamp-2", "--db", db, "--no-progress", "--json"},
                            dir.path().string());
  INFO(clean.err);
  REQUIRE(clean.exit_code == 0);
  const json out = json::parse(clean.out);
  CHECK(out["runs"][0]["status"] == "finished");
  CHECK(out["runs"][0]["errors"] == 0);
  CHECK(out["runs"][0]["model"].get<std::string>().rfind("openai:base_url=" + url, 0) == 0);
  const long long n = out["runs"][0]["n"].get<long long>();
  CHECK(n > 0);
  CHECK(server.requests("/v1/chat/completions") == n);

  // Every call fails, and the server quotes the key in its error bodies.
  FaultPlan plan;
  plan.fault = Fault::server_error;
  plan.echo_authorization = true;
  server.set_fault(plan);
  auto failing = run_perseval({"run", "--model",
                               "openai:model=m,base_url=" + url + ",concurrency=8,max_retries=1,backoff_ms=5",
                               "--tasks", "lamp-3", "--db", db, "--json"},
                              dir.path().string());
  INFO(failing.err);
  CHECK(failing.exit_code == 0);
  CHECK(json::parse(failing.out)["runs"][0]["errors"].get<long long>() > 0);
  for (const auto* r : {&clean, &failing}) {
    CHECK(r->err.find(key) == std::string::npos);
    CHECK(r->out.find(key) == std::string::npos);
  }
  CHECK(database_bytes(db).find(key) == std::string::npos);
  CHECK(server.authorization_headers().count("Bearer " + key) == 1);

  // Nor in anything made from the database: exports, per-sample logs, the HTML report.
  auto exported = run_perseval({"export", "--db", db, "-o", dir.file("exports"), "--log-samples"}, dir.path().string());
  REQUIRE(exported.exit_code == 0);
  auto report = run_perseval({"report", "--db", db, "-o", dir.file("r.html")}, dir.path().string());
  REQUIRE(report.exit_code == 0);
  std::string everything = file_bytes(dir.file("r.html"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("exports")))
    everything += file_bytes(entry.path().string());
  CHECK(everything.size() > 1000);
  CHECK(everything.find(key) == std::string::npos);
  CHECK(exported.err.find(key) == std::string::npos);
  CHECK(report.err.find(key) == std::string::npos);
}

TEST_CASE("openai cli: personabench dense retrieval through --embedder", "[openai][personabench]") {
  TempDir dir;
  OpenAITestServer server;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
  const std::string db = dir.file("dense.db");

  // Without an embedder the run refuses before anything runs, naming the flag.
  auto refused = run_perseval({"run", "--model", "baseline:kind=nearest", "--tasks",
                               "personabench:retriever=dense", "--db", db, "--no-progress"},
                              dir.path().string());
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("needs --embedder SPEC") != std::string::npos);
  CHECK(server.requests("/v1/embeddings") == 0);

  auto dense = run_perseval({"run", "--model", "baseline:kind=nearest", "--tasks",
                             "personabench:retriever=dense,k=3", "--embedder",
                             "openai:model=emb,base_url=" + url, "--db", db, "--no-progress", "--json"},
                            dir.path().string());
  INFO(dense.err);
  REQUIRE(dense.exit_code == 0);
  const json out = json::parse(dense.out);
  CHECK(out["runs"][0]["status"] == "finished");
  CHECK(out["runs"][0]["errors"] == 0);
  CHECK(out["runs"][0]["n"] == 17);
  CHECK(out["runs"][0]["metrics"].contains("ndcg@3"));
  // The bundled fixture has 3 users: one batch of chunks and one of questions each.
  CHECK(server.requests("/v1/embeddings") == 6);
  CHECK(server.requests("/v1/chat/completions") == 0);  // the model is an offline baseline

  // The embedder is part of the run identity: the stored params name it.
  auto store = Store::open(db);
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].task_params["embedder"]["identity"]["model"] == "emb");
  CHECK(runs[0].task_params["retriever"] == "dense");

  // An embedder given to a BM25 run is ignored and does not change its identity.
  auto bm25 = run_perseval({"run", "--model", "baseline:kind=nearest", "--tasks", "personabench", "--embedder",
                            "openai:model=emb,base_url=" + url, "--db", db, "--no-progress", "--json"},
                           dir.path().string());
  REQUIRE(bm25.exit_code == 0);
  CHECK(server.requests("/v1/embeddings") == 6);
  CHECK_FALSE(Store::open(db)->list_runs().back().task_params.contains("embedder"));
}

// The PersonaBench task end to end: official prompts (hashes of the byte-exact prompt from a
// CPython re-implementation of retrieval_and_generation.py), retrieval modes, baseline hints,
// concurrency, and whole runs into SQLite on the fixture and on the real sample.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

#include "adapters/baseline/baseline_model.h"
#include "adapters/registry.h"
#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/personabench/corpus.h"
#include "tasks/personabench/documents.h"
#include "tasks/personabench/layout.h"
#include "tasks/registry.h"
#include "tests/tasks/personabench_test_support.h"

using namespace perseval;
using namespace perseval::personabench_test;
namespace pb = perseval::personabench;

namespace {

std::map<std::string, Sample> by_id(const std::vector<Sample>& samples) {
  std::map<std::string, Sample> out;
  for (const auto& s : samples) out.emplace(s.id, s);
  return out;
}

uint64_t prompt_digest(const Task& task, const Sample& sample) {
  const Request r = task.render(sample);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].role == "user");
  return fnv1a64(r.messages[0].content);
}

// Hashed bag-of-words vectors: deterministic, offline, enough to exercise dense retrieval.
class FakeEmbedder final : public Embedder {
 public:
  ModelInfo info() const override { return {"fake-embedder", "test", json{{"dim", 64}}}; }
  void embed(std::vector<std::string> texts, EmbeddingCallback done) override {
    ++calls;
    EmbeddingResult r;
    for (const auto& t : texts) r.vectors.push_back(vector_of(t));
    std::thread([done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); }).join();
  }
  static std::vector<float> vector_of(const std::string& text) {
    std::vector<float> v(64, 0.0f);
    for (const auto& w : pb::bm25_tokens(text)) v[fnv1a64(w) % 64] += 1.0f;
    return v;
  }
  int calls = 0;
};

RunOptions run_options(const DataSource& source) {
  RunOptions o;
  o.source = source;
  o.threads = 2;
  o.seed = 7;
  o.progress = false;
  return o;
}

std::map<std::string, MetricValue> metrics_of(const std::vector<StoredMetric>& all, const std::string& key = "",
                                              const std::string& value = "") {
  std::map<std::string, MetricValue> out;
  for (const auto& m : all)
    if (m.slice_key == key && m.slice_value == value) out[m.metric.name] = m.metric;
  return out;
}

}  // namespace

TEST_CASE("personabench task: registered, listed, canonical", "[personabench]") {
  const auto names = known_task_names();
  CHECK(std::find(names.begin(), names.end(), "personabench") != names.end());
  const auto t = make_task(Spec::parse("personabench:noise=0.0,retriever=oracle"));
  const auto info = t->info();
  CHECK(info.name == "personabench:k=5,noise=0.0,prompt=official,retriever=oracle");
  CHECK(info.family == "personabench");
  CHECK(info.primary_metric == "f1");
  CHECK(info.metrics.front() == "f1");
  CHECK(std::find(info.metrics.begin(), info.metrics.end(), "recall@5") == info.metrics.end());
  const auto bm25 = make_task(Spec::parse("personabench"))->info().metrics;
  CHECK(std::find(bm25.begin(), bm25.end(), "ndcg@5") != bm25.end());
  CHECK(std::find(bm25.begin(), bm25.end(), "f1_corrected") != bm25.end());
}

TEST_CASE("personabench task: oracle prompts are byte-exact (fixture)", "[personabench]") {
  const auto task = make("personabench:noise=0.5,retriever=oracle");
  const auto samples = by_id(load_all(*task, bundled_source()));
  CHECK(prompt_digest(*task, samples.at("900000000")) == 0x53ec645e1190fecfULL);
  CHECK(prompt_digest(*task, samples.at("900000007")) == 0x8b4281967b0f7ff7ULL);
  CHECK(prompt_digest(*task, samples.at("900000003")) == 0x2938ff6b6c2e9f27ULL);
  CHECK(task->retrieved_segment_ids(samples.at("900000003")) ==
        std::vector<std::string>(5, "900000000009"));
  // Six answer items: every first alternative is shown (upstream would abort).
  CHECK(task->retrieved_segment_ids(samples.at("900000008")).size() == 6);
  const Request r = task->render(samples.at("900000000"));
  CHECK(r.gen.temperature == 0.0);
  CHECK(r.messages[0].content.rfind("You are provided with the following relevant information: ['{\"time\":", 0) == 0);
  CHECK(r.messages[0].content.find("\\\\u00c9mile Synth\\\\u00e9") != std::string::npos);  // repr doubles '\'
}

TEST_CASE("personabench task: BM25 retrieval, hints and the baselines", "[personabench]") {
  const auto task = make("personabench:noise=0.5");
  const auto samples = by_id(load_all(*task, bundled_source()));
  const Sample& brother = samples.at("900001002");  // "Who is my brother?" → Taro Synthara
  const auto ids = task->retrieved_segment_ids(brother);
  REQUIRE(ids.size() == 5);
  const Request r = task->render(brother);
  REQUIRE(r.hints);
  CHECK(r.hints->output_kind == "text");
  CHECK(r.hints->nearest_outputs.size() == 5);
  // Only the job chat says "brother" (twice): BM25 ranks it first; its text names Taro.
  CHECK(r.hints->nearest_outputs[0].find("little brother") != std::string::npos);
  CHECK(std::count(r.hints->profile_outputs.begin(), r.hints->profile_outputs.end(), "Synthspin") == 1);  // a brand
  const std::string nearest = baseline_answer(BaselineKind::nearest, *r.hints, 1);
  Completion c;
  c.text = nearest;
  const auto s = task->score(brother, c, {});
  CHECK(s.values.at("recall") == 1.0);  // the nearest chunk contains the answer words
  CHECK(s.values.at("recall@5") == 1.0);
  CHECK(s.values.at("ndcg@5") == 1.0);

  const Request nora = task->render(samples.at("900000000"));
  CHECK(std::count(nora.hints->profile_outputs.begin(), nora.hints->profile_outputs.end(), "Café Noël Roasters") == 1);
  const std::string majority = baseline_answer(BaselineKind::majority, *nora.hints, 1);
  CHECK((majority == "Émile Synthé" || majority == "Olga Synthova"));  // the most frequent contact

  const Request subjective = task->render(samples.at("900000009"));
  CHECK(subjective.hints->output_kind == "label");
  CHECK(subjective.hints->choices == std::vector<std::string>{"A", "B"});
  CHECK(baseline_answer(BaselineKind::majority, *subjective.hints, 1) == "A");
}

TEST_CASE("personabench task: render is thread-safe and needs no prior load", "[personabench]") {
  const auto loaded = make("personabench:noise=0.7");
  const auto samples = load_all(*loaded, bundled_source());
  std::vector<std::string> expected;
  for (const auto& s : samples) expected.push_back(loaded->render(s).messages[0].content);
  const auto fresh = make("personabench:noise=0.7");  // builds corpora lazily from sample.input
  std::vector<std::string> got(samples.size());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = t; i < samples.size(); i += 4) got[i] = fresh->render(samples[i]).messages[0].content;
    });
  for (auto& th : threads) th.join();
  CHECK(got == expected);
}

TEST_CASE("personabench task: dense retrieval through an attached embedder", "[personabench]") {
  const auto task = make("personabench:noise=0.5,retriever=dense");
  CHECK_THROWS_WITH(load_all(*task, bundled_source()), Catch::Contains("retriever=dense needs an embeddings model"));
  FakeEmbedder embedder;
  task->set_embedder(&embedder);
  CHECK(task->info().params["embedder"]["name"] == "fake-embedder");
  const auto samples = by_id(load_all(*task, bundled_source()));
  CHECK(embedder.calls == 6);  // chunks and questions of 3 users, one batch each
  const Sample& job = samples.at("900001000");
  const auto ids = task->retrieved_segment_ids(job);
  REQUIRE(ids.size() == 5);
  // The top chunk is the one with the largest inner product, checked independently.
  const auto question = FakeEmbedder::vector_of(job.input["question"].get<std::string>());
  const auto c0 = pb::community_files(fixture_root(), "0.5").at(0);
  const auto chunks = pb::load_community_chunks(c0.documents).at("Kenji Synthara");
  double best = -1;
  std::string best_id;
  for (const auto& ch : chunks) {
    const auto v = FakeEmbedder::vector_of(ch.text);
    double dot = 0;
    for (size_t i = 0; i < v.size(); ++i) dot += double(v[i]) * question[i];
    if (dot >= best) best = dot, best_id = ch.segment_id;  // ties: the later index, as BM25
  }
  CHECK(ids[0] == best_id);
  Completion c;
  c.text = "marine biologist";
  CHECK(task->score(job, c, {}).values.count("recall@5") == 1);
  load_all(*task, bundled_source());
  CHECK(embedder.calls == 6);  // corpora with vectors are reused, not embedded again
}

TEST_CASE("personabench task: runs end to end with the baselines into SQLite", "[personabench]") {
  TempDir dir;
  auto store = Store::open(dir.file("pb.db"));
  for (const char* spec : {"personabench", "personabench:retriever=oracle,noise=0.0"}) {
    const auto task = make_task(Spec::parse(spec));
    for (const char* model_spec : {"baseline:kind=random", "baseline:kind=majority", "baseline:kind=nearest"}) {
      INFO(spec << " " << model_spec);
      auto model = make_model(Spec::parse(model_spec));
      const auto summary = run_evaluation(*task, *model, *store, run_options(bundled_source()));
      CHECK(summary.run.n_total == 17);
      CHECK(summary.errors == 0);
      const auto all = store->read_metrics(summary.run.run_id);
      const auto m = metrics_of(all);
      CHECK(m.at("f1").n == 15);
      CHECK(m.at("f1_corrected").n == 15);
      CHECK(m.at("outdated_recall").n == 3);
      CHECK(m.at("subjective_accuracy").n == 2);
      CHECK(m.at("n_int_answers").value == 2);
      CHECK(m.at("n_over_k_items").value == 1);
      CHECK(m.at("f1").ci_low.has_value());
      CHECK(m.count("recall@5") == (std::string(spec) == "personabench" ? 1u : 0u));
      CHECK(metrics_of(all, "category", "Preference_easy").at("f1").n == 2);
      CHECK(metrics_of(all, "category", "Basic_information_easy").at("f1").n == 5);
      CHECK(metrics_of(all, "category", "Social_easy").at("f1").n == 4);
      CHECK(metrics_of(all, "user", "Kenji Synthara").at("f1").n == 4);
      const auto rows = store->read_samples(summary.run.run_id);
      CHECK(rows.size() == 17);
    }
  }
}

TEST_CASE("personabench task: the real sample end to end (Jennifer Moran)", "[personabench][real]") {
  const std::string dir = real_sample_dir();
  if (dir.empty()) {
    WARN("../shared/data/personabench is absent; skipping");
    return;
  }
  const DataSource source = dir_source(dir);
  {
    const auto oracle = make("personabench:noise=0.5,retriever=oracle");
    const auto samples = by_id(load_all(*oracle, source));
    REQUIRE(samples.size() == 48);
    CHECK(prompt_digest(*oracle, samples.at("000000006")) == 0xa2a0d5e91d3a9053ULL);
    CHECK(prompt_digest(*oracle, samples.at("000000021")) == 0xaef2b437e0b318cfULL);
    Completion c;
    c.text = "39";  // age, directly after "Harvard University"
    const auto s = oracle->score(samples.at("000000001"), c, {});
    CHECK(s.values.at("f1") == 0.0);
    CHECK(s.values.at("f1_corrected") == 1.0);
    // The Subjective/hard question offers ten letters and expects five.
    const auto hints = oracle->render(samples.at("000000037")).hints;
    CHECK(hints->choices.size() == 10);
    c.text = "B, C, G, I, J";
    CHECK(oracle->score(samples.at("000000037"), c, {}).values.at("subjective_correct") == 1.0);
  }
  TempDir tmp;
  auto store = Store::open(tmp.file("real.db"));
  for (const char* noise : {"0.0", "0.7"}) {
    const auto task = make_task(Spec::parse(std::string("personabench:noise=") + noise));
    for (const char* model_spec : {"baseline:kind=random", "baseline:kind=majority", "baseline:kind=nearest"}) {
      INFO(noise << " " << model_spec);
      auto model = make_model(Spec::parse(model_spec));
      const auto summary = run_evaluation(*task, *model, *store, run_options(source));
      CHECK(summary.run.n_total == 48);
      CHECK(summary.errors == 0);
      const auto all = store->read_metrics(summary.run.run_id);
      CHECK(metrics_of(all).at("f1").n == 42);
      CHECK(metrics_of(all).at("outdated_recall").n == 8);
      CHECK(metrics_of(all).at("subjective_accuracy").n == 6);
      CHECK(metrics_of(all, "category", "Basic_information_easy").at("f1").n == 19);
      CHECK(metrics_of(all, "category", "Preference_hard").at("recall@5").n == 13);
      CHECK(metrics_of(all, "category", "Social_easy").at("ndcg@5").n == 10);
      CHECK(metrics_of(all, "category", "Preference_easy").empty());
      const double r = metrics_of(all).at("recall@5").value;
      CHECK((r >= 0.0 && r <= 1.0));
    }
  }
}

// The batching writer thread: every row exactly once, flush semantics, error reporting.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "harness/store/result_writer.h"
#include "tests/harness/test_store_support.h"

namespace perseval {
namespace {

using Catch::Matchers::Contains;
using test::make_run;
using test::make_sample;
using test::TempDir;

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

// A store with one run to write into, and a second connection to check from the test
// thread (a Store is not shared between threads; the writer owns the first one).
struct Fixture {
  TempDir dir;
  std::string path = dir.file("writer.db");
  std::unique_ptr<Store> store = Store::open(path);
  std::unique_ptr<Store> reader;
  Fixture() {
    store->create_run(make_run("run-1"));
    reader = Store::open(path);
  }
};

constexpr auto kNever = 600000;  // a max_delay_ms that never fires during a test

}  // namespace

TEST_CASE("ResultWriter stores every row from many threads exactly once", "[store]") {
  Fixture f;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2500;
  {
    ResultWriter writer(*f.store, "run-1", {.batch_size = 64, .max_delay_ms = 5});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kPerThread; ++i) {
          long long seq = static_cast<long long>(t) * kPerThread + i;
          writer.add(make_sample("s" + std::to_string(seq), seq));
          // Flushing while others add must neither lose nor duplicate rows.
          if (i == kPerThread / 2) writer.flush();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    writer.flush();
    CHECK(writer.committed() == kThreads * kPerThread);
  }
  auto rows = f.reader->read_samples("run-1");
  REQUIRE(rows.size() == kThreads * kPerThread);
  for (size_t i = 0; i < rows.size(); ++i) {
    REQUIRE(rows[i].seq == static_cast<long long>(i));
    REQUIRE(rows[i].sample_id == "s" + std::to_string(i));
  }
}

TEST_CASE("ResultWriter flush commits a partial batch at once", "[store]") {
  Fixture f;
  ResultWriter writer(*f.store, "run-1", {.batch_size = 1000, .max_delay_ms = kNever});
  for (int i = 0; i < 10; ++i) writer.add(make_sample("s" + std::to_string(i), i));
  auto started = std::chrono::steady_clock::now();
  writer.flush();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(writer.committed() == 10);
  CHECK(f.reader->completed_sample_ids("run-1").size() == 10);

  // Nothing added since: flush returns at once.
  writer.flush();
  CHECK(writer.committed() == 10);
}

TEST_CASE("ResultWriter commits full batches without waiting", "[store]") {
  Fixture f;
  ResultWriter writer(*f.store, "run-1", {.batch_size = 10, .max_delay_ms = kNever});
  for (int i = 0; i < 25; ++i) writer.add(make_sample("s" + std::to_string(i), i));
  REQUIRE(eventually([&] { return writer.committed() == 20; }, std::chrono::seconds(5)));
  // The last 5 rows are not a full batch and their delay never passes.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(writer.committed() == 20);
  writer.flush();
  CHECK(writer.committed() == 25);
}

TEST_CASE("ResultWriter commits a partial batch after max_delay_ms", "[store]") {
  Fixture f;
  ResultWriter writer(*f.store, "run-1", {.batch_size = 1000, .max_delay_ms = 20});
  for (int i = 0; i < 5; ++i) writer.add(make_sample("s" + std::to_string(i), i));
  CHECK(eventually([&] { return writer.committed() == 5; }, std::chrono::seconds(5)));
  CHECK(f.reader->completed_sample_ids("run-1").size() == 5);
}

TEST_CASE("ResultWriter destructor commits what is queued", "[store]") {
  Fixture f;
  {
    ResultWriter writer(*f.store, "run-1", {.batch_size = 1000, .max_delay_ms = kNever});
    for (int i = 0; i < 300; ++i) writer.add(make_sample("s" + std::to_string(i), i));
  }
  CHECK(f.reader->read_samples("run-1").size() == 300);
}

TEST_CASE("ResultWriter keeps a duplicate sample once", "[store]") {
  Fixture f;
  ResultWriter writer(*f.store, "run-1", {.batch_size = 2, .max_delay_ms = kNever});
  writer.add(make_sample("same", 0));
  writer.add(make_sample("same", 0));
  writer.add(make_sample("same", 0));
  writer.flush();
  CHECK(f.reader->read_samples("run-1").size() == 1);
}

TEST_CASE("ResultWriter rethrows a write error from flush", "[store]") {
  Fixture f;
  // Rows of a run that does not exist violate the foreign key: every write fails.
  ResultWriter writer(*f.store, "no-such-run", {.batch_size = 4, .max_delay_ms = kNever});
  writer.add(make_sample("a", 0));
  CHECK_THROWS_WITH(writer.flush(), Contains("FOREIGN KEY") && Contains(f.path));
  // The error stays: later rows are not written and every flush reports it.
  writer.add(make_sample("b", 1));
  CHECK_THROWS_AS(writer.flush(), std::runtime_error);
  CHECK(writer.committed() == 0);
  // The destructor does not throw (the test would terminate otherwise).
}

}  // namespace perseval

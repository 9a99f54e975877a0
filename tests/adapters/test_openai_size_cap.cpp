// Responses over the size cap (max_response_bytes): a 50 MB body announced by its
// Content-Length, and a chunked body that never ends, are cut off at the cap; the sample
// fails with "response larger than N bytes" at once, without retries, and the engine never
// holds more than the cap. Bodies under the cap, however large, pass.
#include <catch2/catch.hpp>

#include "adapters/openai/openai_options.h"
#include "harness/core/errors.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/support/openai_test_responses.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("openai size cap: max_response_bytes defaults to 16 MiB and is checked", "[openai]") {
  const auto defaults = parse_openai_options(Spec::parse("openai:model=m"));
  CHECK(openai_endpoint_options(defaults, "").max_response_bytes == size_t{16} << 20);
  const auto set = parse_openai_options(Spec::parse("openai:model=m,max_response_bytes=5000"));
  CHECK(openai_endpoint_options(set, "").max_response_bytes == 5000);
  CHECK_THROWS_AS(parse_openai_options(Spec::parse("openai:model=m,max_response_bytes=100")), InputError);
  CHECK_THROWS_AS(parse_openai_options(Spec::parse("openai:model=m,max_response_bytes=x")), InputError);
  // A limit, not an output-changing setting: not part of the identity.
  CHECK(openai_identity(set) == openai_identity(defaults));
}

TEST_CASE("openai size cap: a 50 MB body is refused at the cap, not retried", "[openai][faults]") {
  OpenAITestServer server;
  FaultPlan plan;
  plan.fault = Fault::huge_body;
  plan.huge_body_bytes = size_t{50} << 20;
  server.set_fault(plan);
  auto model = make_openai_model(fast_spec(server, "max_response_bytes=1048576,max_retries=3,timeout_s=5"));
  const auto start = Clock::now();
  const auto results = complete_all(*model, 8, [](int i) { return ask("huge " + std::to_string(i)); });
  CHECK(ms_between(start, Clock::now()) < 3000);
  for (const auto& r : results) {
    REQUIRE(r.error);
    CHECK(*r.error == "HTTP 200, response larger than 1048576 bytes (max_response_bytes)");
    CHECK(r.attempts == 1);
    CHECK(r.text.empty());
  }
  CHECK(server.requests("/v1/chat/completions") == 8);
  const auto stats = model->http_stats();
  CHECK(stats.failed == 8);
  CHECK(stats.retries == 0);
  CHECK(stats.failures_by_kind.at("response too large") == 8);
  // The client stopped reading: of 8 x 50 MB offered, only socket buffers' worth went out.
  CHECK(server.streamed_bytes() < 8 * (size_t{50} << 20) / 4);
}

TEST_CASE("openai size cap: an endless chunked body is cut off at the cap, memory stays bounded",
          "[openai][faults]") {
  OpenAITestServer server;
  FaultPlan plan;
  plan.fault = Fault::endless_body;
  server.set_fault(plan);
  // Without the cap, this body would only end at the timeout, some gigabytes later.
  auto model = make_openai_model(fast_spec(server, "max_response_bytes=200000,max_retries=3,timeout_s=3"));
  const auto start = Clock::now();
  const auto results = complete_all(*model, 4, [](int i) { return ask("endless " + std::to_string(i)); });
  CHECK(ms_between(start, Clock::now()) < 2000);
  for (const auto& r : results) {
    REQUIRE(r.error);
    CHECK(*r.error == "HTTP 200, response larger than 200000 bytes (max_response_bytes)");
    CHECK(r.attempts == 1);
  }
  CHECK(server.requests("/v1/chat/completions") == 4);
  CHECK(server.streamed_bytes() > 4 * 200000);  // the cap was reached, not a timeout
  CHECK(server.streamed_bytes() < 4 * (size_t{32} << 20));
}

TEST_CASE("openai size cap: large answers under the cap pass, one byte over fails", "[openai][faults]") {
  OpenAITestServer server;
  SECTION("3 MiB of padding before the answer, under the default 16 MiB") {
    FaultPlan plan;
    plan.fault = Fault::huge_body;
    plan.huge_body_bytes = size_t{3} << 20;
    server.set_fault(plan);
    auto model = make_openai_model(fast_spec(server));
    const auto results = complete_all(*model, 4, [](int i) { return ask("padded " + std::to_string(i)); });
    for (int i = 0; i < 4; ++i) {
      CHECK_FALSE(results[static_cast<size_t>(i)].error);
      CHECK(results[static_cast<size_t>(i)].text == "echo: padded " + std::to_string(i));
    }
  }
  SECTION("a body of exactly the cap passes, one byte over fails") {
    const std::string answer(2 << 20, 'a');
    // By value: a server thread may still be answering the last request when the section ends.
    server.set_responder([answer](const std::string&, const json&) { return answer; });
    auto probe = make_openai_model(fast_spec(server));
    const auto first = complete_all(*probe, 1, [](int) { return ask("size"); });
    REQUIRE_FALSE(first[0].error);
    CHECK(first[0].text == answer);
    // The body is the answer plus its JSON envelope; find its exact size from the server.
    const auto body_size = completion_response("/v1/chat/completions",
                                               json{{"messages", {{{"role", "user"}, {"content", "size"}}}}}, answer)
                               .size();
    auto exact = make_openai_model(fast_spec(server, "max_response_bytes=" + std::to_string(body_size)));
    CHECK_FALSE(complete_all(*exact, 1, [](int) { return ask("size"); })[0].error);
    auto under = make_openai_model(fast_spec(server, "max_response_bytes=" + std::to_string(body_size - 1)));
    const auto cut = complete_all(*under, 1, [](int) { return ask("size"); });
    REQUIRE(cut[0].error);
    CHECK(cut[0].error->find("response larger than " + std::to_string(body_size - 1) + " bytes") !=
          std::string::npos);
  }
}

TEST_CASE("http engine: the default cap refuses 20 MiB, max_response_bytes=0 takes it", "[http][faults]") {
  OpenAITestServer server;
  FaultPlan plan;
  plan.fault = Fault::huge_body;
  plan.huge_body_bytes = size_t{20} << 20;
  server.set_fault(plan);
  auto engine = HttpEngine::create();
  auto capped = engine->add_endpoint(fast_endpoint({server.base_url()}));
  auto options = fast_endpoint({server.base_url()});
  options.max_response_bytes = 0;
  auto uncapped = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  capped->submit(chat_request(log, 0, "big"));
  uncapped->submit(chat_request(log, 1, "big"));
  capped->drain();
  uncapped->drain();
  REQUIRE(log->results.size() == 2);
  for (const auto& [number, r] : log->results) {
    if (number == 0) {
      REQUIRE(r.error);
      CHECK(*r.error == "HTTP 200, response larger than 16777216 bytes (max_response_bytes)");
      CHECK(r.body.empty());
    } else {
      CHECK_FALSE(r.error);
      CHECK(r.body.size() > (size_t{20} << 20));
      CHECK(r.body.find("echo: big") != std::string::npos);
    }
  }
}

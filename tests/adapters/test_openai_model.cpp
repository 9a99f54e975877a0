// The openai adapter: parameters, identity, request bodies, the three endpoints,
// logprobs, replicas.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "adapters/openai/openai_options.h"
#include "adapters/openai/openai_protocol.h"
#include "adapters/registry.h"
#include "harness/core/errors.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/support/openai_test_responses.h"

using namespace perseval;
using namespace perseval::test;

namespace {

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

void require_input_error(const std::string& spec, const std::string& fragment) {
  INFO(spec);
  try {
    make_model(Spec::parse(spec));
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(fragment) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("openai spec: bad parameters are InputErrors naming the problem", "[openai]") {
  require_input_error("openai:base_url=http://127.0.0.1:1/v1", "'model' is required");
  require_input_error("openai:model=m,colour=red", "unknown parameter 'colour'");
  require_input_error("openai:model=m,api_key=sk-abc", "never a parameter");
  require_input_error("openai:model=m,key=sk-abc", "never a parameter");
  require_input_error("openai:model=m,header.Authorization=Bearer x", "header 'Authorization' is refused");
  require_input_error("openai:model=m,header.x-api-key=abc", "refused");
  require_input_error("openai:model=m,header.bad name=1", "not a valid header name");
  require_input_error("openai:model=m,body.model=\"x\"", "written by the adapter");
  require_input_error("openai:model=m,body.stream=true", "written by the adapter");
  require_input_error("openai:model=m,body.foo=not-json", "must be JSON");
  require_input_error("openai:model=m,concurrency=0", "'concurrency' must be in");
  require_input_error("openai:model=m,concurrency=many", "must be an integer");
  require_input_error("openai:model=m,endpoint=responses", "chat or completions");
  require_input_error("openai:model=m,base_url=ftp://x", "http:// or https://");
  require_input_error("openai:model=m,adaptive=yes", "0 or 1");
  require_input_error("openai:model=m,top_p=2", "'top_p' must be in");
  require_input_error("openai:model=m,api_key_env=PERSEVAL_TEST_SURELY_UNSET_VAR", "is not set");
}

TEST_CASE("openai spec: the key in any parameter is refused without being echoed", "[openai]") {
  const std::string key = "sk-test-0123456789abcdef";
  ScopedEnv env("PERSEVAL_TEST_KEY_A", key);
  for (const std::string spec : {"openai:model=m,api_key_env=PERSEVAL_TEST_KEY_A,header.X-Extra=" + key,
                                 "openai:model=m,api_key_env=PERSEVAL_TEST_KEY_A,body.user=\"" + key + "\""}) {
    try {
      make_model(Spec::parse(spec));
      FAIL("accepted a spec holding the key");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find("contains the API key") != std::string::npos);
      CHECK(std::string(e.what()).find(key) == std::string::npos);
    }
  }
}

TEST_CASE("openai identity: outputs-relevant parameters only, never the key or header values", "[openai]") {
  ScopedEnv env("PERSEVAL_TEST_KEY_B", "sk-identity-secret-123456");
  auto model = make_model(Spec::parse(
      "openai:model=qwen,base_url=http://127.0.0.1:9/v1/|http://127.0.0.1:10/v1,concurrency=7,rpm=100,"
      "api_key_env=PERSEVAL_TEST_KEY_B,header.X-Route=blue-secret-route,body.top_k=5,temperature=0.5,seed=3"));
  const ModelInfo info = model->info();
  CHECK(info.backend == "openai");
  CHECK(info.concurrency == 14);
  CHECK(info.name ==
        "openai:base_url=http://127.0.0.1:9/v1|http://127.0.0.1:10/v1,body.top_k=5,endpoint=chat,model=qwen,"
        "seed=3,temperature=0.5");
  CHECK(info.identity["model"] == "qwen");
  CHECK(info.identity["endpoint"] == "chat");
  CHECK(info.identity["base_urls"] == json::array({"http://127.0.0.1:9/v1", "http://127.0.0.1:10/v1"}));
  CHECK(info.identity["overrides"] == json{{"temperature", 0.5}, {"seed", 3}});
  CHECK(info.identity["extra_body"] == json{{"top_k", 5}});
  const std::string everything = info.name + info.identity.dump();
  for (const char* hidden : {"sk-identity-secret", "PERSEVAL_TEST_KEY_B", "blue-secret-route", "rpm", "concurrency"})
    CHECK(everything.find(hidden) == std::string::npos);
}

TEST_CASE("openai: spec overrides and extra body fields shape every request body", "[openai]") {
  OpenAITestServer server;
  std::mutex mu;
  std::vector<json> bodies;
  server.set_responder([&](const std::string&, const json& body) {
    std::lock_guard lock(mu);
    bodies.push_back(body);
    return std::string("ok");
  });
  auto model = make_openai_model(fast_spec(
      server, "temperature=0.7,max_tokens=33,top_p=0.9,seed=42,body.top_k=5,body.user=\"u1\",header.X-Trace=abc"));
  Request r = ask("hello");
  r.gen.temperature = 0.0;
  r.gen.max_tokens = 5;
  r.gen.stop = {"\n"};
  const auto results = complete_all(*model, 1, [&](int) { return r; });
  CHECK(results[0].text == "ok");
  REQUIRE(bodies.size() == 1);
  const json& b = bodies[0];
  CHECK(b["model"] == "test-model");
  CHECK(b["temperature"] == 0.7);
  CHECK(b["max_tokens"] == 33);
  CHECK(b["top_p"] == 0.9);
  CHECK(b["seed"] == 42);
  CHECK(b["stop"] == json::array({"\n"}));
  CHECK(b["top_k"] == 5);
  CHECK(b["user"] == "u1");
  CHECK(b["messages"] == json::array({json{{"role", "user"}, {"content", "hello"}}}));
  CHECK_FALSE(b.contains("logprobs"));
  const auto headers = server.last_request_headers();
  CHECK(headers.at("x-trace") == "abc");
  CHECK(headers.at("content-type") == "application/json");
  CHECK(headers.count("expect") == 0);
}

TEST_CASE("openai: usage is parsed, null content is an empty answer, unusable bodies are named", "[openai]") {
  OpenAITestServer server;
  auto model = make_openai_model(fast_spec(server, "max_retries=1"));
  auto results = complete_all(*model, 1, [](int) { return ask("twelve chars"); });
  CHECK(results[0].usage.prompt_tokens == 4);      // 12 / 4 + 1
  CHECK(results[0].usage.completion_tokens == 5);  // "echo: twelve chars" = 18 / 4 + 1

  ParsedCompletion parsed;
  CHECK(parse_completion_body(R"({"choices":[{"message":{"content":null}}]})", OpenAIEndpointKind::chat, parsed) == "");
  CHECK(parsed.text.empty());
  CHECK(parse_completion_body(R"({"error":{"message":"model overloaded"}})", OpenAIEndpointKind::chat, parsed) ==
        "server error: model overloaded");
  CHECK(parse_completion_body(R"({"choices":[]})", OpenAIEndpointKind::chat, parsed) == "no choices");
  CHECK(parse_completion_body(R"({"choices":[{"text":"x"}]})", OpenAIEndpointKind::chat, parsed) ==
        "no choices[0].message");
  CHECK(parse_completion_body(R"({"choices":[{"message":{}}]})", OpenAIEndpointKind::completions, parsed) ==
        "no choices[0].text");
  CHECK(parse_completion_body("[1,2]", OpenAIEndpointKind::chat, parsed) == "not a JSON object");
}

TEST_CASE("openai completions endpoint: messages become a plain-text prompt", "[openai]") {
  CHECK(render_plain_prompt({{"user", "Only the prompt."}}) == "Only the prompt.");
  CHECK(render_plain_prompt({{"user", "a"}, {"user", "b"}}) == "a\n\nb");
  CHECK(render_plain_prompt({{"system", "Be brief."}, {"user", "Hi?"}, {"assistant", "Hello."}, {"user", "Name?"}}) ==
        "System: Be brief.\n\nUser: Hi?\n\nAssistant: Hello.\n\nUser: Name?\n\nAssistant:");

  OpenAITestServer server;
  auto model = make_openai_model(fast_spec(server, "endpoint=completions"));
  CHECK(model->info().identity["endpoint"] == "completions");
  const auto results = complete_all(*model, 2, [](int i) {
    Request r = ask("base prompt " + std::to_string(i));
    if (i == 1) r.messages.insert(r.messages.begin(), Message{"system", "sys"});
    return r;
  });
  CHECK(results[0].text == "echo: base prompt 0");
  CHECK(results[1].text == "echo: System: sys\n\nUser: base prompt 1\n\nAssistant:");
  CHECK(server.requests("/v1/completions") == 2);
  CHECK(server.requests("/v1/chat/completions") == 0);
}

TEST_CASE("openai logprobs: asked for by the task or the spec, passed through as JSON", "[openai]") {
  OpenAITestServer server;
  SECTION("chat") {
    auto model = make_openai_model(fast_spec(server, "logprobs=1,top_logprobs=2"));
    const auto results = complete_all(*model, 1, [](int) { return ask("lp"); });
    const json& lp = results[0].logprobs;
    REQUIRE(lp.is_object());
    CHECK(lp["content"][0]["token"] == "echo");
    CHECK(lp["content"][0]["logprob"] == -0.25);
    CHECK(lp["content"][0]["top_logprobs"].size() == 2);
  }
  SECTION("legacy completions, asked for by the task") {
    auto model = make_openai_model(fast_spec(server, "endpoint=completions"));
    const auto results = complete_all(*model, 1, [](int) {
      Request r = ask("lp");
      r.gen.logprobs = true;
      r.gen.top_logprobs = 3;
      return r;
    });
    const json& lp = results[0].logprobs;
    CHECK(lp["tokens"] == json::array({"echo"}));
    CHECK(lp["top_logprobs"][0].size() == 3);
  }
  SECTION("not asked: null") {
    auto model = make_openai_model(fast_spec(server));
    CHECK(complete_all(*model, 1, [](int) { return ask("lp"); })[0].logprobs.is_null());
  }
}

TEST_CASE("openai embeddings: one call, vectors placed by index", "[openai]") {
  OpenAITestServer server;
  auto model = make_openai_model(fast_spec(server));
  const std::vector<std::string> texts = {"alpha", "beta beta", "gamma gamma gamma"};
  EmbeddingResult result;
  model->embed(texts, [&](EmbeddingResult r) { result = std::move(r); });
  model->drain();
  REQUIRE_FALSE(result.error);
  REQUIRE(result.vectors.size() == 3);
  for (size_t i = 0; i < texts.size(); ++i) CHECK(result.vectors[i] == test_embedding(texts[i]));
  CHECK(result.usage.prompt_tokens > 0);
  CHECK(result.attempts == 1);
  CHECK(server.requests("/v1/embeddings") == 1);

  EmbeddingResult bad;
  CHECK(parse_embeddings_body(R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})", 2, bad) ==
        "index 0 repeated");
  CHECK(parse_embeddings_body(R"({"data":[{"index":0,"embedding":[1]}]})", 2, bad) == "1 embeddings for 2 inputs");
}

TEST_CASE("openai replicas: each request goes to the replica with the fewest in flight", "[openai]") {
  OpenAITestServer a, b;
  a.set_latency(40);
  b.set_latency(40);
  auto model = make_openai_model(Spec::parse("openai:model=m,concurrency=4,base_url=" + a.base_url() + "|" + b.base_url()));
  CHECK(model->info().concurrency == 8);
  const auto results = complete_all(*model, 80, [](int i) { return ask("rep " + std::to_string(i)); });
  for (const auto& r : results) CHECK_FALSE(r.error);
  const auto na = a.requests("/v1/chat/completions"), nb = b.requests("/v1/chat/completions");
  CHECK(na + nb == 80);
  CHECK(na >= 32);
  CHECK(nb >= 32);
  CHECK(a.peak_concurrency() <= 4);
  CHECK(b.peak_concurrency() <= 4);
  CHECK(a.peak_concurrency() + b.peak_concurrency() >= 7);
}

TEST_CASE("openai replicas: a slow replica gets fewer requests, a dead one loses none", "[openai]") {
  OpenAITestServer fast, slow;
  slow.set_latency(150);
  fast.set_latency(10);
  {
    auto model = make_openai_model(
        Spec::parse("openai:model=m,concurrency=4,base_url=" + fast.base_url() + "|" + slow.base_url()));
    const auto results = complete_all(*model, 60, [](int i) { return ask("bal " + std::to_string(i)); });
    for (const auto& r : results) CHECK_FALSE(r.error);
    CHECK(fast.requests("/v1/chat/completions") > 2 * slow.requests("/v1/chat/completions"));
  }
  // A replica that refuses connections: its attempts fail fast and are retried elsewhere.
  auto model = make_openai_model(Spec::parse("openai:model=m,concurrency=4,backoff_ms=5,max_backoff_ms=20,max_retries=8,"
                                             "base_url=" + fast.base_url() + "|http://127.0.0.1:1/v1"));
  const auto results = complete_all(*model, 40, [](int i) { return ask("dead " + std::to_string(i)); });
  for (const auto& r : results) CHECK_FALSE(r.error);
}

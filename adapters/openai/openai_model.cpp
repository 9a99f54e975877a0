#include "adapters/openai/openai_model.h"

#include "adapters/http/error_text.h"
#include "adapters/openai/openai_options.h"
#include "adapters/openai/openai_protocol.h"

namespace perseval {

struct OpenAIModel::Impl {
  OpenAIOptions options;
  std::vector<std::string> secrets;  // the key, when there is one
  ModelInfo info;
  std::string completion_path;
  // Declared last: destroyed first, so no callback outlives the fields above.
  std::unique_ptr<HttpEndpoint> endpoint;
};

namespace {

// Model output is text we store; a server echoing the key must not smuggle it into the
// database either.
std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  if (secrets.empty() || text.find(secrets.front()) == std::string::npos) return text;
  return redact(std::move(text), secrets);
}

class CompletionHandler final : public HttpResponseHandler {
 public:
  CompletionHandler(const OpenAIModel::Impl& model, CompletionCallback done)
      : model_(model), done_(std::move(done)) {}

  std::string accept(std::string& body) override {
    return parse_completion_body(body, model_.options.endpoint, parsed_);
  }

  void done(HttpResult result) override {
    Completion c;
    c.attempts = result.attempts;
    c.latency_ms = result.latency_ms;
    if (result.error) {
      c.error = std::move(result.error);
    } else {
      c.text = scrub(std::move(parsed_.text), model_.secrets);
      c.usage = parsed_.usage;
      c.logprobs = std::move(parsed_.logprobs);
    }
    done_(std::move(c));
  }

 private:
  const OpenAIModel::Impl& model_;
  CompletionCallback done_;
  ParsedCompletion parsed_;
};

class EmbeddingHandler final : public HttpResponseHandler {
 public:
  EmbeddingHandler(size_t expected, EmbeddingCallback done) : expected_(expected), done_(std::move(done)) {}

  std::string accept(std::string& body) override { return parse_embeddings_body(body, expected_, parsed_); }

  void done(HttpResult result) override {
    parsed_.attempts = result.attempts;
    parsed_.latency_ms = result.latency_ms;
    if (result.error) {
      parsed_.vectors.clear();
      parsed_.error = std::move(result.error);
    }
    done_(std::move(parsed_));
  }

 private:
  size_t expected_;
  EmbeddingCallback done_;
  EmbeddingResult parsed_;
};

}  // namespace

OpenAIModel::OpenAIModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OpenAIModel::~OpenAIModel() = default;

ModelInfo OpenAIModel::info() const { return impl_->info; }

void OpenAIModel::submit(Request request, CompletionCallback done) {
  const GenConfig gen = effective_gen(request.gen, impl_->options.overrides);
  HttpRequest http;
  http.path = impl_->completion_path;
  http.body = completion_request_body(impl_->options, request);
  http.estimated_tokens = estimate_tokens(request, gen.max_tokens);
  http.handler = std::make_unique<CompletionHandler>(*impl_, std::move(done));
  impl_->endpoint->submit(std::move(http));
}

void OpenAIModel::embed(std::vector<std::string> texts, EmbeddingCallback done) {
  if (texts.empty()) {
    done(EmbeddingResult{});
    return;
  }
  size_t chars = 0;
  for (const auto& t : texts) chars += t.size();
  HttpRequest http;
  http.path = "/embeddings";
  http.body = embeddings_request_body(impl_->options, texts);
  http.estimated_tokens = static_cast<double>(chars) / 4.0;
  http.handler = std::make_unique<EmbeddingHandler>(texts.size(), std::move(done));
  impl_->endpoint->submit(std::move(http));
}

void OpenAIModel::drain() { impl_->endpoint->drain(); }

HttpEndpointStats OpenAIModel::http_stats() const { return impl_->endpoint->stats(); }

std::unique_ptr<OpenAIModel> make_openai_model(const Spec& spec, std::shared_ptr<HttpEngine> engine) {
  auto impl = std::make_unique<OpenAIModel::Impl>();
  impl->options = parse_openai_options(spec);
  const std::string key = read_api_key(impl->options, spec);
  if (!key.empty()) impl->secrets.push_back(key);
  const OpenAIOptions& o = impl->options;
  impl->info.name = openai_model_name(o);
  impl->info.backend = "openai";
  impl->info.identity = openai_identity(o);
  impl->info.concurrency = o.concurrency * static_cast<int>(o.base_urls.size());
  impl->completion_path = o.endpoint == OpenAIEndpointKind::chat ? "/chat/completions" : "/completions";
  if (!engine) engine = HttpEngine::shared();
  impl->endpoint = engine->add_endpoint(openai_endpoint_options(o, key));
  return std::make_unique<OpenAIModel>(std::move(impl));
}

}  // namespace perseval

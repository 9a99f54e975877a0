#include "adapters/openai/openai_options.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "harness/core/errors.h"

namespace perseval {
namespace {

const std::set<std::string> kPlainKeys = {
    "model",      "base_url",     "api_key_env", "endpoint",       "concurrency", "rpm",
    "tpm",        "timeout_s",    "max_retries", "backoff_ms",     "max_backoff_ms",
    "adaptive",   "temperature",  "max_tokens",  "top_p",          "seed",
    "logprobs",   "top_logprobs", "max_response_bytes"};

// Body fields the adapter writes itself; overriding them would break the protocol.
const std::set<std::string> kOwnedBodyFields = {"model", "messages", "prompt", "input", "stream"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

[[noreturn]] void fail(const std::string& problem) { throw InputError("model 'openai': " + problem); }

// A parameter name that looks like it carries a credential.
bool key_like(const std::string& name) {
  const std::string n = lower(name);
  return n == "api_key" || n == "apikey" || n == "key" || n == "token" || n == "api-key" ||
         n == "secret" || n == "password" || n == "access_token" || n == "bearer";
}

bool credential_header(const std::string& name) {
  const std::string n = lower(name);
  return n.find("authorization") != std::string::npos || n == "api-key" || n == "x-api-key" ||
         n == "cookie" || n.find("token") != std::string::npos;
}

bool valid_header_name(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

long long integer(const Spec& spec, const std::string& key, long long fallback, long long lo, long long hi) {
  long long v = fallback;
  try {
    v = spec.get_int(key, fallback);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  if (v < lo || v > hi)
    fail("parameter '" + key + "' must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

double number(const Spec& spec, const std::string& key, double fallback, double lo, double hi) {
  double v = fallback;
  try {
    v = spec.get_double(key, fallback);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  if (!(v >= lo && v <= hi))
    fail("parameter '" + key + "' must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

bool flag(const Spec& spec, const std::string& key, bool fallback) {
  const auto v = spec.find(key);
  if (!v) return fallback;
  if (*v == "1" || *v == "true") return true;
  if (*v == "0" || *v == "false") return false;
  fail("parameter '" + key + "' must be 0 or 1");
}

std::vector<std::string> split_urls(const std::string& text) {
  std::vector<std::string> urls;
  size_t start = 0;
  while (start <= text.size()) {
    size_t bar = text.find('|', start);
    if (bar == std::string::npos) bar = text.size();
    std::string url = text.substr(start, bar - start);
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      fail("every base_url must start with http:// or https:// (got '" + url + "')");
    urls.push_back(url);
    start = bar + 1;
  }
  return urls;
}

}  // namespace

OpenAIOptions parse_openai_options(const Spec& spec) {
  OpenAIOptions o;
  for (const auto& [key, value] : spec.params) {
    if (key_like(key))
      fail("parameter '" + key + "' is refused: the API key is never a parameter; put it in the "
           "environment variable named by api_key_env (default OPENAI_API_KEY)");
    if (key.rfind("header.", 0) == 0) {
      const std::string name = key.substr(7);
      if (!valid_header_name(name)) fail("'" + key + "' is not a valid header name");
      if (credential_header(name))
        fail("header '" + name + "' is refused: credentials come only from the environment "
             "variable named by api_key_env");
      if (value.find_first_of("\r\n") != std::string::npos) fail("header '" + name + "' has a line break");
      o.headers.emplace_back(name, value);
    } else if (key.rfind("body.", 0) == 0) {
      const std::string field = key.substr(5);
      if (field.empty()) fail("'body.' needs a field name");
      if (kOwnedBodyFields.count(field)) fail("body field '" + field + "' is written by the adapter itself");
      json parsed = json::parse(value, nullptr, false);
      if (parsed.is_discarded())
        fail("'" + key + "' must be JSON (a string in double quotes, a number, true/false, ...)");
      o.extra_body[field] = std::move(parsed);
    } else if (!kPlainKeys.count(key)) {
      fail("unknown parameter '" + key + "' (expected: model, base_url, endpoint, concurrency, rpm, "
           "tpm, timeout_s, max_response_bytes, max_retries, backoff_ms, max_backoff_ms, adaptive, api_key_env, "
           "temperature, max_tokens, top_p, seed, logprobs, top_logprobs, header.NAME, body.KEY)");
    }
  }
  o.model = spec.get("model", "");
  if (o.model.empty()) fail("parameter 'model' is required (the server's model name)");
  if (auto urls = spec.find("base_url")) o.base_urls = split_urls(*urls);
  if (auto env = spec.find("api_key_env")) {
    if (env->empty()) fail("parameter 'api_key_env' is empty");
    o.api_key_env = *env;
    o.api_key_env_given = true;
  }
  const std::string endpoint = spec.get("endpoint", "chat");
  if (endpoint == "chat") o.endpoint = OpenAIEndpointKind::chat;
  else if (endpoint == "completions") o.endpoint = OpenAIEndpointKind::completions;
  else fail("parameter 'endpoint' must be chat or completions");
  o.concurrency = static_cast<int>(integer(spec, "concurrency", 32, 1, 4096));
  o.rpm = number(spec, "rpm", 0.0, 0.0, 1e9);
  o.tpm = number(spec, "tpm", 0.0, 0.0, 1e12);
  o.timeout_s = number(spec, "timeout_s", 120.0, 0.001, 86400.0);
  o.max_response_bytes = integer(spec, "max_response_bytes", 16LL << 20, 1024, 1LL << 40);
  o.max_retries = static_cast<int>(integer(spec, "max_retries", 5, 0, 100));
  o.backoff_ms = static_cast<long>(integer(spec, "backoff_ms", 500, 0, 3600000));
  o.max_backoff_ms = static_cast<long>(integer(spec, "max_backoff_ms", 20000, 0, 3600000));
  o.adaptive = flag(spec, "adaptive", false);
  GenOverrides& g = o.overrides;
  if (spec.find("temperature")) g.temperature = number(spec, "temperature", 0.0, 0.0, 100.0);
  if (spec.find("max_tokens")) g.max_tokens = static_cast<int>(integer(spec, "max_tokens", 1, 1, 100000000));
  if (spec.find("top_p")) g.top_p = number(spec, "top_p", 1.0, 0.0, 1.0);
  if (spec.find("seed")) g.seed = static_cast<uint64_t>(integer(spec, "seed", 0, 0, INT64_MAX));
  if (spec.find("logprobs")) g.logprobs = flag(spec, "logprobs", false);
  if (spec.find("top_logprobs")) g.top_logprobs = static_cast<int>(integer(spec, "top_logprobs", 0, 0, 20));
  return o;
}

std::string read_api_key(const OpenAIOptions& options, const Spec& spec) {
  const char* value = std::getenv(options.api_key_env.c_str());
  const std::string key = value ? value : "";
  if (key.empty() && options.api_key_env_given)
    fail("environment variable '" + options.api_key_env + "' (api_key_env) is not set");
  // Short values would match innocent text; real keys are long.
  if (key.size() >= 8)
    for (const auto& [name, param] : spec.params)
      if (param.find(key) != std::string::npos)
        fail("parameter '" + name + "' contains the API key; keys come only from the environment");
  return key;
}

json openai_identity(const OpenAIOptions& o) {
  json overrides = json::object();
  const GenOverrides& g = o.overrides;
  if (g.temperature) overrides["temperature"] = *g.temperature;
  if (g.max_tokens) overrides["max_tokens"] = *g.max_tokens;
  if (g.top_p) overrides["top_p"] = *g.top_p;
  if (g.seed) overrides["seed"] = *g.seed;
  if (g.logprobs) overrides["logprobs"] = *g.logprobs;
  if (g.top_logprobs) overrides["top_logprobs"] = *g.top_logprobs;
  return json{{"backend", "openai"},
              {"model", o.model},
              {"endpoint", o.endpoint == OpenAIEndpointKind::chat ? "chat" : "completions"},
              {"base_urls", o.base_urls},
              {"overrides", overrides},
              {"extra_body", o.extra_body}};
}

std::string openai_model_name(const OpenAIOptions& o) {
  const json id = openai_identity(o);
  Spec spec;
  spec.name = "openai";
  spec.params["model"] = o.model;
  spec.params["endpoint"] = id["endpoint"].get<std::string>();
  std::string urls;
  for (const auto& url : o.base_urls) urls += (urls.empty() ? "" : "|") + url;
  spec.params["base_url"] = urls;
  for (const auto& [key, value] : id["overrides"].items())
    spec.params[key] = value.is_boolean() ? (value.get<bool>() ? "1" : "0") : value.dump();
  for (const auto& [key, value] : o.extra_body.items()) spec.params["body." + key] = value.dump();
  return spec.to_string();
}

EndpointOptions openai_endpoint_options(const OpenAIOptions& o, const std::string& api_key) {
  EndpointOptions e;
  e.base_urls = o.base_urls;
  e.headers.push_back("Content-Type: application/json");
  e.headers.push_back("Accept: application/json");
  if (!api_key.empty()) {
    e.headers.push_back("Authorization: Bearer " + api_key);
    e.secrets.push_back(api_key);
  }
  for (const auto& [name, value] : o.headers) e.headers.push_back(name + ": " + value);
  e.concurrency = o.concurrency;
  e.rpm = o.rpm;
  e.tpm = o.tpm;
  e.timeout_s = o.timeout_s;
  e.max_response_bytes = static_cast<size_t>(o.max_response_bytes);
  e.adaptive = o.adaptive;
  e.retry.max_retries = o.max_retries;
  e.retry.base_backoff = std::chrono::milliseconds(o.backoff_ms);
  e.retry.max_backoff = std::chrono::milliseconds(std::max(o.backoff_ms, o.max_backoff_ms));
  return e;
}

}  // namespace perseval

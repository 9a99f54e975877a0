#include "adapters/baseline/baseline_model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#include "adapters/baseline/delayed_delivery.h"
#include "harness/core/errors.h"
#include "harness/core/hash.h"

namespace perseval {
namespace {

std::string pick_random(const ReferenceHints& hints, uint64_t seed) {
  const auto& pool = hints.output_kind == "text" ? hints.profile_outputs : hints.choices;
  if (pool.empty()) return "";
  return pool[mix64(seed ^ 0x72616e646f6dULL) % pool.size()];
}

// Python-free formatting of a median: integers print without a fraction ("4"), halves as "3.5".
std::string format_rating(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

std::string median_rating(const ReferenceHints& hints) {
  std::vector<double> ratings;
  for (const auto& text : hints.profile_outputs) {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0') ratings.push_back(v);
  }
  if (ratings.empty()) return hints.choices.empty() ? "" : hints.choices[hints.choices.size() / 2];
  std::sort(ratings.begin(), ratings.end());
  const size_t mid = ratings.size() / 2;
  const double median =
      ratings.size() % 2 ? ratings[mid] : (ratings[mid - 1] + ratings[mid]) / 2.0;
  return format_rating(median);
}

std::string most_frequent(const ReferenceHints& hints) {
  std::map<std::string, int> counts;
  for (const auto& out : hints.profile_outputs) ++counts[out];
  // Candidates in a fixed order: the label list for labels, profile order for text.
  const auto& order = hints.output_kind == "label" ? hints.choices : hints.profile_outputs;
  std::string best;
  int best_count = 0;
  for (const auto& candidate : order) {
    auto it = counts.find(candidate);
    int c = it == counts.end() ? 0 : it->second;
    if (c > best_count) {
      best = candidate;
      best_count = c;
    }
  }
  if (best_count == 0 && !hints.choices.empty()) return hints.choices.front();
  return best;
}

// Length in code points (UTF-8 bytes that do not continue a sequence).
size_t text_length(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// The index of the first longest string, or -1 for an empty list.
long longest_index(const std::vector<std::string>& texts) {
  long best = -1;
  size_t best_length = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const size_t length = text_length(texts[i]);
    if (best < 0 || length > best_length) {
      best = static_cast<long>(i);
      best_length = length;
    }
  }
  return best;
}

std::string longest(const ReferenceHints& hints) {
  if (!hints.choice_texts.empty() && hints.choice_texts.size() == hints.choices.size())
    return hints.choices[static_cast<size_t>(longest_index(hints.choice_texts))];
  const auto& pool = hints.output_kind == "text" ? hints.profile_outputs : hints.choices;
  const long i = longest_index(pool);
  return i < 0 ? "" : pool[static_cast<size_t>(i)];
}

std::string majority(const ReferenceHints& hints) {
  return hints.output_kind == "rating" ? median_rating(hints) : most_frequent(hints);
}

class BaselineModel final : public Model {
 public:
  BaselineModel(BaselineKind kind, std::string name, int latency_ms)
      : kind_(kind), name_(std::move(name)), latency_ms_(latency_ms) {
    if (latency_ms_ > 0) delayed_ = std::make_unique<DelayedDelivery>();
  }

  ModelInfo info() const override {
    // latency_ms changes timing only, never answers, so it is not part of the identity.
    return ModelInfo{name_, "baseline", json{{"kind", name_}}};
  }

  void submit(Request request, CompletionCallback done) override {
    const auto start = std::chrono::steady_clock::now();
    Completion completion;
    completion.attempts = 1;
    if (!request.hints) {
      completion.error = "baseline models need reference hints; this task provides none";
    } else {
      completion.text = baseline_answer(kind_, *request.hints, request.sample_seed);
    }
    completion.latency_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - start)
                                .count();
    if (!delayed_) {
      done(std::move(completion));
      return;
    }
    completion.latency_ms += latency_ms_;
    delayed_->schedule(std::chrono::milliseconds(latency_ms_),
                       [done = std::move(done), c = std::move(completion)]() mutable {
                         done(std::move(c));
                       });
  }

  void drain() override {
    if (delayed_) delayed_->drain();
  }

 private:
  BaselineKind kind_;
  std::string name_;
  int latency_ms_;
  std::unique_ptr<DelayedDelivery> delayed_;
};

}  // namespace

std::string baseline_answer(BaselineKind kind, const ReferenceHints& hints, uint64_t seed) {
  switch (kind) {
    case BaselineKind::random:
      return pick_random(hints, seed);
    case BaselineKind::majority:
      return majority(hints);
    case BaselineKind::nearest:
      if (!hints.nearest_outputs.empty()) return hints.nearest_outputs.front();
      return majority(hints);
    case BaselineKind::longest:
      return longest(hints);
  }
  return "";
}

std::unique_ptr<Model> make_baseline_model(const Spec& spec) {
  for (const auto& [key, value] : spec.params)
    if (key != "kind" && key != "latency_ms")
      throw InputError("model '" + spec.to_string() + "': unknown parameter '" + key +
                       "' (expected: kind, latency_ms)");
  long long latency_ms = 0;
  try {
    latency_ms = spec.get_int("latency_ms", 0);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  if (latency_ms < 0 || latency_ms > 600000)
    throw InputError("model '" + spec.to_string() + "': latency_ms must be in [0, 600000]");
  const std::string kind = spec.get("kind", "majority");
  BaselineKind k;
  if (kind == "random") k = BaselineKind::random;
  else if (kind == "majority") k = BaselineKind::majority;
  else if (kind == "nearest") k = BaselineKind::nearest;
  else if (kind == "longest") k = BaselineKind::longest;
  else
    throw InputError("model '" + spec.to_string() + "': unknown kind '" + kind +
                     "' (expected random, majority, nearest or longest)");
  return std::make_unique<BaselineModel>(k, "baseline:kind=" + kind, static_cast<int>(latency_ms));
}

}  // namespace perseval

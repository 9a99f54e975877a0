#include "tasks/pairwise/logprob_confidence.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace perseval::pairwise {
namespace {

// The token without the decoration around a verdict letter.
std::string core_of(const std::string& token) {
  std::string out;
  for (const char c : token)
    if (c != ' ' && c != '\t' && c != '\n' && c != '[' && c != ']' && c != '(' && c != ')' && c != '*')
      out += c;
  return out;
}

// A log-probability as sent: a number <= 0 (a rounding slack of 1e-6 above 0 is read as 0).
// nullopt for anything else — a positive value is no log of a probability and would turn
// into a "probability" above 1.
std::optional<double> logprob_of(const json& value) {
  if (!value.is_number()) return std::nullopt;
  const double lp = value.get<double>();
  if (!std::isfinite(lp) || lp > 1e-6) return std::nullopt;
  return std::min(lp, 0.0);
}

// One token position: its text, log-probability and alternatives (core text → logprob).
struct Position {
  std::string token;
  double logprob = 0.0;
  std::map<std::string, double> alternatives;
};

std::vector<Position> positions_of(const json& logprobs) {
  std::vector<Position> out;
  if (!logprobs.is_object()) return out;
  if (const auto content = logprobs.find("content"); content != logprobs.end() && content->is_array()) {
    for (const auto& entry : *content) {
      if (!entry.is_object() || !entry.contains("token") || !entry["token"].is_string() ||
          !entry.contains("logprob") || !logprob_of(entry["logprob"]))
        return {};
      Position p{entry["token"].get<std::string>(), *logprob_of(entry["logprob"]), {}};
      if (const auto top = entry.find("top_logprobs"); top != entry.end() && top->is_array())
        for (const auto& alt : *top)
          if (alt.is_object() && alt.contains("token") && alt["token"].is_string() && alt.contains("logprob"))
            if (const auto lp = logprob_of(alt["logprob"]))
              p.alternatives.emplace(core_of(alt["token"].get<std::string>()), *lp);
      out.push_back(std::move(p));
    }
    return out;
  }
  const auto tokens = logprobs.find("tokens");
  const auto values = logprobs.find("token_logprobs");
  if (tokens == logprobs.end() || values == logprobs.end() || !tokens->is_array() ||
      !values->is_array() || tokens->size() != values->size())
    return out;
  const auto top = logprobs.find("top_logprobs");
  for (size_t i = 0; i < tokens->size(); ++i) {
    if (!(*tokens)[i].is_string() || !logprob_of((*values)[i])) return {};
    Position p{(*tokens)[i].get<std::string>(), *logprob_of((*values)[i]), {}};
    if (top != logprobs.end() && top->is_array() && i < top->size() && (*top)[i].is_object())
      for (const auto& [token, value] : (*top)[i].items())
        if (const auto lp = logprob_of(value)) p.alternatives.emplace(core_of(token), *lp);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::optional<double> verdict_probability(const json& logprobs, const std::string& letter,
                                          const std::string& allowed) {
  for (const auto& p : positions_of(logprobs)) {
    const std::string core = core_of(p.token);
    if (core.size() != 1 || allowed.find(core[0]) == std::string::npos) continue;
    if (core != letter) return std::nullopt;  // the first verdict token names another letter
    if (p.alternatives.empty()) return std::exp(p.logprob);
    // Several alternatives can share a core ("A" and " A"): keep the likelier of each.
    std::map<char, double> best;
    best[letter[0]] = p.logprob;
    for (const auto& [alt, lp] : p.alternatives)
      if (alt.size() == 1 && allowed.find(alt[0]) != std::string::npos) {
        auto [it, fresh] = best.emplace(alt[0], lp);
        if (!fresh && lp > it->second) it->second = lp;
      }
    double total = 0.0;
    for (const auto& [l, lp] : best) total += std::exp(lp);
    return total > 0 ? std::exp(best[letter[0]]) / total : std::optional<double>();
  }
  return std::nullopt;
}

}  // namespace perseval::pairwise

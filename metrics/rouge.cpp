// ROUGE-1/ROUGE-L as google-research rouge_score computes them with its default tokenizer
// and no stemmer (what HF evaluate's "rouge", and so LaMP's scorer, runs).
#include "metrics/rouge.h"

#include <algorithm>
#include <cstddef>
#include <functional>

#include "metrics/stats.h"
#include "metrics/utf8.h"

namespace perseval::metrics {
namespace {

// rouge_score's F: 2PR / (P + R) evaluated left to right as in Python, 0 when P + R == 0.
RougeScore make_score(double precision, double recall) {
  RougeScore score{precision, recall, 0.0};
  if (precision + recall > 0.0) score.fmeasure = 2 * precision * recall / (precision + recall);
  return score;
}

using Tokens = std::vector<std::string>;

// Token hashes let the hot loops compare one integer before touching string bytes.
std::vector<std::size_t> token_hashes(const Tokens& tokens) {
  std::vector<std::size_t> hashes(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    hashes[i] = std::hash<std::string>{}(tokens[i]);
  }
  return hashes;
}

// An n-gram as its start position plus a hash of its tokens.
struct Gram {
  std::size_t hash;
  std::size_t start;
};

// Every n-gram of `tokens`, sorted by (hash, token sequence). Any total order works for the
// overlap merge as long as both sides use the same one; this one rarely reads strings.
std::vector<Gram> sorted_ngrams(const Tokens& tokens, std::size_t n) {
  std::vector<Gram> grams;
  if (tokens.size() < n) return grams;
  const std::vector<std::size_t> hashes = token_hashes(tokens);
  grams.resize(tokens.size() - n + 1);
  for (std::size_t i = 0; i < grams.size(); ++i) {
    std::size_t h = 0;
    for (std::size_t k = 0; k < n; ++k) h = h * 0x100000001B3ull + hashes[i + k];
    grams[i] = {h, i};
  }
  std::sort(grams.begin(), grams.end(), [&](const Gram& a, const Gram& b) {
    if (a.hash != b.hash) return a.hash < b.hash;
    return std::lexicographical_compare(tokens.begin() + a.start, tokens.begin() + a.start + n,
                                        tokens.begin() + b.start, tokens.begin() + b.start + n);
  });
  return grams;
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// LCS length in O(min(n, m)) memory: one DP row over the shorter sequence.
std::size_t lcs_length(const Tokens& a, const Tokens& b) {
  const Tokens& shorter = a.size() <= b.size() ? a : b;
  const Tokens& longer = a.size() <= b.size() ? b : a;
  const std::vector<std::size_t> short_hashes = token_hashes(shorter);
  std::vector<std::size_t> row(shorter.size() + 1, 0);
  for (const std::string& token : longer) {
    const std::size_t hash = std::hash<std::string>{}(token);
    std::size_t diagonal = 0;  // the previous row's value one column to the left
    for (std::size_t j = 1; j <= shorter.size(); ++j) {
      const std::size_t above = row[j];
      const bool match = short_hashes[j - 1] == hash && token == shorter[j - 1];
      row[j] = match ? diagonal + 1 : std::max(above, row[j - 1]);
      diagonal = above;
    }
  }
  return row.back();
}

}  // namespace

std::vector<std::string> rouge_tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  const auto end_token = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t pos = 0; pos < text.size();) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      // A whole ASCII run at once: append it, then lower-case the appended bytes.
      std::size_t end = pos;
      while (end < text.size() && is_ascii_alnum(text[end])) ++end;
      if (end == pos) {
        ++pos;
        end_token();
        continue;
      }
      const std::size_t old_size = current.size();
      current.append(text, pos, end - pos);
      for (std::size_t i = old_size; i < current.size(); ++i) {
        char& c = current[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      pos = end;
      continue;
    }
    // Checked with CPython 3.11: these are the only code points whose lower() contains an
    // ASCII letter or digit; every other non-ASCII code point lowers to non-ASCII text,
    // which the [^a-z0-9]+ substitution turns into a separator.
    const char32_t cp = utf8::decode(text, pos);
    if (cp == 0x212A) {  // KELVIN SIGN lowers to plain "k"
      current.push_back('k');
    } else if (cp == 0x0130) {  // İ lowers to "i" + U+0307, and the combining dot separates
      current.push_back('i');
      end_token();
    } else {
      end_token();
    }
  }
  end_token();
  return tokens;
}

RougeScore rouge_n(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction, int n) {
  if (n <= 0) return {};
  const auto size = static_cast<std::size_t>(n);
  const std::vector<Gram> ref = sorted_ngrams(reference, size);
  const std::vector<Gram> pred = sorted_ngrams(prediction, size);
  // -1, 0 or 1 in the (hash, token sequence) order of sorted_ngrams.
  const auto compare = [&](const Gram& r, const Gram& p) {
    if (r.hash != p.hash) return r.hash < p.hash ? -1 : 1;
    const auto ref_begin = reference.begin() + r.start;
    const auto pred_begin = prediction.begin() + p.start;
    if (std::equal(ref_begin, ref_begin + n, pred_begin)) return 0;
    return std::lexicographical_compare(ref_begin, ref_begin + n, pred_begin, pred_begin + n)
               ? -1
               : 1;
  };
  // Merging two sorted multisets pairs each n-gram at most min(count_ref, count_pred)
  // times: exactly the clipped overlap.
  std::size_t overlap = 0;
  for (std::size_t i = 0, j = 0; i < ref.size() && j < pred.size();) {
    const int order = compare(ref[i], pred[j]);
    if (order < 0) {
      ++i;
    } else if (order > 0) {
      ++j;
    } else {
      ++overlap, ++i, ++j;
    }
  }
  const double o = static_cast<double>(overlap);
  return make_score(o / static_cast<double>(std::max<std::size_t>(pred.size(), 1)),
                    o / static_cast<double>(std::max<std::size_t>(ref.size(), 1)));
}

RougeScore rouge_l(const std::vector<std::string>& reference,
                   const std::vector<std::string>& prediction) {
  if (reference.empty() || prediction.empty()) return {};
  const double lcs = static_cast<double>(lcs_length(reference, prediction));
  return make_score(lcs / static_cast<double>(prediction.size()),
                    lcs / static_cast<double>(reference.size()));
}

double bootstrap_median(std::span<const double> values, uint64_t seed, int resamples) {
  if (values.empty() || resamples <= 0) return 0.0;
  Rng rng(seed);
  std::vector<double> sample(values.size());
  std::vector<double> means;
  means.reserve(static_cast<std::size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    for (double& v : sample) v = values[rng.below(values.size())];
    means.push_back(mean(sample));
  }
  return percentile(std::move(means), 50.0);
}

}  // namespace perseval::metrics

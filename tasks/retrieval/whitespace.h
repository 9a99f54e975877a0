// Whitespace tokenisation with Python's `str.split()` semantics, shared by BM25 (rank_bm25
// is fed `text.split()`) and by the word budgets of LaMP prompts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::retrieval {

// Python `str.split()` with no argument: splits on runs of Unicode whitespace
// (metrics::python_isspace), drops empty pieces, keeps case and punctuation. Invalid UTF-8
// bytes count as non-space characters.
std::vector<std::string> whitespace_split(std::string_view text);

// Number of pieces whitespace_split(text) would return, without allocating them.
size_t whitespace_word_count(std::string_view text);

// The prefix of `text` that ends right after its `n_words`-th word (original spacing kept,
// no trailing whitespace); the whole text when it has at most `n_words` words; "" for 0.
std::string_view whitespace_prefix(std::string_view text, size_t n_words);

}  // namespace perseval::retrieval

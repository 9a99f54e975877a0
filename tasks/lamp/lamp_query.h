// The retrieval query and corpus of a LaMP question (lamp.md §7.1, LAMP prompts/utils.py).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

// Upstream extract_strings_between_quotes: the contents of successive "..." pairs, in order
// (an unclosed final quote is dropped). A quote inside a title shifts every later string,
// exactly as upstream.
std::vector<std::string> quoted_strings(std::string_view input);

// True when `input` has what the variant's query rule needs (the marker, or at least three
// quoted strings for LaMP-1). The loader warns when it does not (lamp.md §10.6).
bool has_query_marker(const Variant& variant, std::string_view input);

// The BM25 query text for `input`. Where upstream would crash (marker absent: None.split();
// fewer than three quoted strings: IndexError) we fall back to the whole input, or to the
// reference strings that exist, so a malformed record still gets a prompt.
std::string extract_query(const Variant& variant, std::string_view input);

// LaMP-1 only: the two candidate references ([1], [2]) = quoted strings 2 and 3
// (empty strings where missing).
std::vector<std::string> citation_references(std::string_view input);

// The corpus string of one profile item: the variant's corpus fields joined by " ".
std::string corpus_string(const Variant& variant, const nlohmann::json& item);

}  // namespace perseval::lamp

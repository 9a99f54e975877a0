// Which candidate is shown as A and which as B. A pairwise item is stored as (first, second,
// gold letter in that stored order); a renderer that always shows the stored order can leak
// the label (PersonaFeedback stores `chosen` first), so the order shown is decided here and
// recorded with the sample: fixed, or one bit of hash(run seed, sample id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/core/task.h"

namespace perseval::pairwise {

// How a stored pair is shown.
enum class Arrangement {
  as_stored,  // first as A, second as B
  swapped,    // second as A, first as B
  from_seed,  // swapped or not, one bit of the sample seed (hash(run seed, sample id))
};

// "as_stored", "swapped", "from_seed"; parse returns nullopt for anything else.
std::string arrangement_name(Arrangement arrangement);
std::optional<Arrangement> parse_arrangement(std::string_view name);

// True when the pair is shown swapped. For from_seed a fixed bit of mix64(seed ^ salt), so the
// same sample gets the same order on every run with the same --seed, whatever the threads.
bool shown_swapped(Arrangement arrangement, uint64_t sample_seed);

// "A" ↔ "B"; anything else (a tie "C") unchanged.
std::string swap_letter(std::string_view letter);

// The pair as shown, with the gold letter in the shown order.
struct ShownPair {
  std::string a;
  std::string b;
  std::string gold;  // "A", "B" (or "C" for a tie)
  bool swapped = false;
};
ShownPair show_pair(const std::string& first, const std::string& second,
                    const std::string& stored_gold, bool swapped);

// Sample ids of the second order when both orders are asked: "<id>#swapped".
inline constexpr std::string_view kSwappedSuffix = "#swapped";

// The item id a sample belongs to (the id without kSwappedSuffix).
std::string pair_item_id(std::string_view sample_id);

// Sends `sample` to `sink` once with `single` stored in input["arrangement"], or, with
// `both_orders`, twice: as stored under its id and swapped under id + kSwappedSuffix, each
// with slices["order"] = "stored" / "swapped". The runner sends one model request per
// sample, so two samples are how both orders reach the model (each cached and resumed on its
// own); aggregate_pairwise pairs them again by pair_item_id. Returns the sink's answer.
bool emit_orders(Sample&& sample, Arrangement single, bool both_orders, const SampleSink& sink);

// input["arrangement"] of a sample (as_stored when absent or unknown).
Arrangement arrangement_of(const Sample& sample);

}  // namespace perseval::pairwise

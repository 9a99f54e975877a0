#include "tasks/pairwise/pair_layout.h"

#include "harness/core/hash.h"

namespace perseval::pairwise {

std::string arrangement_name(Arrangement arrangement) {
  switch (arrangement) {
    case Arrangement::as_stored: return "as_stored";
    case Arrangement::swapped: return "swapped";
    case Arrangement::from_seed: return "from_seed";
  }
  return "as_stored";
}

std::optional<Arrangement> parse_arrangement(std::string_view name) {
  if (name == "as_stored") return Arrangement::as_stored;
  if (name == "swapped") return Arrangement::swapped;
  if (name == "from_seed") return Arrangement::from_seed;
  return std::nullopt;
}

bool shown_swapped(Arrangement arrangement, uint64_t sample_seed) {
  switch (arrangement) {
    case Arrangement::as_stored: return false;
    case Arrangement::swapped: return true;
    case Arrangement::from_seed:
      // A salt keeps this bit independent of other uses of the same sample seed (e.g. the
      // random baseline's draw).
      return (mix64(sample_seed ^ 0x706f736974696f6eULL) >> 17) & 1;
  }
  return false;
}

std::string swap_letter(std::string_view letter) {
  if (letter == "A") return "B";
  if (letter == "B") return "A";
  return std::string(letter);
}

ShownPair show_pair(const std::string& first, const std::string& second,
                    const std::string& stored_gold, bool swapped) {
  if (!swapped) return {first, second, stored_gold, false};
  return {second, first, swap_letter(stored_gold), true};
}

std::string pair_item_id(std::string_view sample_id) {
  if (sample_id.size() >= kSwappedSuffix.size() &&
      sample_id.substr(sample_id.size() - kSwappedSuffix.size()) == kSwappedSuffix)
    sample_id.remove_suffix(kSwappedSuffix.size());
  return std::string(sample_id);
}

bool emit_orders(Sample&& sample, Arrangement single, bool both_orders, const SampleSink& sink) {
  if (!both_orders) {
    sample.input["arrangement"] = arrangement_name(single);
    return sink(std::move(sample));
  }
  Sample swapped = sample;
  sample.input["arrangement"] = arrangement_name(Arrangement::as_stored);
  sample.slices["order"] = "stored";
  swapped.id += kSwappedSuffix;
  swapped.input["arrangement"] = arrangement_name(Arrangement::swapped);
  swapped.slices["order"] = "swapped";
  if (!sink(std::move(sample))) return false;
  return sink(std::move(swapped));
}

Arrangement arrangement_of(const Sample& sample) {
  if (!sample.input.is_object()) return Arrangement::as_stored;
  const auto it = sample.input.find("arrangement");
  if (it == sample.input.end() || !it->is_string()) return Arrangement::as_stored;
  return parse_arrangement(it->get<std::string>()).value_or(Arrangement::as_stored);
}

}  // namespace perseval::pairwise

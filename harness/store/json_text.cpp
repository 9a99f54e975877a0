#include "harness/store/json_text.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace perseval {
namespace {

// Rewrites non-finite numbers as strings, at any depth (scores are flat today, but a
// nested value must not silently become null either).
void encode_non_finite(json& value) {
  if (value.is_number_float()) {
    double number = value.get<double>();
    if (std::isnan(number)) value = "nan";
    else if (std::isinf(number)) value = number > 0 ? "inf" : "-inf";
    return;
  }
  if (value.is_structured()) {
    for (json& child : value) encode_non_finite(child);
  }
}

void decode_non_finite(json& value) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "nan") value = std::numeric_limits<double>::quiet_NaN();
    else if (text == "inf") value = std::numeric_limits<double>::infinity();
    else if (text == "-inf") value = -std::numeric_limits<double>::infinity();
    return;
  }
  if (value.is_structured()) {
    for (json& child : value) decode_non_finite(child);
  }
}

}  // namespace

std::string to_json_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json from_json_text(std::string_view text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw std::runtime_error(what + ": stored JSON is invalid: " + e.what());
  }
}

std::string scores_to_json_text(const json& scores) {
  json copy = scores;
  encode_non_finite(copy);
  return to_json_text(copy);
}

json scores_from_json_text(std::string_view text, const std::string& what) {
  json scores = from_json_text(text, what);
  decode_non_finite(scores);
  return scores;
}

}  // namespace perseval

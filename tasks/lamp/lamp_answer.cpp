#include "tasks/lamp/lamp_answer.h"

#include <cstdlib>
#include <utility>

#include "metrics/classification.h"
#include "metrics/python_text.h"

namespace perseval::lamp {

int official_label_id(const Variant& variant, std::string_view completion) {
  return metrics::label_index(variant.labels, completion);
}

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Removes one pair of matching surrounding quotes; returns whether it did.
bool strip_quotes(std::string& s) {
  static const std::pair<std::string_view, std::string_view> kPairs[] = {
      {"\"", "\""}, {"'", "'"}, {"`", "`"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"},
      {"\xE2\x80\x98", "\xE2\x80\x99"}};
  for (const auto& [open, close] : kPairs) {
    if (s.size() >= open.size() + close.size() && starts_with(s, open) && ends_with(s, close)) {
      s = s.substr(open.size(), s.size() - open.size() - close.size());
      return true;
    }
  }
  return false;
}

}  // namespace

std::string lenient_answer_text(std::string_view completion) {
  std::string text = metrics::python_strip(completion);
  const size_t eol = text.find_first_of("\r\n");
  if (eol != std::string::npos) text = text.substr(0, eol);
  while (true) {
    const std::string before = text;
    text = metrics::python_strip(text);
    if (text.size() >= 7 && iequals_ascii(std::string_view(text).substr(0, 7), "answer:"))
      text = metrics::python_strip(std::string_view(text).substr(7));
    strip_quotes(text);
    text = metrics::python_strip(text);
    if (ends_with(text, ".")) text.pop_back();
    if (text == before) return text;
  }
}

int lenient_label_id(const Variant& variant, std::string_view completion) {
  std::string text = lenient_answer_text(completion);
  if (variant.kind == OutputKind::label && variant.labels.size() == 2 &&
      variant.labels[0] == "[1]") {
    if (text == "1") text = "[1]";
    if (text == "2") text = "[2]";
  }
  const int exact = metrics::label_index(variant.labels, text);
  if (exact >= 0) return exact;
  for (size_t i = 0; i < variant.labels.size(); ++i)
    if (iequals_ascii(variant.labels[i], text)) return static_cast<int>(i);
  return -1;
}

std::optional<double> official_rating(std::string_view completion) {
  return metrics::python_float(metrics::python_strip(completion));
}

std::optional<double> lenient_rating(std::string_view completion) {
  size_t i = 0;
  while (i < completion.size()) {
    if (completion[i] < '0' || completion[i] > '9') {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < completion.size() && completion[i] >= '0' && completion[i] <= '9') ++i;
    if (i + 1 < completion.size() && completion[i] == '.' && completion[i + 1] >= '0' &&
        completion[i + 1] <= '9') {
      ++i;
      while (i < completion.size() && completion[i] >= '0' && completion[i] <= '9') ++i;
    }
    const std::string number(completion.substr(start, i - start));
    const double value = std::strtod(number.c_str(), nullptr);
    if (value >= 1.0 && value <= 5.0) return value;
  }
  return std::nullopt;
}

}  // namespace perseval::lamp

#include "tasks/personabench/python_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "metrics/unicode_text.h"
#include "metrics/utf8.h"

namespace perseval::personabench {
namespace {

namespace utf8 = metrics::utf8;

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*x", digits, value);
  out += prefix;
  out += buf;
}

void append_json_string(std::string& out, const std::string& text) {
  out.push_back('"');
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = utf8::decode(text, pos);
    switch (cp) {
      case U'"': out += "\\\""; continue;
      case U'\\': out += "\\\\"; continue;
      case U'\n': out += "\\n"; continue;
      case U'\r': out += "\\r"; continue;
      case U'\t': out += "\\t"; continue;
      case U'\b': out += "\\b"; continue;
      case U'\f': out += "\\f"; continue;
      default: break;
    }
    if (cp >= 0x20 && cp <= 0x7E) {
      out.push_back(static_cast<char>(cp));
    } else if (cp == utf8::kInvalidCodePoint) {
      append_hex(out, "\\u", 0xFFFD, 4);  // unreachable for parsed JSON, which is valid UTF-8
    } else if (cp > 0xFFFF) {
      const char32_t v = cp - 0x10000;
      append_hex(out, "\\u", 0xD800 + (v >> 10), 4);
      append_hex(out, "\\u", 0xDC00 + (v & 0x3FF), 4);
    } else {
      append_hex(out, "\\u", cp, 4);
    }
  }
  out.push_back('"');
}

void append_dumps(std::string& out, const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out.push_back(':');
        append_dumps(out, item);
      }
      out.push_back('}');
      return;
    }
    case ordered_json::value_t::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i) out.push_back(',');
        append_dumps(out, value[i]);
      }
      out.push_back(']');
      return;
    }
    case ordered_json::value_t::string:
      append_json_string(out, value.get_ref<const std::string&>());
      return;
    case ordered_json::value_t::number_float: {
      // json.dumps spells the non-finite floats as JavaScript does.
      const double d = value.get<double>();
      if (std::isnan(d)) out += "NaN";
      else if (std::isinf(d)) out += d > 0 ? "Infinity" : "-Infinity";
      else out += python_float_repr(d);
      return;
    }
    case ordered_json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case ordered_json::value_t::null: out += "null"; return;
    default: out += value.dump(); return;  // integers: plain decimal, as Python's int
  }
}

void append_repr(std::string& out, const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += python_repr_string(key);
        out += ": ";
        append_repr(out, item);
      }
      out.push_back('}');
      return;
    }
    case ordered_json::value_t::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i) out += ", ";
        append_repr(out, value[i]);
      }
      out.push_back(']');
      return;
    }
    case ordered_json::value_t::string: out += python_repr_string(value.get_ref<const std::string&>()); return;
    case ordered_json::value_t::number_float: out += python_float_repr(value.get<double>()); return;
    case ordered_json::value_t::boolean: out += value.get<bool>() ? "True" : "False"; return;
    case ordered_json::value_t::null: out += "None"; return;
    default: out += value.dump(); return;
  }
}

}  // namespace

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form, then laid out as Python's repr does.
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, result.ptr);
  std::string out;
  if (sci[0] == '-') {
    out.push_back('-');
    sci.erase(0, 1);
  }
  const std::size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  const int exponent = std::atoi(sci.c_str() + e + 1);
  const int decpt = exponent + 1;  // value = 0.DIGITS × 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
      out += digits + std::string(static_cast<std::size_t>(decpt) - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
             digits.substr(static_cast<std::size_t>(decpt));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exp_buf;
}

std::string python_repr_string(std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t begin = pos;
    const char32_t cp = utf8::decode(text, pos);
    if (cp == static_cast<char32_t>(quote) || cp == U'\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (cp == utf8::kInvalidCodePoint) {
      append_hex(out, "\\x", static_cast<unsigned char>(text[begin]), 2);
    } else if (cp < 0x20 || cp == 0x7F) {
      append_hex(out, "\\x", cp, 2);
    } else if (cp < 0x7F || metrics::python_isprintable(cp)) {
      out.append(text.substr(begin, pos - begin));
    } else if (cp <= 0xFF) {
      append_hex(out, "\\x", cp, 2);
    } else if (cp <= 0xFFFF) {
      append_hex(out, "\\u", cp, 4);
    } else {
      append_hex(out, "\\U", cp, 8);
    }
  }
  out.push_back(quote);
  return out;
}

std::string python_repr(const ordered_json& value) {
  std::string out;
  append_repr(out, value);
  return out;
}

std::string python_str(const ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : python_repr(value);
}

std::string python_json_dumps_compact(const ordered_json& value) {
  std::string out;
  append_dumps(out, value);
  return out;
}

std::string numpy_str_array(const std::vector<std::string>& items) {
  // NumPy's _formatArray for one axis with line width 75: an item goes on a new line (indented
  // by one space) when the current line plus the item would pass 74 columns (75 minus room for
  // "]"), but never when the line holds nothing yet. Widths are Python len(), in code points.
  constexpr std::size_t kElementWidth = 74;
  const std::string indent = " ";
  const auto width = [](std::string_view text) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < text.size(); ++n) utf8::decode(text, pos);
    return n;
  };
  std::string s;
  std::string line = indent;
  std::size_t line_width = indent.size();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string word = python_repr_string(items[i]);
    const std::size_t word_width = width(word);
    if (line_width > indent.size() && line_width + word_width > kElementWidth) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      s += line + "\n";
      line = indent;
      line_width = indent.size();
    }
    line += word;
    line_width += word_width;
    if (i + 1 < items.size()) {
      line += " ";
      ++line_width;
    }
  }
  s += line;
  return "[" + s.substr(indent.size()) + "]";
}

}  // namespace perseval::personabench

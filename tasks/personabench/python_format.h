// Python's text forms of JSON values, as PersonaBench's official pipeline produces them:
// str()/repr() (the scorer's str(item) of answer items), json.dumps with compact separators
// (the chunks), and str() of a NumPy array of strings (the prompt's {doc}).
// Values are nlohmann::ordered_json so that object keys keep their file order, as Python's
// json.load does. All functions are pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perseval::personabench {

using ordered_json = nlohmann::ordered_json;

// repr(float): the shortest round-tripping digits, positional when the decimal exponent is in
// [-4, 16), otherwise d.ddde±XX ("1e-05", "1e+16", "0.0001", "1000000000000000.0");
// "nan", "inf", "-inf".
std::string python_float_repr(double value);

// repr(str) of UTF-8 text: single quotes unless the text holds ' and no "; backslash and the
// chosen quote escaped; \t \n \r; other non-printable code points (str.isprintable()) as
// \xNN, \uNNNN or \UNNNNNNNN; printable non-ASCII kept as is.
std::string python_repr_string(std::string_view text);

// repr() of a JSON-decoded value: strings as python_repr_string, True/False/None, ints,
// floats as python_float_repr, lists "[a, b]", dicts "{'k': v}" in key order.
std::string python_repr(const ordered_json& value);

// str() of a JSON-decoded value: a string is itself; everything else is its repr().
std::string python_str(const ordered_json& value);

// json.dumps(value, separators=(",", ":")) with Python's other defaults: ensure_ascii
// (every code point outside U+0020..U+007E as \uXXXX with lower-case hex, surrogate pairs
// above U+FFFF, except \" \\ \n \r \t \b \f), keys in order, floats as repr(), NaN and
// Infinity spelled as Python does.
std::string python_json_dumps_compact(const ordered_json& value);

// str(numpy.array(items)) for a 1-D array of str with NumPy's default print options
// (line width 75, separator " "): "[" + repr(item) joined by " " or, when the next item
// would pass the line width, by "\n " + "]". Long items therefore sit one per line.
// An empty list gives "[]". Assumes fewer than 1000 items (NumPy summarises beyond that).
std::string numpy_str_array(const std::vector<std::string>& items);

}  // namespace perseval::personabench

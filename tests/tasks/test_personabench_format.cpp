// Python text forms used by PersonaBench (tasks/personabench/python_format.h). Expected
// strings were printed by CPython 3.11 (repr(), json.dumps(..., separators=(",", ":"))).
#include <catch2/catch.hpp>

#include "tasks/personabench/documents.h"
#include "tasks/personabench/prompt.h"
#include "tasks/personabench/python_format.h"

namespace pb = perseval::personabench;
using pb::ordered_json;

TEST_CASE("personabench format: repr(float) as CPython", "[personabench]") {
  CHECK(pb::python_float_repr(1e16) == "1e+16");
  CHECK(pb::python_float_repr(1e15) == "1000000000000000.0");
  CHECK(pb::python_float_repr(0.0001) == "0.0001");
  CHECK(pb::python_float_repr(1e-05) == "1e-05");
  CHECK(pb::python_float_repr(3.5) == "3.5");
  CHECK(pb::python_float_repr(-0.0) == "-0.0");
  CHECK(pb::python_float_repr(0.1) == "0.1");
  CHECK(pb::python_float_repr(100.0) == "100.0");
  CHECK(pb::python_float_repr(123456789.123) == "123456789.123");
  CHECK(pb::python_float_repr(2.5e-7) == "2.5e-07");
  CHECK(pb::python_float_repr(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(pb::python_float_repr(5e-324) == "5e-324");
  CHECK(pb::python_float_repr(1234567890123456.7) == "1234567890123456.8");
}

TEST_CASE("personabench format: repr(str) quoting and escapes", "[personabench]") {
  CHECK(pb::python_repr_string("a'b") == "\"a'b\"");
  CHECK(pb::python_repr_string("a'b\"") == "'a\\'b\"'");
  CHECK(pb::python_repr_string("x\\y") == "'x\\\\y'");
  CHECK(pb::python_repr_string("\n\t\r") == "'\\n\\t\\r'");
  CHECK(pb::python_repr_string("\x01\x7f") == "'\\x01\\x7f'");
  CHECK(pb::python_repr_string("é") == "'é'");
  CHECK(pb::python_repr_string("\u00a0") == "'\\xa0'");
  CHECK(pb::python_repr_string("\u0085") == "'\\x85'");
  CHECK(pb::python_repr_string("\u200b") == "'\\u200b'");
  CHECK(pb::python_repr_string("\U000E0001") == "'\\U000e0001'");
  CHECK(pb::python_repr_string("😀") == "'😀'");
}

TEST_CASE("personabench format: str() of answer items", "[personabench]") {
  CHECK(pb::python_str(ordered_json::parse(R"({"Height": "5'6\""})")) == "{'Height': '5\\'6\"'}");
  CHECK(pb::python_str(ordered_json::parse(R"(["a", 1, 2.5, true, null, {"k": [1]}])")) ==
        "['a', 1, 2.5, True, None, {'k': [1]}]");
  CHECK(pb::python_str(ordered_json("plain text")) == "plain text");
  CHECK(pb::python_str(ordered_json(39)) == "39");
  // Key order is the file's, as json.load keeps it.
  CHECK(pb::python_str(ordered_json::parse(R"({"z": 1, "a": 2})")) == "{'z': 1, 'a': 2}");
}

TEST_CASE("personabench format: json.dumps compact with ensure_ascii", "[personabench]") {
  const auto value = ordered_json::parse(
      "{\"b\":1,\"a\":\"\u00e9\U0001F600\\n\\\"\\\\/\\u0007\\u007f\",\"c\":[1.0,true,null,1e16,-0.0,"
      "12345678901234567890]}");
  CHECK(pb::python_json_dumps_compact(value) ==
        "{\"b\":1,\"a\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\/\\u0007\\u007f\",\"c\":[1.0,true,null,1e+16,"
        "-0.0,12345678901234567890]}");
}

TEST_CASE("personabench format: str(numpy.array(chunks))", "[personabench]") {
  CHECK(pb::numpy_str_array({}) == "[]");
  CHECK(pb::numpy_str_array({"a", "bb"}) == "['a' 'bb']");
  CHECK(pb::numpy_str_array({std::string(30, 'x'), std::string(30, 'y'), std::string(30, 'z'), "wwwww"}) ==
        "['" + std::string(30, 'x') + "' '" + std::string(30, 'y') + "'\n '" + std::string(30, 'z') +
            "' 'wwwww']");
  // Widths count code points, not bytes: two 42-character items still wrap.
  std::string e, u;
  for (int i = 0; i < 40; ++i) e += "é", u += "ü";
  CHECK(pb::numpy_str_array({e, u}) == "['" + e + "'\n '" + u + "']");
  // Chunks hold '"' and maybe '\'': repr keeps single quotes and doubles the backslashes.
  CHECK(pb::numpy_str_array({R"({"a":"it's \"x\""})"}) == R"(['{"a":"it\'s \\"x\\""}'])");
}

TEST_CASE("personabench chunk: segment_id and session removed at every depth", "[personabench]") {
  const auto session = ordered_json::parse(R"({"session": "conversation---session---1",
      "time": "2024/Oct/14/09:14 AM", "target_name": "Émile",
      "conversation": [{"role": "Nora", "content": "Caf\u00e9 at 9?", "segment_id": "x"}],
      "segment_id": "000000000001"})");
  CHECK(pb::chunk_text(session) ==
        R"({"time":"2024/Oct/14/09:14 AM","target_name":"\u00c9mile","conversation":[{"role":"Nora","content":"Caf\u00e9 at 9?"}]})");
}

TEST_CASE("personabench prompt: the official template around the NumPy str", "[personabench]") {
  const std::string prompt = pb::build_prompt({"c1", "c2"}, "Where did I go to school?", pb::PromptMode::official);
  CHECK(prompt ==
        "You are provided with the following relevant information: ['c1' 'c2'].\nAnswer the question "
        "below as directly and concisely as possible, using only the name(s) of the relevant entity "
        "or entities. Avoid adding any extra words or explanations.\n\nQuestion: Where did I go to school?");
  const std::string plain = pb::build_prompt({"c1", "c2"}, "Q?", pb::PromptMode::plain);
  CHECK(plain.rfind("You are provided with the following relevant information: c1\n\nc2.\nAnswer", 0) == 0);
}

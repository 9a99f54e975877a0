// The shared-contexts JSONL: the id → offset index, bounded single-line reads with a small
// cache, malformed lines, and which messages a question sees (history selection, budget).
#include <catch2/catch.hpp>

#include "harness/core/errors.h"
#include "tasks/personamem/context_file.h"
#include "tasks/personamem/history.h"
#include "tests/tasks/personamem_test_support.h"

using namespace perseval;
using namespace perseval::personamem;
using namespace perseval::personamem_test;

namespace {

std::string open_error(const std::string& path) {
  try {
    ContextFile file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

json messages(std::initializer_list<std::pair<const char*, const char*>> items) {
  json list = json::array();
  for (const auto& [role, content] : items) list.push_back({{"role", role}, {"content", content}});
  return list;
}

}  // namespace

TEST_CASE("contexts: the index records each line's offset and length", "[personamem][contexts]") {
  TempDir dir;
  const std::string first = context_line("aaa", synthetic_conversation("A", 3));
  const std::string second = context_line("b\"b", synthetic_conversation("B", 5));  // escaped id
  const std::string third = "{ \"ccc\" :[]}";  // spaces, no final newline
  const auto path = dir.write("c.jsonl", first + "\n" + second + third);
  ContextFile file(path);
  CHECK(file.size() == 3);
  CHECK(file.file_bytes() == first.size() + 1 + second.size() + third.size());
  const ContextLine* a = file.find("aaa");
  REQUIRE(a);
  CHECK(a->offset == 0);
  CHECK(a->length == first.size() - 1);
  CHECK(a->line == 1);
  const ContextLine* b = file.find("b\"b");
  REQUIRE(b);
  CHECK(b->offset == first.size() + 1);  // after the blank line
  CHECK(b->line == 3);
  const ContextLine* c = file.find("ccc");
  REQUIRE(c);
  CHECK(c->length == third.size());
  CHECK(c->line == 4);
  CHECK_FALSE(file.contains("ddd"));
  CHECK(file.lines_read() == 0);  // indexing parses no conversation
}

TEST_CASE("contexts: a question reads only its own line, and a few stay cached",
          "[personamem][contexts]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 6; ++i)
    text +=
        context_line("id" + std::to_string(i), synthetic_conversation(std::to_string(i), 40 + i));
  const auto path = dir.write("c.jsonl", text);
  ContextFile file(path, 2);
  const auto three = file.messages("id3");
  CHECK(three->size() == 43);
  CHECK((*three)[0]["role"] == "system");
  CHECK(file.lines_read() == 1);
  CHECK(file.bytes_read() == file.find("id3")->length);  // exactly one line from disk
  file.messages("id3");
  CHECK(file.lines_read() == 1);  // cached
  file.messages("id1");
  file.messages("id3");  // still cached (capacity 2), now most recent
  CHECK(file.lines_read() == 2);
  file.messages("id5");  // evicts id1
  file.messages("id1");
  CHECK(file.lines_read() == 4);
  CHECK(three->size() == 43);  // a returned conversation outlives its eviction
  CHECK(file.bytes_read() < file.file_bytes());
}

TEST_CASE("contexts: a repeated id keeps its last line and is counted", "[personamem][contexts]") {
  TempDir dir;
  const auto path = dir.write("c.jsonl", context_line("x", synthetic_conversation("old", 2)) +
                                             context_line("x", synthetic_conversation("new", 4)));
  ContextFile file(path);
  CHECK(file.size() == 1);
  CHECK(file.duplicate_ids() == 1);
  CHECK(file.messages("x")->size() == 4);
}

TEST_CASE("contexts: malformed files name the file, the line and the field",
          "[personamem][contexts]") {
  TempDir dir;
  CHECK_THAT(open_error(dir.file("missing.jsonl")),
             Catch::Contains("missing.jsonl: cannot be read"));
  CHECK_THAT(open_error(dir.write("a.jsonl", "{\"x\": []}\n[1, 2]\n")),
             Catch::Contains("a.jsonl:2: expected a line {\"<shared_context_id>\": [messages]}"));
  CHECK_THAT(open_error(dir.write("b.jsonl", "{\"x\" []}\n")),
             Catch::Contains("b.jsonl:1: expected"));
  CHECK_THAT(open_error(dir.write("c.jsonl", "{\"" + std::string(5000, 'x') + "\": []}\n")),
             Catch::Contains("c.jsonl:1: the context id does not end within the first 4096 bytes"));

  auto read_error = [&](const std::string& name, const std::string& text, const std::string& id) {
    ContextFile file(dir.write(name, text));
    try {
      file.messages(id);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(read_error("d.jsonl", "{\"x\": [}\n", "x"),
             Catch::Contains("d.jsonl:1: invalid JSON at byte"));
  CHECK_THAT(read_error("e.jsonl", "{\"x\": [], \"y\": []}\n", "x"),
             Catch::Contains("e.jsonl:1: expected an object with exactly one key"));
  CHECK_THAT(
      read_error("f.jsonl", "\n{\"x\": [{\"role\": \"user\", \"content\": 3}]}\n", "x"),
      Catch::Contains("f.jsonl:2: field messages[0].content: expected a string, found number"));
  CHECK_THAT(read_error("g.jsonl", "{\"x\": [{\"content\": \"hi\"}]}\n", "x"),
             Catch::Contains("g.jsonl:1: field messages[0].role: missing"));
  CHECK_THAT(read_error("h.jsonl", "{\"x\": {}}\n", "x"),
             Catch::Contains("h.jsonl:1: field x: expected an array of messages, found object"));
  CHECK_THAT(read_error("i.jsonl", "{\"x\": []}\n", "nope"),
             Catch::Contains("no context with id nope"));
}

TEST_CASE("history: messages[:end_index], none, and a character budget", "[personamem][contexts]") {
  const json conv = messages({{"system", "persona"},
                              {"user", "hello"},
                              {"assistant", "h\xC3\xA9llo"},
                              {"user", "four"},
                              {"assistant", "12345"}});
  CHECK(select_history(conv, 3, ContextMode::full, 0) == json::array({conv[0], conv[1], conv[2]}));
  CHECK(select_history(conv, 0, ContextMode::full, 0).empty());
  CHECK(select_history(conv, 99, ContextMode::full, 0) == conv);  // Python slicing clamps
  CHECK(select_history(conv, 5, ContextMode::none, 0).empty());
  // Budget in code points: "12345" (5) + "four" (4) fit in 9, "héllo" (5) does not.
  CHECK(select_history(conv, 5, ContextMode::full, 9) == json::array({conv[3], conv[4]}));
  CHECK(select_history(conv, 5, ContextMode::full, 14) == json::array({conv[2], conv[3], conv[4]}));
  // The newest message alone is over budget: no history (messages are never split).
  CHECK(select_history(conv, 5, ContextMode::full, 4).empty());
  // The walk stops at the first message that does not fit, even if older ones would.
  const json gap = messages({{"user", "a"}, {"assistant", "toolong"}, {"user", "b"}});
  CHECK(select_history(gap, 3, ContextMode::full, 3) == json::array({gap[2]}));
  CHECK(count_characters("h\xC3\xA9llo \xF0\x9F\x98\x80") == 7);
}

// nlohmann reports a number beyond double's range (1e999) as out_of_range.406, not as a
// parse_error; it escaped the loaders as an undocumented exception (found by fuzzing).
TEST_CASE("contexts: a number out of range is invalid JSON, not a crash", "[personamem][contexts][fuzz]") {
  TempDir dir;
  ContextFile file(dir.write("big.jsonl", "{\"x\": [{\"role\": \"user\", \"content\": \"a\", \"n\": 1e999}]}\n"));
  try {
    file.messages("x");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("big.jsonl:1: invalid JSON: ") && Catch::Contains("number overflow"));
  }
}

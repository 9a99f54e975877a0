// The exec adapter's pure pieces: command splitting, parameters, identity, the JSON-lines
// protocol and line splitting. No subprocess is started except for the start-failure case.
#include <catch2/catch.hpp>

#include "adapters/exec/child_process.h"
#include "adapters/exec/command_line.h"
#include "adapters/exec/exec_options.h"
#include "adapters/exec/exec_protocol.h"
#include "adapters/registry.h"
#include "harness/core/errors.h"

#include <sys/wait.h>

using namespace perseval;

namespace {
using Words = std::vector<std::string>;
}  // namespace

TEST_CASE("exec: commands split like a shell's plain words and simple quotes", "[exec]") {
  CHECK(split_command_line("python3 serve.py --ckpt X") == Words{"python3", "serve.py", "--ckpt", "X"});
  CHECK(split_command_line("  a \t b  ") == Words{"a", "b"});
  CHECK(split_command_line("run 'a b' \"c d\"") == Words{"run", "a b", "c d"});
  CHECK(split_command_line("--name='x y'z") == Words{"--name=x yz"});
  CHECK(split_command_line("a '' b") == Words{"a", "", "b"});
  CHECK(split_command_line(R"(a "q\"q\\ \n$" 'it\s')") == Words{"a", R"(q"q\ \n$)", R"(it\s)"});
  CHECK(split_command_line(R"(a\ b c\'d)") == Words{"a b", "c'd"});
  // No shell: variables, globs, pipes and redirections are ordinary characters.
  CHECK(split_command_line("echo $HOME * | > x") == Words{"echo", "$HOME", "*", "|", ">", "x"});
  CHECK_THROWS_AS(split_command_line("a 'b"), std::invalid_argument);
  CHECK_THROWS_AS(split_command_line("a \"b"), std::invalid_argument);
  CHECK_THROWS_AS(split_command_line("   "), std::invalid_argument);
}

TEST_CASE("exec: parameters, defaults, canonical name and identity", "[exec]") {
  const ExecOptions o = parse_exec_options(Spec::parse("exec:cmd=python3 serve.py --ckpt X,concurrency=8"));
  CHECK(o.argv == Words{"python3", "serve.py", "--ckpt", "X"});
  CHECK(o.concurrency == 8);
  CHECK(o.timeout_s == 600.0);
  CHECK(o.max_restarts == 3);
  CHECK_FALSE(o.shell);
  CHECK(o.name == "python3 serve.py --ckpt X");
  // Timing-only parameters stay out of the name, so changing them still resumes a run.
  CHECK(o.canonical_spec == "exec:cmd=python3 serve.py --ckpt X,shell=0");
  const ModelInfo info = exec_model_info(o);
  CHECK(info.backend == "exec");
  CHECK(info.name == o.canonical_spec);
  CHECK(info.concurrency == 8);
  CHECK(info.identity == json{{"cmd", o.argv}, {"name", o.name}, {"shell", false}});

  const ExecOptions s = parse_exec_options(
      Spec::parse("exec:cmd=python3 s.py $X,shell=1,name=ckpt-7,cwd=/tmp,timeout_s=2.5,max_restarts=0"));
  CHECK(s.argv == Words{"/bin/sh", "-c", "python3 s.py $X"});
  CHECK(s.timeout_s == 2.5);
  CHECK(s.max_restarts == 0);
  CHECK(s.canonical_spec == "exec:cmd=python3 s.py $X,cwd=/tmp,name=ckpt-7,shell=1");
  CHECK(exec_model_info(s).identity ==
        json{{"cmd", s.argv}, {"name", "ckpt-7"}, {"shell", true}, {"cwd", "/tmp"}});
}

TEST_CASE("exec: bad parameters are input errors naming the problem", "[exec]") {
  auto problem = [](const std::string& spec) {
    try {
      parse_exec_options(Spec::parse(spec));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(problem("exec:concurrency=2"), Catch::Contains("'cmd' is required"));
  CHECK_THAT(problem("exec:cmd=  "), Catch::Contains("'cmd' is required"));
  CHECK_THAT(problem("exec:cmd=a,temperature=0"), Catch::Contains("unknown parameter 'temperature'"));
  CHECK_THAT(problem("exec:cmd=a,concurrency=0"), Catch::Contains("concurrency must be in [1, 4096]"));
  CHECK_THAT(problem("exec:cmd=a,concurrency=x"), Catch::Contains("must be an integer"));
  CHECK_THAT(problem("exec:cmd=a,shell=yes"), Catch::Contains("shell must be 0 or 1"));
  CHECK_THAT(problem("exec:cmd=a,timeout_s=0"), Catch::Contains("timeout_s must be a positive"));
  CHECK_THAT(problem("exec:cmd=a,max_restarts=-1"), Catch::Contains("max_restarts must be in"));
  CHECK_THAT(problem("exec:cmd=a,cwd=/no/such/dir"), Catch::Contains("is not a directory"));
  CHECK_THAT(problem("exec:cmd=a 'b"), Catch::Contains("unterminated single quote"));
  CHECK_THAT(problem("exec:cmd=a,name="), Catch::Contains("name must not be empty"));
  // A comma ends the cmd: what follows is read as a parameter.
  CHECK_THROWS_AS(Spec::parse("exec:cmd=python3 s.py --ids 1,2"), std::invalid_argument);
  CHECK_THAT(problem("exec:cmd=python3 s.py --x 1,--y=2"), Catch::Contains("cannot contain a comma"));
}

TEST_CASE("exec: the registry knows exec, a program that cannot start is an input error", "[exec]") {
  bool listed = false;
  for (const auto& line : known_model_descriptions()) listed = listed || line.rfind("exec:", 0) == 0;
  CHECK(listed);
  try {
    make_model(Spec::parse("exec:cmd=perseval-no-such-program --x"));
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("cannot start 'perseval-no-such-program'") &&
                             Catch::Contains("No such file or directory"));
  }
}

TEST_CASE("exec: a request is one JSON line with id, sample id, messages and gen", "[exec]") {
  Request r;
  r.messages = {{"system", "be brief"}, {"user", "line one\nline two \"quoted\""}};
  r.sample_id = "s-1";
  r.gen.max_tokens = 32;
  r.gen.stop = {"\n\n"};
  std::string line = encode_request_line("7", r);
  REQUIRE(line.back() == '\n');
  line.pop_back();
  CHECK(line.find('\n') == std::string::npos);
  const json j = json::parse(line);
  CHECK(j["id"] == "7");
  CHECK(j["sample_id"] == "s-1");
  CHECK(j["messages"] == json::array({{{"role", "system"}, {"content", "be brief"}},
                                      {{"role", "user"}, {"content", "line one\nline two \"quoted\""}}}));
  CHECK(j["gen"] == json{{"max_tokens", 32}, {"temperature", 0.0}, {"stop", {"\n\n"}},
                         {"logprobs", false}, {"top_logprobs", 0}});
  r.gen.seed = 5;
  r.gen.top_p = 0.9;
  r.messages[1].content = std::string("bad \xff byte");
  const json k = json::parse(encode_request_line("8", r));
  CHECK(k["gen"]["seed"] == 5);
  CHECK(k["gen"]["top_p"] == 0.9);
  CHECK(k["messages"][1]["content"] == "bad \xEF\xBF\xBD byte");  // replaced, not thrown
}

TEST_CASE("exec: response lines are parsed, and malformed ones say why", "[exec]") {
  auto ok = parse_response_line(
      R"({"id": "3", "text": "hi", "usage": {"prompt_tokens": 10, "completion_tokens": 2}, "logprobs": [1]})");
  CHECK(ok.id == std::optional<std::string>("3"));
  CHECK_FALSE(ok.problem);
  CHECK(ok.completion.text == "hi");
  CHECK(ok.completion.usage.prompt_tokens == 10);
  CHECK(ok.completion.usage.completion_tokens == 2);
  CHECK(ok.completion.logprobs == json::array({1}));
  CHECK_FALSE(ok.completion.error);

  auto int_id = parse_response_line(R"({"id": 4, "text": "", "error": null})");
  CHECK(int_id.id == std::optional<std::string>("4"));
  CHECK_FALSE(int_id.problem);
  CHECK_FALSE(int_id.completion.error);

  auto refused = parse_response_line(R"({"id": "5", "error": "CUDA out of memory"})");
  CHECK_FALSE(refused.problem);
  CHECK(refused.completion.error == std::optional<std::string>("exec: server error: CUDA out of memory"));

  CHECK(parse_response_line("not json").problem == std::optional<std::string>("not JSON"));
  CHECK(parse_response_line("[1]").problem == std::optional<std::string>("not a JSON object"));
  CHECK(parse_response_line(R"({"text": "x"})").problem == std::optional<std::string>("no string \"id\""));
  auto no_text = parse_response_line(R"({"id": "6", "text": 5})");
  CHECK(no_text.id == std::optional<std::string>("6"));
  CHECK(no_text.problem == std::optional<std::string>("no string \"text\""));
}

TEST_CASE("exec: the line splitter joins chunks and bounds long lines", "[exec]") {
  std::vector<std::pair<std::string, bool>> lines;
  auto on_line = [&](std::string_view l, bool cut) { lines.emplace_back(std::string(l), cut); };
  LineSplitter splitter(8);
  splitter.feed("ab", on_line);
  splitter.feed("c\nde\n\nf", on_line);
  splitter.feed("0123456789ABC\nlast", on_line);
  splitter.finish(on_line);
  using L = std::vector<std::pair<std::string, bool>>;
  CHECK(lines == L{{"abc", false}, {"de", false}, {"", false}, {"f0123456", true}, {"last", false}});
  CHECK(shorten_for_log("a\nb", 10) == "a b");
  CHECK(shorten_for_log("abcdef", 3) == "abc...");
}

TEST_CASE("exec: wait statuses are described with the exit code or signal", "[exec]") {
  CHECK(describe_wait_status(3 << 8) == "exited with status 3");
  CHECK(describe_wait_status(9) == "was killed by signal 9 (SIGKILL)");
}

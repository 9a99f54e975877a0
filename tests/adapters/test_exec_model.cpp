// The exec adapter against real python3 subprocesses: one small test server (written into a
// temp directory) whose first argument picks a behaviour, good or faulty.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "adapters/registry.h"
#include "tests/support/temp_dir.h"

using namespace perseval;

namespace {

const char* kServer = R"PY(
import json, os, random, signal, sys, threading, time
mode, args = sys.argv[1], sys.argv[2:]
lock = threading.Lock()
state = {"count": 0, "open": 0, "most": 0}

def send(obj):
    with lock:
        sys.stdout.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        sys.stdout.flush()

def echo(req, **extra):
    content = req["messages"][-1]["content"]
    usage = {"prompt_tokens": len(content), "completion_tokens": 2}
    send(dict({"id": req["id"], "text": "echo:" + content, "usage": usage}, **extra))

def later(delay, fn, req):
    threading.Thread(target=lambda: (time.sleep(delay), fn(req)), daemon=True).start()

def report_most(req):
    with lock:
        state["open"] -= 1
        text = "max=%d" % state["most"]
    send({"id": req["id"], "text": text})

if mode == "always-crash":
    with open(args[0], "a") as f:
        f.write("start\n")
    os.kill(os.getpid(), signal.SIGKILL)
if mode == "stderr":
    print("loading checkpoint", file=sys.stderr, flush=True)
if mode == "close-stdin":  # stops reading before its first answer, then lingers
    req = json.loads(sys.stdin.readline())
    os.close(0)
    echo(req)
    time.sleep(30)
if mode == "hang":  # ignores both end of input and SIGTERM
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stdin.readline()
    time.sleep(30)

for line in sys.stdin:
    req = json.loads(line)
    with lock:
        state["count"] += 1
        state["open"] += 1
        state["most"] = max(state["most"], state["open"])
    k = int(req["sample_id"])
    if mode == "echo":  # odd samples answer >= 10 ms after the next even one
        later(random.uniform(0, 0.02) + 0.03 * (k % 2), echo, req)
    elif mode == "bound":
        later(0.02, report_most, req)
    elif mode == "errors":
        if k % 3 == 0: send({"id": req["id"], "error": "refused %d" % k})
        else: echo(req, error=None)
    elif mode == "malformed":
        r = k % 5
        if r == 0: send("this is not json"); echo(req)
        elif r == 1: send({"id": req["id"]})
        elif r == 2: send({"id": "no-such-id", "text": "x"}); echo(req)
        elif r == 3: send({"id": req["id"], "text": 5})
        else: send("[1, 2]"); send({"id": int(req["id"]), "text": "int id"})
    elif mode == "crash":  # dies on request K+1, the first time only (a marker file remembers)
        if state["count"] == int(args[1]) + 1 and not os.path.exists(args[0]):
            open(args[0], "w").close()
            os._exit(3)
        echo(req)
    elif mode == "timeout":
        later(1.5 if req["messages"][-1]["content"] == "slow" else 0, echo, req)
    elif mode == "argv":
        send({"id": req["id"], "text": json.dumps(sys.argv[2:])})
    elif mode == "stderr":
        sys.stderr.write("progress 10%\rprogress 100%\n")
        sys.stderr.flush()
        echo(req)
    elif mode == "hostile":  # terminal escape sequences on stderr and in a malformed line
        sys.stderr.write("\x1b]0;owned\x07\x1b[31mred\x1b[0m \x9b2J\n")
        sys.stderr.flush()
        send("not json \x1b[2J")
        echo(req)
)PY";

struct Answers {
  std::vector<Completion> completions;  // in submission order
  std::vector<int> arrival;             // submission indexes in callback order
};

// Submits one request per content (sample ids "0", "1", ...) and waits for every callback.
Answers ask(Model& model, const std::vector<std::string>& contents) {
  std::mutex mu;
  Answers out;
  out.completions.resize(contents.size());
  for (size_t i = 0; i < contents.size(); ++i) {
    Request r;
    r.messages = {{"user", contents[i]}};
    r.sample_id = std::to_string(i);
    model.submit(std::move(r), [&, i](Completion c) {
      std::lock_guard lock(mu);
      out.completions[i] = std::move(c);
      out.arrival.push_back(static_cast<int>(i));
    });
  }
  model.drain();
  return out;
}

std::vector<std::string> numbered(int n, const std::string& stem = "q") {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(stem + std::to_string(i));
  return v;
}

// The test server in `dir`, started as `exec:cmd=python3 SERVER MODE_AND_ARGS[,EXTRA]`.
std::unique_ptr<Model> server_model(const test::TempDir& dir, const std::string& mode_and_args,
                                    const std::string& extra = "") {
  const std::string script = dir.write("server.py", kServer);
  return make_model(Spec::parse("exec:cmd=python3 " + script + " " + mode_and_args +
                                (extra.empty() ? "" : "," + extra)));
}

// Sends this process's stderr (fd 2) to a file until text() is called.
class StderrCapture {
 public:
  explicit StderrCapture(std::string path) : path_(std::move(path)) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string text() {
    restore();
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("exec: answers arrive out of order and are matched by id, with usage", "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "echo", "concurrency=8");
  const auto contents = numbered(40);
  const Answers a = ask(*model, contents);
  for (size_t i = 0; i < contents.size(); ++i) {
    const Completion& c = a.completions[i];
    CHECK_FALSE(c.error);
    CHECK(c.text == "echo:" + contents[i]);
    CHECK(c.usage.prompt_tokens == static_cast<int64_t>(contents[i].size()));
    CHECK(c.usage.completion_tokens == 2);
    CHECK(c.attempts == 1);
    CHECK(c.latency_ms > 0);
  }
  std::vector<int> submission_order(contents.size());
  for (size_t i = 0; i < submission_order.size(); ++i) submission_order[i] = static_cast<int>(i);
  CHECK(a.arrival != submission_order);
}

TEST_CASE("exec: never more than `concurrency` requests are unanswered", "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "bound", "concurrency=3");
  CHECK(model->info().concurrency == 3);
  int most = 0;
  for (const auto& c : ask(*model, numbered(30)).completions) {
    REQUIRE_FALSE(c.error);
    most = std::max(most, std::stoi(c.text.substr(4)));
  }
  CHECK(most == 3);  // the bound was reached and never passed
}

TEST_CASE("exec: a server error fails only its request", "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "errors");
  const Answers a = ask(*model, numbered(12));
  for (int i = 0; i < 12; ++i) {
    const Completion& c = a.completions[i];
    if (i % 3 == 0) {
      CHECK(c.error == std::optional<std::string>("exec: server error: refused " + std::to_string(i)));
      CHECK(c.text.empty());
    } else {
      CHECK_FALSE(c.error);
      CHECK(c.text == "echo:q" + std::to_string(i));
    }
  }
}

TEST_CASE("exec: malformed lines are logged, identifiable requests fail, others go on", "[exec]") {
  test::TempDir dir;
  StderrCapture capture(dir.file("stderr.txt"));
  Answers a;
  {
    auto model = server_model(dir, "malformed", "name=bad");
    a = ask(*model, numbered(10));
  }
  const std::string log = capture.text();
  for (int i = 0; i < 10; ++i) {
    const Completion& c = a.completions[i];
    const std::string expected = "echo:q" + std::to_string(i);
    switch (i % 5) {
      case 0: case 2: CHECK(c.text == expected); CHECK_FALSE(c.error); break;
      case 4: CHECK(c.text == "int id"); CHECK_FALSE(c.error); break;
      default: CHECK(c.error == std::optional<std::string>("exec: malformed response: no string \"text\""));
    }
  }
  CHECK_THAT(log, Catch::Contains("[exec bad] ignored a malformed response line (not JSON): this is not json"));
  CHECK_THAT(log, Catch::Contains("[exec bad] ignored a malformed response line (not a JSON object): [1, 2]"));
  CHECK_THAT(log, Catch::Contains("[exec bad] ignored a response for unknown id \"no-such-id\""));
  CHECK_THAT(log, Catch::Contains("[exec bad] malformed response for id"));
}

TEST_CASE("exec: a crash fails the requests in flight, the server restarts, the rest succeed",
          "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "crash " + dir.file("crashed") + " 5", "concurrency=2,max_restarts=1");
  const auto contents = numbered(20);
  const Answers a = ask(*model, contents);
  int errors = 0;
  for (size_t i = 0; i < contents.size(); ++i) {
    const Completion& c = a.completions[i];
    if (c.error) {
      ++errors;
      CHECK(c.error == std::optional<std::string>("exec: subprocess exited with status 3 before answering"));
      CHECK(i >= 5);
    } else {
      CHECK(c.text == "echo:" + contents[i]);
    }
  }
  CHECK(errors >= 1);  // request 6 was in flight, and perhaps the one written after it
  CHECK(errors <= 2);
  CHECK_FALSE(a.completions.back().error);  // answered by the restarted server
}

TEST_CASE("exec: a server that always dies: bounded restarts, then immediate errors", "[exec]") {
  test::TempDir dir;
  const std::string starts = dir.file("starts.txt");
  const auto began = std::chrono::steady_clock::now();
  auto model = server_model(dir, "always-crash " + starts, "max_restarts=2");
  for (const auto& c : ask(*model, numbered(10)).completions) {
    REQUIRE(c.error);
    CHECK_THAT(*c.error, Catch::Contains("was killed by signal 9 (SIGKILL)"));
  }
  CHECK(seconds_since(began) < 4.0);
  std::ifstream in(starts);
  int count = 0;
  for (std::string line; std::getline(in, line);) ++count;
  CHECK(count == 3);  // the first start and two restarts
  // Once the budget is spent, a request fails before submit returns.
  bool called = false;
  std::optional<std::string> error;
  model->submit(Request{}, [&](Completion c) {
    called = true;
    error = c.error;
  });
  CHECK(called);
  REQUIRE(error);
  CHECK_THAT(*error, Catch::Contains("no restarts left (max_restarts=2)"));
}

TEST_CASE("exec: an unanswered request times out, the server keeps running", "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "timeout", "timeout_s=0.4");
  // The clock runs from the write, so for the first requests it includes the server's
  // start-up; a loaded test machine can take longer than 0.4 s to start python.
  for (int i = 0; i < 20 && ask(*model, {"warm-up"}).completions[0].error; ++i) {
  }
  const auto began = std::chrono::steady_clock::now();
  const Answers a = ask(*model, {"fast", "slow", "fast too"});
  CHECK(seconds_since(began) < 1.2);
  CHECK(a.completions[0].text == "echo:fast");
  CHECK(a.completions[1].error == std::optional<std::string>("exec: no answer within timeout_s=0.4"));
  CHECK(a.completions[2].text == "echo:fast too");
  const Answers again = ask(*model, {"after"});
  CHECK(again.completions[0].text == "echo:after");
}

TEST_CASE("exec: shell=0 passes words literally, shell=1 runs /bin/sh -c, cwd applies", "[exec]") {
  test::TempDir dir;
  dir.write("server.py", kServer);
  const std::string cmd = R"(python3 server.py argv $HOME 'a b' "c\"d")";
  auto literal = make_model(Spec::parse("exec:cmd=" + cmd + ",cwd=" + dir.path().string()));
  CHECK(json::parse(ask(*literal, {"x"}).completions[0].text) == json{"$HOME", "a b", "c\"d"});
  const char* home = std::getenv("HOME");
  REQUIRE(home);
  auto shell = make_model(Spec::parse("exec:cmd=" + cmd + ",shell=1,cwd=" + dir.path().string()));
  CHECK(json::parse(ask(*shell, {"x"}).completions[0].text) == json{home, "a b", "c\"d"});
}

TEST_CASE("exec: the server's stderr is forwarded line by line with a prefix", "[exec]") {
  test::TempDir dir;
  StderrCapture capture(dir.file("stderr.txt"));
  {
    auto model = server_model(dir, "stderr", "name=ckpt-a");
    CHECK(ask(*model, {"one"}).completions[0].text == "echo:one");
  }  // the destructor forwards whatever is left
  const std::string log = capture.text();
  CHECK_THAT(log, Catch::Contains("[exec ckpt-a] loading checkpoint\n"));
  // A progress bar redrawn with '\r' is forwarded as the terminal would show it.
  CHECK_THAT(log, Catch::Contains("[exec ckpt-a] progress 100%\n"));
  CHECK_THAT(log, !Catch::Contains("10%"));
}

TEST_CASE("exec: escape sequences from the server are made visible, never sent to the terminal",
          "[exec][security]") {
  test::TempDir dir;
  StderrCapture capture(dir.file("stderr.txt"));
  {
    auto model = server_model(dir, "hostile", "name=ckpt-h");
    CHECK(ask(*model, {"one"}).completions[0].text == "echo:one");
  }
  const std::string log = capture.text();
  CHECK_THAT(log, Catch::Contains("[exec ckpt-h] \\x1b]0;owned\\x07\\x1b[31mred\\x1b[0m \\u009b2J\n"));
  CHECK_THAT(log, Catch::Contains("not json \\x1b[2J"));  // the malformed line, logged
  CHECK(log.find('\x1b') == std::string::npos);
  CHECK(log.find('\x07') == std::string::npos);
  CHECK(log.find("\xc2\x9b") == std::string::npos);
}

TEST_CASE("exec: a 1 MiB request and its answer pass through the pipes", "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "echo");
  const std::string big(1 << 20, 'x');
  const Answers a = ask(*model, {big, "small"});
  CHECK(a.completions[0].text == "echo:" + big);
  CHECK(a.completions[1].text == "echo:small");
}

TEST_CASE("exec: a server that closes its stdin is stopped, SIGPIPE does not hit perseval",
          "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "close-stdin", "max_restarts=0");
  CHECK(ask(*model, {"one"}).completions[0].text == "echo:one");
  // This write meets a closed pipe: EPIPE for the I/O thread, no signal for the process.
  const Completion c = ask(*model, {"two"}).completions[0];
  REQUIRE(c.error);
  CHECK_THAT(*c.error, Catch::StartsWith("exec: subprocess closed its stdin (stopped by perseval: "
                                         "was killed by signal 15 (SIGTERM)) before answering"));
}

TEST_CASE("exec: destruction never hangs, even when the server ignores EOF and SIGTERM",
          "[exec]") {
  test::TempDir dir;
  auto model = server_model(dir, "hang");
  int calls = 0;
  std::optional<std::string> error;
  Request r;
  r.sample_id = "0";
  model->submit(std::move(r), [&](Completion c) {
    ++calls;
    error = c.error;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto began = std::chrono::steady_clock::now();
  model.reset();  // closes stdin, waits 2 s, SIGTERM (ignored), 1 s, SIGKILL
  CHECK(seconds_since(began) < 4.5);
  CHECK(calls == 1);
  CHECK(error == std::optional<std::string>("exec: adapter shut down before the subprocess answered"));
}

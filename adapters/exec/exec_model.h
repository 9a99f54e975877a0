// The `exec` model adapter: a local checkpoint behind a persistent subprocess that speaks
// JSON lines (protocol in exec_protocol.h, parameters in exec_options.h).
//
// One I/O thread per adapter owns the subprocess: it writes requests (never more than
// `concurrency` unanswered; the rest wait in a FIFO queue), reads answers in any order and
// matches them by id, forwards the child's stderr line by line as `[exec NAME] ...`, and
// enforces timeout_s. No caller thread ever blocks on a pipe. Callbacks run on the I/O
// thread (or, once the adapter has given up, on the submitting thread).
//
// Failures never hang and never throw into the caller: a malformed or unknown response line
// is logged; a request whose answer is malformed, an error or late gets Completion::error.
// If the child dies or closes its stdout, every request written to it fails with the exit
// status or signal, the child is restarted after a short delay (100 ms, doubling, at most
// 2 s; up to max_restarts times per adapter) and queued requests go to the new child; after
// the budget is spent every queued and future request fails at once. A timed-out request
// does not restart the child (one long generation must not kill the others in flight).
// The child must exit when its stdin closes; the destructor closes stdin, waits up to 2 s
// for that (still delivering answers), then stops the child (SIGTERM, then SIGKILL).
#pragma once

#include <memory>

#include "harness/core/model.h"
#include "harness/core/spec.h"

namespace perseval {

// Creates `exec:cmd=...` and starts its subprocess. Throws InputError for bad parameters
// (see parse_exec_options) or when the command cannot be executed at all (not found, not
// executable, bad cwd). The returned model is safe to call from many threads at once.
std::unique_ptr<Model> make_exec_model(const Spec& spec);

}  // namespace perseval

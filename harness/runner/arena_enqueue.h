// tbb::task_arena::enqueue, with the hand-over made visible to ThreadSanitizer.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <tbb/task_arena.h>

#if defined(__SANITIZE_THREAD__)
#define PERSEVAL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PERSEVAL_TSAN 1
#endif
#endif

#ifdef PERSEVAL_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
extern "C" void AnnotateIgnoreReadsBegin(const char* file, int line);
extern "C" void AnnotateIgnoreReadsEnd(const char* file, int line);
#endif

namespace perseval {

// Runs `work` as a task of `arena` (exactly arena.enqueue(work)). Everything the calling
// thread wrote before the call happens-before the task runs; TBB guarantees that, but
// Debian's libtbb is not instrumented, so in a ThreadSanitizer build the edge is also
// declared explicitly (per task, on the task's own heap box), which keeps real races
// between concurrently running tasks visible. Outside ThreadSanitizer builds this is a
// plain enqueue.
template <typename Work>
void enqueue_published(tbb::task_arena& arena, Work&& work) {
#ifdef PERSEVAL_TSAN
  using Box = std::decay_t<Work>;
  Box* box = new Box(std::forward<Work>(work));
  __tsan_release(box);
  arena.enqueue([box] {
    // The capture itself lives in TBB's task object, published inside libtbb: its one
    // read is exempt; everything it points to is covered by the acquire.
    AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
    Box* const mine = box;
    AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
    __tsan_acquire(mine);
    std::unique_ptr<Box> owned(mine);
    (*owned)();
  });
#else
  arena.enqueue(std::forward<Work>(work));
#endif
}

}  // namespace perseval

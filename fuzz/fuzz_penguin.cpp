// libFuzzer target: PENGUIN's record files (Hugging Face JSON / JSON Lines, or the official
// profiles + queries pair) and the attribute-path CSV, through the whole task pipeline
// (render, judge requests, judge reply parsing, scoring).
//
// Input: byte 0 picks the options (bit 0: format=official; bits 1-3: mode; bit 4: records
// as .jsonl), then parts separated by "\n=====\n": hf: records[, paths CSV]; official:
// profiles, queries[, paths CSV]. Documented outcome for bad files: InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "harness/core/spec.h"
#include "tasks/penguin/penguin_task.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace perseval;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const auto parts = fuzz::split_parts(fuzz::as_text(data + 1, size - 1));
  auto& scratch = fuzz::Scratch::get();
  scratch.remove("pg");
  const bool official = (flags & 1) != 0;
  size_t next = 0;
  if (official) {
    scratch.write("pg/penguin/official/ordered_scenario_generated_data_profiles.json", parts[0]);
    scratch.write("pg/penguin/official/ordered_scenario_generated_data_queries.json",
                  parts.size() > 1 ? parts[1] : "");
    next = 2;
  } else {
    scratch.write((flags & 16) ? "pg/penguin/data/real_data/health/posts.jsonl"
                               : "pg/penguin/data/real_data/health/posts.json",
                  parts[0]);
    next = 1;
  }
  const std::string paths = scratch.write("pg_paths.csv", next < parts.size() ? parts[next] : "");

  static const char* kModes[] = {"free", "rich", "attributes", "default_path", "path"};
  Spec spec;
  spec.name = "penguin";
  spec.params["format"] = official ? "official" : "hf";
  const std::string mode = kModes[((flags >> 1) & 7) % 5];
  spec.params["mode"] = mode;
  if (mode == "attributes") spec.params["attributes"] = "age+emotional_state";
  if (mode == "path") spec.params["paths"] = paths;
  const auto task = penguin::make_penguin_task(spec);
  DataSource source;
  source.data_dir = scratch.dir() + "/pg";
  fuzz::exercise_task(*task, source, 32, fuzz::one_in_eight(size));
  return 0;
}

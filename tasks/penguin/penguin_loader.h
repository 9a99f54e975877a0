// PENGUIN options and loading (penguin.md §2–§3): the Hugging Face records or the official
// profile/query pair, with the attribute selection of the chosen context mode.
#pragma once

#include <string>
#include <vector>

#include "harness/core/spec.h"
#include "harness/core/task.h"

namespace perseval::penguin {

// What the responder sees (the judge always sees the full background):
//   free          the query only (context-free)
//   rich          all ten attributes in canonical order (context-rich)
//   attributes    the attributes named by `attributes=` (e.g. age+emotional_state)
//   default_path  upstream's fallback ["Emotional State", "Past Self-Harm History"]
//   path          a RAISE attribute path per query from `paths=FILE` (column "Attribute Path",
//                 a Python list literal, by global query row; an unreadable cell falls back
//                 to default_path as upstream)
enum class Mode { free, rich, attributes, default_path, path };

struct PenguinOptions {
  Mode mode = Mode::rich;
  std::vector<std::string> attributes;  // canonical names, mode=attributes
  std::string paths_file;               // mode=path
  std::string format = "hf";            // hf | official
  std::string profiles_file, queries_file;  // format=official, explicit files
  int judge_max_tokens = 250;           // official 250 (the port uses 800)
  double judge_temperature = 0.7;       // official
  double temperature = 0.7;             // responder, official
};

// Parses and validates `spec.params` (mode, attributes, paths, format, profiles, queries,
// judge_max_tokens, judge_temperature, temperature). Throws InputError naming the parameter.
PenguinOptions parse_penguin_options(const Spec& spec);
Spec canonical_spec(const PenguinOptions& options);
std::string mode_name(Mode mode);

// The files a load reads: hf: every *.json / *.jsonl under <root>/penguin (recursively, sorted,
// except the official pair's names); official: the profiles and queries files (explicit, or
// <root>/penguin/official/ then <root>/penguin/), plus `paths=` when given. root = data dir, or
// the bundled samples. Throws InputError naming what is missing.
std::vector<std::string> penguin_files(const PenguinOptions& options, const DataSource& source);

// Streams samples: input {query, scenario, profile: [[name, value], …] in canonical order,
// selected: [names shown to the responder]}; slices domain, source, mode, n_attributes,
// scenario. Throws InputError (file:record: problem) for a record without a string `query`, a
// profile file that is not an array of objects, or a queries file that is not an array of
// strings. Returns the load report: rows, the 14,000 check, where domains came from
// ("field", "path", "none"), records without the self-harm attribute, unused queries.
json load_penguin(const PenguinOptions& options, const DataSource& source, const SampleSink& sink);

}  // namespace perseval::penguin

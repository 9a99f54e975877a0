// Loading PersonaFeedback rows (personafeedback.md §1–§2): the six track/tier files joined to
// the persona table, streamed as pairwise samples.
#pragma once

#include <string>
#include <vector>

#include "harness/core/task.h"
#include "tasks/personafeedback/pf_options.h"

namespace perseval::personafeedback {

// One data file of the selection.
struct TierFile {
  std::string track;      // "general" or "specific"
  std::string tier;       // "easy", "medium", "hard"
  std::string path;
  std::string directory;  // the directory name read: "general", "spedific" or "specific"
};

struct PfFiles {
  std::vector<TierFile> tiers;  // general easy/medium/hard, then specific, as selected
  std::string personas;
};

// Resolves the files under `path=` or <data-dir>/personafeedback (bundled samples without a
// data dir). The specific track is read from upstream's misspelt `spedific/`, or from
// `specific/` when only that exists. Throws InputError naming the first missing file and the
// expected layout.
PfFiles resolve_pf_files(const PfOptions& options, const DataSource& source);

// Streams the samples. Choice mode: one sample per row ("<track>/<tier>/<line>"; both orders:
// plus "#swapped"), the pair stored as (chosen, reject, gold "A") and its shown order decided by
// `position` (alternate: gold first on even global rows, counted over the selected files in
// order, as the loader of §2.3). Reward mode: two samples per row, "<id>#chosen" and
// "<id>#reject". Slices: track, tier, cell ("general/easy"), length_diff (|len(chosen) −
// len(reject)| in code points: 0-99, 100-299, 300-999, 1000+). Throws InputError (file:line:
// problem) for an empty question/chosen/reject, a missing `reject` (naming a `rejected` key if
// present) or a user_id that names no persona. Returns the load report: files and the
// directory each was read from, rows, personas in the table and distinct personas used.
json load_pf_samples(const PfOptions& options, const PfFiles& files, const SampleSink& sink);

}  // namespace perseval::personafeedback

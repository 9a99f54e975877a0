// Where PersonaBench's files are: the upstream directory layout (personabench.md §1).
#pragma once

#include <string>
#include <vector>

#include "tasks/personabench/documents.h"

namespace perseval::personabench {

// The noise levels of the release, as they are spelled in file names.
const std::vector<std::string>& known_noise_levels();

// The files of one community at one noise level.
struct CommunityFiles {
  std::string name;        // directory name, e.g. "community_0"
  std::string eval_info;   // eval_info/eval_info_all.json
  std::string gt_context;  // eval_info/qa_gt_context_all_noise_{X}.json
  DocumentFiles documents; // private_data/noise_{X}/*_all.json
};

// The eval_data_v1 directory (the one holding synthetic_data/) for a user-given directory,
// tried in this order: DIR/personabench/eval_data/eval_data_v1 (where `perseval datasets
// fetch` puts it), DIR/eval_data/eval_data_v1 (the upstream repository or data root), DIR
// itself (the official --data_dir). Returns "" when none holds synthetic_data/.
std::string find_data_root(const std::string& dir);

// Every community under ROOT/synthetic_data (directories, sorted by name, as eval.py lists
// them) with its file paths for `noise`. Throws InputError when the directory cannot be
// listed or holds no community. Does not check that the files exist.
std::vector<CommunityFiles> community_files(const std::string& root, const std::string& noise);

// Every path of `communities`, in a stable order (the dataset fingerprint).
std::vector<std::string> all_paths(const std::vector<CommunityFiles>& communities);

}  // namespace perseval::personabench

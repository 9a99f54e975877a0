#include "tasks/personabench/layout.h"

#include <algorithm>
#include <filesystem>

#include "harness/core/errors.h"

namespace perseval::personabench {

namespace fs = std::filesystem;

const std::vector<std::string>& known_noise_levels() {
  static const std::vector<std::string> levels{"0.0", "0.3", "0.5", "0.7"};
  return levels;
}

std::string find_data_root(const std::string& dir) {
  if (dir.empty()) return "";
  for (const std::string& candidate :
       {dir + "/personabench/eval_data/eval_data_v1", dir + "/eval_data/eval_data_v1", dir}) {
    std::error_code ec;
    if (fs::is_directory(candidate + "/synthetic_data", ec)) return candidate;
  }
  return "";
}

std::vector<CommunityFiles> community_files(const std::string& root, const std::string& noise) {
  const std::string synthetic = root + "/synthetic_data";
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(synthetic, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code dir_ec;
    if (it->is_directory(dir_ec)) names.push_back(it->path().filename().string());
  }
  if (ec) throw InputError(input_error_message(synthetic, -1, "", "cannot be listed: " + ec.message()));
  if (names.empty())
    throw InputError(input_error_message(synthetic, -1, "", "holds no community directory"));
  std::sort(names.begin(), names.end());
  std::vector<CommunityFiles> out;
  for (const auto& name : names) {
    const std::string dir = synthetic + "/" + name;
    const std::string docs = dir + "/private_data/noise_" + noise + "/";
    CommunityFiles c;
    c.name = name;
    c.eval_info = dir + "/eval_info/eval_info_all.json";
    c.gt_context = dir + "/eval_info/qa_gt_context_all_noise_" + noise + ".json";
    c.documents = {docs + "conversation_data_all.json", docs + "user_ai_interaction_data_all.json",
                   docs + "purchase_history_data_all.json"};
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<std::string> all_paths(const std::vector<CommunityFiles>& communities) {
  std::vector<std::string> out;
  for (const auto& c : communities)
    for (const auto* p : {&c.eval_info, &c.gt_context, &c.documents.conversations,
                          &c.documents.user_ai, &c.documents.purchases})
      out.push_back(*p);
  return out;
}

}  // namespace perseval::personabench

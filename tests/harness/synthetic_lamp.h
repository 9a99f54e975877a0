// Synthetic time-based LaMP splits of any size for the crash and storage-fault tests: every
// question has a user (so runs have per-user slice metrics) and a small dated profile.
#pragma once

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace perseval::test {

// Writes `n` LaMP-3 (review rating) questions spread over `users` users, with their golds,
// as NAME_questions.json and NAME_outputs.json in `dir`. Returns the `lamp-3:...` task spec
// that reads them (time scheme: the user id is a slice).
inline std::string write_synthetic_lamp3(const TempDir& dir, const std::string& name, int n, int users) {
  nlohmann::json questions = nlohmann::json::array(), golds = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    nlohmann::json profile = nlohmann::json::array();
    for (int j = 0; j < 4; ++j)
      profile.push_back({{"id", "synthetic-3p-" + std::to_string(i) + "-" + std::to_string(j)},
                         {"text", "product " + std::to_string((i * 7 + j) % 31) + " was fine, item " +
                                      std::to_string(j)},
                         {"score", std::to_string(1 + (i + j) % 5)},
                         {"date", 2010 + j}});
    const std::string id = "synthetic-3q-" + std::to_string(i);
    questions.push_back({{"id", id},
                         {"user_id", "synthetic-user-" + std::to_string(i % users)},
                         {"input", "What is the score of the following review on a scale of 1 to 5? just answer with "
                                   "1, 2, 3, 4, or 5 without further explanation. review: product " +
                                       std::to_string(i % 31) + " arrived, number " + std::to_string(i)},
                         {"profile", profile}});
    golds.push_back({{"id", id}, {"output", std::to_string(1 + (i * 3) % 5)}});
  }
  const std::string q = dir.write(name + "_questions.json", questions.dump());
  const std::string o = dir.write(name + "_outputs.json", nlohmann::json{{"task", "LaMP_3"}, {"golds", golds}}.dump());
  return "lamp-3:scheme=time,k=2,questions=" + q + ",outputs=" + o;
}

// The same for LaMP-7 (tweet paraphrasing): ROUGE-scored free text.
inline std::string write_synthetic_lamp7(const TempDir& dir, const std::string& name, int n, int users) {
  nlohmann::json questions = nlohmann::json::array(), golds = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    nlohmann::json profile = nlohmann::json::array();
    for (int j = 0; j < 4; ++j)
      profile.push_back({{"id", "synthetic-7p-" + std::to_string(i) + "-" + std::to_string(j)},
                         {"text", "tweet " + std::to_string(j) + " about topic " + std::to_string((i + j) % 13)},
                         {"date", 2010 + j}});
    const std::string id = "synthetic-7q-" + std::to_string(i);
    questions.push_back({{"id", id},
                         {"user_id", "synthetic-user-" + std::to_string(i % users)},
                         {"input", "Paraphrase the following tweet without any explanation before or after it: "
                                   "today topic " + std::to_string(i % 13) + " is great, says " + std::to_string(i)},
                         {"profile", profile}});
    golds.push_back({{"id", id}, {"output", "topic " + std::to_string(i % 13) + " is great today"}});
  }
  const std::string q = dir.write(name + "_questions.json", questions.dump());
  const std::string o = dir.write(name + "_outputs.json", nlohmann::json{{"task", "LaMP_7"}, {"golds", golds}}.dump());
  return "lamp-7:scheme=time,k=2,questions=" + q + ",outputs=" + o;
}

}  // namespace perseval::test

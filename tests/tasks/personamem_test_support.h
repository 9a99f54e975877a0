// Helpers shared by the PERSONAMEM tests: the bundled fixtures, the team's real 42-row
// sample (skipped when absent), synthetic context lines for it, and CSV writing.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/core/task.h"
#include "tests/support/temp_dir.h"

namespace perseval::personamem_test {

using perseval::test::TempDir;
using json = nlohmann::json;

inline std::string bundled_dir() { return std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples"; }
inline std::string bundled_questions() { return bundled_dir() + "/personamem/questions_32k.csv"; }
inline std::string bundled_contexts() {
  return bundled_dir() + "/personamem/shared_contexts_32k.jsonl";
}

inline DataSource bundled_source() {
  DataSource s;
  s.bundled_dir = bundled_dir();
  return s;
}

// The team's real sample: 42 rows of questions_32k.csv (revision 2d676b2a), no contexts.
inline std::string real_sample_csv() {
  return std::string(PERSEVAL_SOURCE_DIR) + "/../shared/data/personamem/questions_32k_sample.csv";
}
inline bool real_sample_present() { return std::filesystem::is_regular_file(real_sample_csv()); }

// The two shared_context_ids of the real sample and how many messages each needs.
inline const char* kRealContextPersona4 =
    "ea6147f6dc11130b410e00146e314d9370b7fff04f994639c4a3d46ce1255e64";
inline const char* kRealContextPersona5 =
    "19032c09f22266d8977a072d72d169ee109508c4362e5bf5d9ac630dddb573c6";

// A synthetic conversation of `messages` messages in the real schema: sessions of 10
// messages, each opened by a "Current user persona: ..." system message naming a synthetic
// persona, then alternating user/assistant turns numbered by position.
inline json synthetic_conversation(const std::string& persona, int messages) {
  json list = json::array();
  for (int i = 0; i < messages; ++i) {
    if (i % 10 == 0)
      list.push_back({{"role", "system"},
                      {"content", "Current user persona: Name: Synthetic Persona " + persona +
                                      " Gender Identity: synthetic Racial Identity: synthetic. "
                                      "Written for perseval's tests."}});
    else if (i % 2 == 1)
      list.push_back(
          {{"role", "user"}, {"content", "User: synthetic message " + std::to_string(i)}});
    else
      list.push_back(
          {{"role", "assistant"}, {"content", "Assistant: synthetic reply " + std::to_string(i)}});
  }
  return list;
}

// One JSONL line {"<id>": conversation}.
inline std::string context_line(const std::string& id, const json& conversation) {
  json line = json::object();
  line[id] = conversation;
  return line.dump() + "\n";
}

// Contexts for the real sample: persona 4 needs 115 messages, persona 5 needs 204; both get
// 210 so every end index is inside the conversation.
inline std::string real_sample_contexts() {
  return context_line(kRealContextPersona4, synthetic_conversation("Four", 210)) +
         context_line(kRealContextPersona5, synthetic_conversation("Five", 210));
}

// RFC-4180 quoting for one field (quotes only when needed, as Python's csv.writer does).
inline std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

inline std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out + "\n";
}

inline const std::vector<std::string>& v1_header() {
  static const std::vector<std::string> header = {"persona_id",
                                                  "question_id",
                                                  "question_type",
                                                  "topic",
                                                  "context_length_in_tokens",
                                                  "context_length_in_letters",
                                                  "distance_to_ref_in_blocks",
                                                  "distance_to_ref_in_tokens",
                                                  "num_irrelevant_tokens",
                                                  "distance_to_ref_proportion_in_context",
                                                  "user_question_or_message",
                                                  "correct_answer",
                                                  "all_options",
                                                  "shared_context_id",
                                                  "end_index_in_shared_context"};
  return header;
}

// A question row in the v1 column order with sensible defaults for the columns a test does
// not care about.
struct Row {
  std::string persona_id = "7";
  std::string question_id;
  std::string question_type = "suggest_new_ideas";
  std::string topic = "therapy";
  std::string tokens = "20000";
  std::string distance = "2";
  std::string question = "What should I try next?";
  std::string correct = "(b)";
  std::string options = "['(a) one', '(b) two', '(c) three', '(d) four']";
  std::string context_id = "ctx-1";
  std::string end_index = "3";

  std::vector<std::string> fields() const {
    return {persona_id, question_id, question_type, topic,   tokens,  "900",      distance, "100",
            "0",        "50.00%",    question,      correct, options, context_id, end_index};
  }
};

// A questions CSV with the v1 header and `rows`.
inline std::string questions_csv(const std::vector<Row>& rows) {
  std::string out = csv_line(v1_header());
  for (const auto& r : rows) out += csv_line(r.fields());
  return out;
}

// Loads every sample a task yields from `source`.
inline std::vector<Sample> load_all(const Task& task, const DataSource& source) {
  std::vector<Sample> out;
  task.load(source, [&](Sample&& s) {
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

}  // namespace perseval::personamem_test

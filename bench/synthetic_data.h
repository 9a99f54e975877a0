// Deterministic synthetic inputs for the prompt, loader and metric benchmarks: text from a
// Zipf-skewed vocabulary, and benchmark files in the upstream schemas (LaMP questions and
// outputs, a PersonaBench data tree, PERSONAMEM contexts + questions CSV, PersonaFeedback
// JSONL, PENGUIN JSON). Sizes follow the real releases (see each writer); everything is
// generated from fixed seeds, so every run sees byte-identical files. Header-only and used
// by bench/*.cpp only.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/lamp/lamp_variant.h"

namespace perseval::bench {

// Prints `message` and aborts: a benchmark whose result would be meaningless (NaN metric,
// nothing loaded, a prompt without retrieved items) must not report a number.
inline void require(bool ok, const std::string& message) {
  if (ok) return;
  std::fprintf(stderr, "benchmark sanity check failed: %s\n", message.c_str());
  std::abort();
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("perseval-bench-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& relative) const {
    const auto p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  require(static_cast<bool>(out), "cannot write " + path);
}

// xorshift64 plus a vocabulary of pronounceable lowercase words; word ids are drawn with a
// quadratic skew, so a few words are very frequent (as stop words are) and most are rare.
class TextGen {
 public:
  explicit TextGen(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL) {
    static const char* const kOnsets[] = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n",
                                          "p", "r", "s", "t", "v", "w", "st", "tr", "ch", "pl"};
    static const char* const kVowels[] = {"a", "e", "i", "o", "u", "ea", "ou", "ai"};
    uint64_t s = 0x51ED270B27A3C5F1ULL;  // the vocabulary does not depend on the seed
    auto step = [&s] {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      return s;
    };
    vocabulary_.reserve(kVocabulary);
    for (size_t i = 0; i < kVocabulary; ++i) {
      std::string w;
      const int syllables = 1 + static_cast<int>(step() % 3);
      for (int k = 0; k < syllables; ++k) {
        w += kOnsets[step() % 20];
        w += kVowels[step() % 8];
      }
      if (step() % 3 == 0) w += "n";
      vocabulary_.push_back(std::move(w));
    }
  }

  uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  size_t below(size_t bound) { return static_cast<size_t>(next() % bound); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

  const std::string& word() {
    const uint64_t r = next() % kVocabulary;
    return vocabulary_[static_cast<size_t>(r * r / kVocabulary)];
  }

  // `n` words separated by single spaces, a sentence break every ~12 words.
  std::string words(size_t n) {
    std::string out;
    out.reserve(n * 7);
    for (size_t i = 0; i < n; ++i) {
      if (i) out += (i % 12 == 0) ? ". " : " ";
      out += word();
    }
    return out;
  }

  std::string date() {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 2005 + static_cast<int>(below(15)),
                  1 + static_cast<int>(below(12)), 1 + static_cast<int>(below(28)));
    return buf;
  }

 private:
  static constexpr size_t kVocabulary = 6000;
  uint64_t state_;
  std::vector<std::string> vocabulary_;
};

// ---------------------------------------------------------------------------------------
// LaMP

// Word counts of a profile field, close to the real splits' averages (lamp.md §3): paper
// abstracts ~150 words, news articles and reviews ~60–90, emails ~120, tweets ~18.
inline size_t lamp_field_words(const lamp::Variant& v, const std::string& field) {
  if (field == "title") return v.name == "lamp-6" ? 6 : 10;
  if (field == "abstract") return 150;
  if (field == "description") return 40;
  if (field == "text") {
    if (v.name == "lamp-2-news") return 80;
    if (v.name == "lamp-3") return 90;
    if (v.name == "lamp-4") return 50;
    if (v.name == "lamp-6") return 120;
    if (v.name == "lamp-7") return 18;
  }
  return 30;
}

// The question's `input` in the variant's official wording (query marker included).
inline std::string lamp_input(const lamp::Variant& v, TextGen& g) {
  auto label_list = [&v] {
    std::string s = "[";
    for (size_t i = 0; i < v.labels.size(); ++i) s += (i ? ", " : "") + v.labels[i];
    return s + "]";
  };
  if (v.name == "lamp-1")
    return "For an author who has written the paper with the title \"" + g.words(10) +
           "\", which reference is related? Just answer with [1] or [2] without explanation. "
           "[1]: \"" + g.words(9) + "\" [2]: \"" + g.words(9) + "\"";
  if (v.name == "lamp-2")
    return "Which tag does this movie relate to among the following tags? Just answer with the "
           "tag name without further explanation. tags: " + label_list() +
           " description: " + g.words(40);
  if (v.name == "lamp-2-news")
    return "Which category does this article relate to among the following categories? Just "
           "answer with the category name without further explanation. categories: " +
           label_list() + " article: " + g.words(80);
  if (v.name == "lamp-3")
    return "What is the score of the following review on a scale of 1 to 5? just answer with 1, "
           "2, 3, 4, or 5 without further explanation. review: " + g.words(90);
  if (v.name == "lamp-4") return "Generate a headline for the following article: " + g.words(50);
  if (v.name == "lamp-5")
    return "Generate a title for the following abstract of a paper: " + g.words(150);
  if (v.name == "lamp-6") return "Generate a subject for the following email: " + g.words(120);
  return "Paraphrase the following tweet without any explanation before or after it: " +
         g.words(18);
}

// One question {id, input, profile} with `profile_items` items of the variant's fields.
inline nlohmann::json lamp_question(const lamp::Variant& v, const std::string& id,
                                    size_t profile_items, TextGen& g) {
  nlohmann::json profile = nlohmann::json::array();
  for (size_t i = 0; i < profile_items; ++i) {
    nlohmann::json item = {{"id", id + "-p" + std::to_string(i)}};
    for (const auto& field : v.profile_fields) {
      if (field == v.output_field && !v.labels.empty())
        item[field] = v.labels[g.below(v.labels.size())];
      else
        item[field] = g.words(lamp_field_words(v, field));
    }
    item["date"] = g.date();
    profile.push_back(std::move(item));
  }
  return {{"id", id}, {"input", lamp_input(v, g)}, {"profile", std::move(profile)}};
}

// A gold output the official scorer accepts for the variant.
inline std::string lamp_gold(const lamp::Variant& v, TextGen& g) {
  if (!v.labels.empty()) return v.labels[g.below(v.labels.size())];
  return g.words(v.name == "lamp-7" ? 18 : 9);
}

// ---------------------------------------------------------------------------------------
// PersonaBench (personabench.md §1–§2): `communities` × `users` people with documents, each
// with `conversation_sessions` conversation sessions (10 contacts, ~4 kB each),
// `conversation_sessions / 2.5` user–AI sessions and `/ 5` purchase sessions, plus 48
// questions. 250 conversation sessions give ~400 chunks and a ~1 MB conversation file per
// user, the size of the real user at noise 0.7. Returns the eval_data_v1 directory.
inline std::string write_personabench_tree(const std::string& dir, const std::string& noise,
                                           int communities, int users, int conversation_sessions,
                                           int questions_per_user = 48) {
  using nlohmann::ordered_json;
  TextGen g(7);
  const std::string root = dir + "/eval_data/eval_data_v1";
  static const char* const kTypes[][2] = {{"Basic information", "easy"},
                                          {"Preference", "easy"},
                                          {"Preference", "hard"},
                                          {"Social", "easy"},
                                          {"Subjective", "easy"}};
  for (int c = 0; c < communities; ++c) {
    const std::string cdir = root + "/synthetic_data/community_" + std::to_string(c);
    ordered_json eval_info = ordered_json::array(), gt = ordered_json::array();
    ordered_json conversations = ordered_json::array(), user_ai = ordered_json::array(),
                 purchases = ordered_json::array();
    for (int u = 0; u < users; ++u) {
      const std::string name = "Synth Person " + std::to_string(c) + "-" + std::to_string(u);
      char prefix[16];
      std::snprintf(prefix, sizeof prefix, "%03d%03d", c, u);
      int segment = 0;
      auto next_segment = [&] {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%s%06d", prefix, segment++);
        return std::string(buf);
      };
      std::vector<std::string> segments;
      std::vector<std::string> contacts;
      for (int k = 0; k < 10; ++k) contacts.push_back("Contact " + g.word() + " " + std::to_string(k));

      ordered_json conv_data = ordered_json::array();
      for (int k = 0; k < 10; ++k) {
        ordered_json sessions = ordered_json::array();
        for (int s = k; s < conversation_sessions; s += 10) {
          ordered_json turns = ordered_json::array();
          for (int t = 0; t < 10; ++t)
            turns.push_back({{"role", t % 2 ? contacts[k] : name}, {"content", g.words(55)}});
          segments.push_back(next_segment());
          sessions.push_back({{"session", "conversation---session---" + std::to_string(s / 10 + 1)},
                              {"time", "2024/Oct/" + std::to_string(10 + s % 18) + "/09:14 AM"},
                              {"target_name", contacts[k]},
                              {"conversation", std::move(turns)},
                              {"segment_id", segments.back()}});
        }
        conv_data.push_back({{"Target_name", contacts[k]}, {"Conversations", std::move(sessions)}});
      }
      conversations.push_back({{"Name", name}, {"Data", std::move(conv_data)}});

      ordered_json ai_data = ordered_json::array();
      for (int s = 0; s < conversation_sessions * 2 / 5; ++s) {
        segments.push_back(next_segment());
        ai_data.push_back({{"session", "user_ai_interaction---session---" + std::to_string(s + 1)},
                           {"time", "2024/Sep/03/10:00 AM"},
                           {"user_ai_interaction",
                            {{{"role", "user"}, {"content", g.words(40)}},
                             {{"role", "assistant"}, {"content", g.words(180)}}}},
                           {"segment_id", segments.back()}});
      }
      user_ai.push_back({{"Name", name}, {"Data", std::move(ai_data)}});

      ordered_json buy_data = ordered_json::array();
      for (int s = 0; s < conversation_sessions / 5; ++s) {
        ordered_json items = ordered_json::array();
        for (int i = 0; i < 4; ++i)
          items.push_back({{"title", g.words(5)},
                           {"description", g.words(40)},
                           {"brand", "Brand " + g.word()},
                           {"categories", {"Grocery", g.word()}}});
        segments.push_back(next_segment());
        buy_data.push_back({{"session", "purchase_history---session---" + std::to_string(s + 1)},
                            {"time", "2024/Jul/04/04:00 PM"},
                            {"purchase_history", std::move(items)},
                            {"segment_id", segments.back()}});
      }
      purchases.push_back({{"Name", name}, {"Data", std::move(buy_data)}});

      ordered_json qa = ordered_json::array();
      for (int q = 0; q < questions_per_user; ++q) {
        char qid[16];
        std::snprintf(qid, sizeof qid, "%s%03d", prefix, q);
        const auto& type = kTypes[q % 5];
        ordered_json answer;
        if (q % 7 == 3) answer = 2 + q % 5;
        else if (q % 3 == 0) answer = ordered_json::array({g.word() + " " + g.word(), g.word()});
        else if (std::string(type[0]) == "Subjective") answer = "A";
        else answer = g.word() + " " + g.word();
        const std::string question = "What " + g.words(6) + " do I " + g.words(3) + "?";
        qa.push_back({{"q_id", qid}, {"question", question}, {"answer", answer},
                      {"type", type[0]}, {"difficulty", type[1]},
                      {"outdated_value", q % 6 == 2 ? ordered_json(g.word()) : ordered_json()}});
        ordered_json ids = ordered_json::object();
        const std::string item = answer.is_array()    ? answer[0].get<std::string>()
                                 : answer.is_string() ? answer.get<std::string>()
                                                      : answer.dump();
        ids[item] =
            ordered_json::array({segments[g.below(segments.size())], segments[g.below(segments.size())]});
        gt.push_back({{"q_id", qid}, {"question", question}, {"answer", answer}, {"segment_id", ids}});
      }
      eval_info.push_back({{"Name", name}, {"Eval_Info", {{"qa", std::move(qa)}}}});
    }
    write_file(cdir + "/eval_info/eval_info_all.json", eval_info.dump(4));
    write_file(cdir + "/eval_info/qa_gt_context_all_noise_" + noise + ".json", gt.dump(4));
    const std::string pdir = cdir + "/private_data/noise_" + noise;
    write_file(pdir + "/conversation_data_all.json", conversations.dump(4));
    write_file(pdir + "/user_ai_interaction_data_all.json", user_ai.dump(4));
    write_file(pdir + "/purchase_history_data_all.json", purchases.dump(4));
  }
  return root;
}

// ---------------------------------------------------------------------------------------
// PERSONAMEM (personamem.md §2–§3)

inline const char* personamem_header() {
  return "persona_id,question_id,question_type,topic,context_length_in_tokens,"
         "context_length_in_letters,distance_to_ref_in_blocks,distance_to_ref_in_tokens,"
         "num_irrelevant_tokens,distance_to_ref_proportion_in_context,user_question_or_message,"
         "correct_answer,all_options,shared_context_id,end_index_in_shared_context\n";
}

// The all_options cell as a CSV field: half the rows in JSON form, half in Python repr
// form (as in the real 32k file), each option ~`option_words` words.
inline std::string personamem_options_cell(TextGen& g, size_t option_words, bool json_form) {
  std::string list = "[";
  for (int i = 0; i < 4; ++i) {
    const std::string text = std::string("(") + static_cast<char>('a' + i) + ") " +
                             g.words(option_words) + (i == 2 ? " it's fine" : "");
    if (i) list += ", ";
    if (json_form) {
      list += "\"" + text + "\"";
    } else {
      // Python repr: double quotes when the text holds a single quote.
      const bool dq = text.find('\'') != std::string::npos;
      list += (dq ? "\"" : "'") + text + (dq ? "\"" : "'");
    }
  }
  list += "]";
  std::string cell = "\"";  // CSV quoting: double every quote
  for (char ch : list) cell += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return cell + "\"";
}

// One CSV row of a question on context `context_id` that sees `end_index` messages.
inline std::string personamem_row(TextGen& g, int i, const std::string& context_id, long long end_index,
                                  size_t option_words) {
  return std::to_string(i % 20) + ",bench-q-" + std::to_string(i) + ",suggest_new_ideas,therapy," +
         std::to_string(end_index * 500) + "," + std::to_string(end_index * 2000) +
         ",3,1000,0,50.00%,\"I've been thinking about " + g.words(25) + ". Any ideas?\",(" +
         static_cast<char>('a' + i % 4) + ")," + personamem_options_cell(g, option_words, i % 2 == 0) +
         "," + context_id + "," + std::to_string(end_index) + "\n";
}

// A shared-contexts line {"<id>": [messages]} of about `bytes` bytes: ~2 kB messages, a
// persona system message opening each 40-message session. Returns the message count.
inline int write_personamem_context(std::ostream& out, const std::string& id, size_t bytes, TextGen& g) {
  nlohmann::json messages = nlohmann::json::array();
  size_t size = 0;
  int n = 0;
  while (size < bytes) {
    nlohmann::json m;
    if (n % 40 == 0)
      m = {{"role", "system"}, {"content", "Current user persona: Name: Synthetic Persona. " + g.words(60)}};
    else
      m = {{"role", n % 2 ? "user" : "assistant"}, {"content", g.words(300)}};
    size += m.dump().size() + 2;
    messages.push_back(std::move(m));
    ++n;
  }
  out << nlohmann::json{{id, std::move(messages)}}.dump() << "\n";
  return n;
}

// ---------------------------------------------------------------------------------------
// PersonaFeedback (personafeedback.md §1–§2): 8,298 rows over the six tier files, ~1.3 kB
// each (data/spedific/easy.jsonl is ~1.7 MB upstream), joined by line to `personas`
// persona objects. Returns the personafeedback directory (the task's path= parameter).
inline std::string write_personafeedback_tree(const std::string& dir, int rows, int personas) {
  TextGen g(11);
  const std::string root = dir + "/personafeedback";
  std::string persona_text;
  for (int p = 0; p < personas; ++p) {
    const nlohmann::ordered_json persona = {
        {"Name", "Synthetic Persona " + std::to_string(p + 1)},
        {"Demographics", {{"Age", std::to_string(18 + p % 60)}, {"Occupation", g.words(3)}, {"Location", g.word()}}},
        {"Personality", {{"Traits", {g.word(), g.word(), g.word()}}, {"Communication", g.words(8)}}},
        {"Preference", {{"Food", {{"Diet", g.word()}, {"Cuisines", {g.word(), g.word()}}}}, {"Hobbies", {g.word(), g.word()}}}},
        {"Bias", {{"Dislikes", g.words(6)}}}};
    persona_text += persona.dump() + "\n";
  }
  write_file(root + "/persona/all_personas.jsonl", persona_text);
  int row = 0;
  for (const char* track : {"general", "spedific"})
    for (const char* tier : {"easy", "medium", "hard"}) {
      std::string text;
      const int n = rows / 6 + (row == 0 ? rows % 6 : 0);
      for (int i = 0; i < n; ++i, ++row)
        text += nlohmann::json{{"user_id", std::to_string(1 + row % personas)},
                               {"question", g.words(20) + "?"},
                               {"chosen", g.words(100)},
                               {"reject", g.words(80)}}
                    .dump() + "\n";
      write_file(root + "/data/" + track + "/" + tier + ".jsonl", text);
    }
  return root;
}

// ---------------------------------------------------------------------------------------
// PENGUIN (penguin.md §2.1): `records` Hugging Face-style records over the seven domains,
// data/real_data/<domain>/posts.json (~670 kB for 2,000 records, as upstream's social file).
// Returns the data directory (the one holding penguin/).
inline std::string write_penguin_tree(const std::string& dir, int records) {
  TextGen g(13);
  static const char* const kDomains[] = {"relationship", "career", "financial", "social",
                                         "health", "life", "education"};
  for (int d = 0; d < 7; ++d) {
    nlohmann::ordered_json posts = nlohmann::ordered_json::array();
    for (int i = d; i < records; i += 7) {
      nlohmann::ordered_json r = {{"query", g.words(25) + "?"},
                                  {"scenario", g.words(3)},
                                  {"source", i % 3 ? "synthetic" : "reddit"},
                                  {"age", std::to_string(18 + i % 60)},
                                  {"gender", i % 2 ? "female" : "male"},
                                  {"marital_status", g.word()},
                                  {"profession", g.words(2)},
                                  {"economic_status", g.word()},
                                  {"health_status", g.words(2)},
                                  {"education_level", g.words(2)},
                                  {"mental_health_status", g.words(2)},
                                  {"emotional_state", g.words(3)}};
      if (i % 10) r["past_self_harm_history"] = g.word();
      posts.push_back(std::move(r));
    }
    write_file(dir + "/penguin/data/real_data/" + kDomains[d] + "/posts.json", posts.dump(2));
  }
  return dir;
}

}  // namespace perseval::bench

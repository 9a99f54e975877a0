// PersonaBench files: chunking exactly as create_vector_base (hashes from a CPython
// re-implementation of the upstream functions), the loader's samples and carried sets, and
// errors that name the file, the record and the field.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "tasks/personabench/documents.h"
#include "tasks/personabench/layout.h"
#include "tests/tasks/personabench_test_support.h"

using namespace perseval;
using namespace perseval::personabench_test;
namespace pb = perseval::personabench;

namespace {

// FNV-1a 64 of every chunk text joined by "\n", and the chunk count, for one user.
std::pair<size_t, uint64_t> chunk_digest(const std::string& root, const std::string& community,
                                         const std::string& noise, const std::string& name) {
  for (const auto& c : pb::community_files(root, noise)) {
    if (c.name != community) continue;
    const auto all = pb::load_community_chunks(c.documents);
    const auto& chunks = all.at(name);
    std::string joined;
    for (size_t i = 0; i < chunks.size(); ++i) joined += (i ? "\n" : "") + chunks[i].text;
    return {chunks.size(), fnv1a64(joined)};
  }
  return {0, 0};
}

std::string load_error(const std::string& spec, const DataSource& source) {
  try {
    load_all(*make(spec), source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void replace_in_file(const std::string& path, const std::string& from, const std::string& to) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  text.replace(pos, from.size(), to);
  std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("personabench chunks: one per session, official order and bytes (fixture)", "[personabench]") {
  const std::string root = fixture_root();
  CHECK(chunk_digest(root, "community_0", "0.0", "Nora Synthwood") == std::pair<size_t, uint64_t>{9, 0x30dcef45934f3062ULL});
  CHECK(chunk_digest(root, "community_0", "0.0", "Kenji Synthara") == std::pair<size_t, uint64_t>{5, 0xe0e5a8673d0a4af3ULL});
  CHECK(chunk_digest(root, "community_0", "0.5", "Nora Synthwood") == std::pair<size_t, uint64_t>{13, 0x38f2b4bd7a4e0192ULL});
  CHECK(chunk_digest(root, "community_0", "0.5", "Kenji Synthara") == std::pair<size_t, uint64_t>{9, 0xedd39e87b8706957ULL});
  CHECK(chunk_digest(root, "community_1", "0.0", "Zofia Synthowska") == std::pair<size_t, uint64_t>{3, 0x589bcbc067b898bcULL});
  CHECK(chunk_digest(root, "community_1", "0.5", "Zofia Synthowska") == std::pair<size_t, uint64_t>{7, 0x1244015463feb5a2ULL});

  const auto c0 = pb::community_files(root, "0.0").at(0);
  const auto nora = pb::load_community_chunks(c0.documents).at("Nora Synthwood");
  // Conversations (contacts in order), then user–AI, then purchases.
  CHECK(nora[3].text ==
        R"({"time":"2024/Dec/01/08:00 PM","target_name":"Olga Synthova","conversation":[{"role":"Nora Synthwood","content":"Where did you travel this year?"},{"role":"Olga Synthova","content":"\u6771\u4eac in spring, then \u041c\u043e\u0441\u043a\u0432\u0430 and Paris."},{"role":"Nora Synthwood","content":"And later Lisbon, Qu\u00e9bec and Oslo!"}]})");
  CHECK(nora[8].kind == pb::ChunkKind::purchase);
  CHECK(nora[8].entities == std::vector<std::string>{"Café Noël Roasters", "東京 Tea House"});
  CHECK(nora[3].entities == std::vector<std::string>{"Olga Synthova"});
  CHECK(nora[3].plain.find("東京 in spring") != std::string::npos);  // decoded, no \u escapes
  CHECK(nora[3].plain.find("2024/Dec") == std::string::npos);        // time left out
}

TEST_CASE("personabench chunks: the real sample (Jennifer Moran) at four noise levels", "[personabench][real]") {
  const std::string dir = real_sample_dir();
  if (dir.empty()) {
    WARN("../shared/data/personabench is absent; skipping");
    return;
  }
  const std::string root = pb::find_data_root(dir);
  const std::string c = "community_0", name = "Jennifer Moran";
  CHECK(chunk_digest(root, c, "0.0", name) == std::pair<size_t, uint64_t>{110, 0x82cf64f06fbcf97aULL});
  CHECK(chunk_digest(root, c, "0.3", name) == std::pair<size_t, uint64_t>{157, 0x6aee1bfd886ed01bULL});
  CHECK(chunk_digest(root, c, "0.5", name) == std::pair<size_t, uint64_t>{220, 0x46d52f83acab296aULL});
  CHECK(chunk_digest(root, c, "0.7", name) == std::pair<size_t, uint64_t>{399, 0x0b67efa35dcfe540ULL});
}

TEST_CASE("personabench loader: samples, slices and the official carried sets", "[personabench]") {
  const auto task = make("personabench:noise=0.5");
  const auto samples = load_all(*task, bundled_source());
  REQUIRE(samples.size() == 17);  // Unlisted Synthperson has no documents and is not evaluated
  std::map<std::string, const Sample*> by_id;
  for (const auto& s : samples) by_id[s.id] = &s;
  CHECK(samples.front().id == "900000000");
  CHECK(samples.back().id == "901000002");  // communities sorted, then file order

  const Sample& age = *by_id.at("900000001");
  CHECK(age.user_id == "community_0/Nora Synthwood");
  CHECK(age.slices.at("category") == "Basic_information_easy");
  CHECK(age.slices.at("noise") == "0.5");
  CHECK(age.target["gold_words"] == json::array({"34"}));
  // eval.py leaves gt_set from the previous question (Synthfield University) for an int.
  CHECK(age.target["gold_words_official"] == json::array({"synthfield", "university"}));
  CHECK(task->target_text(age) == "34");

  const Sample& cups = *by_id.at("900000004");
  CHECK(cups.slices.at("category") == "Preference_hard");
  CHECK(cups.target["gold_words_official"] == json::array({"oolong", "tea"}));
  CHECK(cups.target["outdated_words"] == json::array({"4"}));
  CHECK(cups.target["outdated_words_official"] == json::array({"matcha"}));  // carried too

  const Sample& looks = *by_id.at("900000007");
  CHECK(looks.target["gold_words"] == json::array({"56", "blue", "color", "eye", "height"}));
  CHECK(task->target_text(looks) == "[{'Height': '5\\'6\"'}, {'Eye color': 'Blue'}]");
  CHECK(by_id.at("900000008")->target["gt_segment_ids"].size() == 6);
  CHECK(by_id.at("900000006")->slices.at("category") == "Social_easy");  // Social/hard → easy
  CHECK(by_id.at("900001001")->slices.at("category") == "Preference_easy");
  CHECK(by_id.at("900000009")->slices.at("category") == "Subjective");
  CHECK(by_id.at("900000009")->target["gold_words_official"].is_null());
  CHECK(by_id.at("900000002")->target["gold_words"] == json::array({"caf", "nol", "roasters"}));
}

TEST_CASE("personabench loader: data directory layouts and the noise file set", "[personabench]") {
  const std::string bundled = bundled_dir() + "/personabench";
  CHECK(pb::find_data_root(bundled_dir()) == bundled + "/eval_data/eval_data_v1");
  CHECK(pb::find_data_root(bundled) == bundled + "/eval_data/eval_data_v1");
  CHECK(pb::find_data_root(bundled + "/eval_data/eval_data_v1") == bundled + "/eval_data/eval_data_v1");
  CHECK(pb::find_data_root("/nonexistent") == "");
  const auto files = make("personabench:noise=0.3")->data_files(bundled_source());
  CHECK(files.size() == 10);
  CHECK(files[1].find("community_0/eval_info/qa_gt_context_all_noise_0.3.json") != std::string::npos);
  CHECK(files[2].find("community_0/private_data/noise_0.3/conversation_data_all.json") != std::string::npos);
}

TEST_CASE("personabench loader: errors name the file, the record and the field", "[personabench]") {
  TempDir dir;
  const std::string copy = copy_fixture(dir);
  const std::string c0 = copy + "/eval_data/eval_data_v1/synthetic_data/community_0";
  const DataSource source = dir_source(dir.path().string());

  SECTION("a float answer") {
    replace_in_file(c0 + "/eval_info/eval_info_all.json", "\"answer\": 34,", "\"answer\": 34.5,");
    const auto e = load_error("personabench", source);
    CHECK(e.find("eval_info_all.json: record 0 (id=Nora Synthwood): Eval_Info.qa[1] (q_id=900000001): "
                 "field 'answer': expected a string, an integer or a list, got a float") != std::string::npos);
  }
  SECTION("a session without segment_id") {
    replace_in_file(c0 + "/private_data/noise_0.5/user_ai_interaction_data_all.json", "\"segment_id\"", "\"segment\"");
    const auto e = load_error("personabench", source);
    CHECK(e.find("user_ai_interaction_data_all.json: record 0 (id=Nora Synthwood): Data[0]: field "
                 "'segment_id' missing or not a string") != std::string::npos);
  }
  SECTION("a conversation record without Conversations") {
    replace_in_file(c0 + "/private_data/noise_0.5/conversation_data_all.json", "\"Conversations\"", "\"Convs\"");
    CHECK(load_error("personabench", source).find("conversation_data_all.json: record 0 (id=Nora Synthwood): "
                                                  "Data[0]: field 'Conversations'") != std::string::npos);
  }
  SECTION("an empty alternative list in the ground truth") {
    replace_in_file(c0 + "/eval_info/qa_gt_context_all_noise_0.5.json",
                    "\"Synthfield University\": [\n                \"900000000001\"\n            ]",
                    "\"Synthfield University\": []");
    CHECK(load_error("personabench", source).find("qa_gt_context_all_noise_0.5.json: record 0 (id=900000000): field "
                                                  "segment_id['Synthfield University'] must be a non-empty list") !=
          std::string::npos);
  }
  SECTION("not JSON") {
    std::filesystem::permissions(c0 + "/eval_info/eval_info_all.json", std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    std::ofstream(c0 + "/eval_info/eval_info_all.json") << "[{";
    CHECK(load_error("personabench", source).find("eval_info_all.json: not valid JSON") != std::string::npos);
  }
  SECTION("a missing noise file") {
    std::filesystem::remove(c0 + "/private_data/noise_0.7/purchase_history_data_all.json");
    const auto e = load_error("personabench:noise=0.7", source);
    CHECK(e.find("noise_0.7/purchase_history_data_all.json: not found") != std::string::npos);
  }
  SECTION("a repeated q_id across communities") {
    replace_in_file(copy + "/eval_data/eval_data_v1/synthetic_data/community_1/eval_info/eval_info_all.json",
                    "\"q_id\": \"901000000\"", "\"q_id\": \"900000000\"");
    CHECK(load_error("personabench", source).find("repeated q_id 900000000") != std::string::npos);
  }
  SECTION("a question without ground truth") {
    replace_in_file(c0 + "/eval_info/qa_gt_context_all_noise_0.5.json", "\"q_id\": \"900001003\"",
                    "\"q_id\": \"900001999\"");
    CHECK(load_error("personabench", source).find("eval_info_all.json: record 1 (id=Kenji Synthara): q_id 900001003 "
                                                  "has no record in") != std::string::npos);
  }
  SECTION("an oracle segment missing from the documents") {
    replace_in_file(c0 + "/eval_info/qa_gt_context_all_noise_0.5.json", "\"900000000001\"", "\"900000009999\"");
    CHECK(load_error("personabench:retriever=oracle", source)
              .find("q_id 900000000: segment id 900000009999 (item Synthfield University) is not among Nora "
                    "Synthwood's chunks at noise 0.5") != std::string::npos);
    CHECK(load_error("personabench", source).empty());  // BM25 never needs it
  }
  SECTION("no data at all") {
    CHECK(load_error("personabench", dir_source("/nonexistent")).find("no PersonaBench data") != std::string::npos);
  }
}

TEST_CASE("personabench options: canonical name, defaults and bad values", "[personabench]") {
  CHECK(make("personabench")->info().name == "personabench:k=5,noise=0.5,prompt=official,retriever=bm25");
  CHECK(make("personabench:retriever=gt-context")->options().retriever == pb::Retriever::oracle);
  const auto bad = [](const std::string& spec) {
    try {
      make(spec);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(bad("personabench:noise=0.4").find("noise must be one of") != std::string::npos);
  CHECK(bad("personabench:k=0").find("k must be in 1..100") != std::string::npos);
  CHECK(bad("personabench:retriever=tfidf").find("retriever must be") != std::string::npos);
  CHECK(bad("personabench:split=dev").find("unknown parameter 'split'") != std::string::npos);
}

// A number beyond double's range is nlohmann's out_of_range.406, not a parse_error; it
// escaped read_json_file as an undocumented exception (found by fuzzing).
TEST_CASE("personabench loader: a number out of range is invalid JSON", "[personabench][fuzz]") {
  TempDir dir;
  const std::string copy = copy_fixture(dir);
  const std::string c0 = copy + "/eval_data/eval_data_v1/synthetic_data/community_0";
  replace_in_file(c0 + "/private_data/noise_0.5/purchase_history_data_all.json", "\"Data\"",
                  "\"Price\": 9e999, \"Data\"");
  const auto e = load_error("personabench", dir_source(dir.path().string()));
  CHECK_THAT(e, Catch::Contains("purchase_history_data_all.json: not valid JSON") &&
                    Catch::Contains("number overflow"));
}

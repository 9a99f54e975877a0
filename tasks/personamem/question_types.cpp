#include "tasks/personamem/question_types.h"

#include <map>

namespace perseval::personamem {

namespace {

constexpr const char* kRecall = "recall_user_shared_facts";
constexpr const char* kAcknowledge = "acknowledge_latest_user_preferences";
constexpr const char* kTrack = "track_full_preference_evolution";
constexpr const char* kRevisit = "revisit_reasons_behind_preference_updates";
constexpr const char* kRecommend = "provide_preference_aligned_recommendations";
constexpr const char* kSuggest = "suggest_new_ideas";
constexpr const char* kGeneralize = "generalize_to_new_scenarios";

using Table = std::map<std::string, std::string, std::less<>>;

// personamem.md §4, 32k column (revision 2d676b2a).
const Table& table_32k() {
  static const Table t = {
      {"recalling_facts_mentioned_by_the_user", kRecall},
      {"recall_user_shared_facts", kAcknowledge},  // TypeMap::format; see canonical_type
      {"track_full_preference_evolution", kTrack},
      {"recalling_the_reasons_behind_previous_updates", kRevisit},
      {"provide_preference_aligned_recommendations", kRecommend},
      {"suggest_new_ideas", kSuggest},
      {"generalizing_to_new_scenarios", kGeneralize},
  };
  return t;
}

// 128k uses the paper's slugs; 1M too, except its track label.
const Table& table_128k() {
  static const Table t = {
      {kRecall, kRecall},         {kAcknowledge, kAcknowledge}, {kTrack, kTrack},
      {kRevisit, kRevisit},       {kRecommend, kRecommend},     {kSuggest, kSuggest},
      {kGeneralize, kGeneralize},
  };
  return t;
}

const Table& table_1m() {
  static const Table t = [] {
    Table m = table_128k();
    m["track_full_preference_updates"] = kTrack;
    return m;
  }();
  return t;
}

// Pre-release generation-code names (upstream's question_type_mapping), valid in every split.
const Table& older_names() {
  static const Table t = {
      {"recalling_facts_mentioned_by_the_user", kRecall},
      {"identifying_new_things_not_mentioned_by_the_user", kSuggest},
      {"recalling_the_latest_user_preferences", kAcknowledge},
      {"tracking_the_full_sequence_of_preference_updates", kTrack},
      {"recalling_the_reasons_behind_previous_updates", kRevisit},
      {"recommendation_aligned_with_users_latest_preferences", kRecommend},
      {"generalizing_past_reasons_in_memory_to_new_scenarios", kGeneralize},
  };
  return t;
}

}  // namespace

const std::vector<std::string>& canonical_types() {
  static const std::vector<std::string> types = {kRecall,    kAcknowledge, kTrack,     kRevisit,
                                                 kRecommend, kSuggest,     kGeneralize};
  return types;
}

std::optional<std::string> canonical_type(std::string_view size, std::string_view raw,
                                          TypeMap map) {
  if (size == "32k" && map == TypeMap::literal && raw == kRecall) return std::string(kRecall);
  const Table& own = size == "32k" ? table_32k() : size == "1M" ? table_1m() : table_128k();
  if (auto it = own.find(raw); it != own.end()) return it->second;
  if (auto it = older_names().find(raw); it != older_names().end()) return it->second;
  return std::nullopt;
}

bool is_32k_only_label(std::string_view raw) {
  return raw == "recalling_facts_mentioned_by_the_user" ||
         raw == "recalling_the_reasons_behind_previous_updates" ||
         raw == "generalizing_to_new_scenarios";
}

}  // namespace perseval::personamem

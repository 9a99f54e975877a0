#include "tasks/personalized_judge/judge_prompts.h"

#include "tasks/pairwise/certainty_scale.h"

namespace perseval::personalized_judge {
namespace {

constexpr std::string_view kChooseOpening =
    "Given the user profile provided below, select the response from AI assistant A or B that the "
    "user would most likely prefer. Declare your choice by using the format: \"[[A]]\" if you "
    "believe assistant A's response is more suitable, ";

// The PRISM body shared by with_persona and the tie variant.
std::string prism_body(const PromptFields& f) {
  return "[User Profile]\n" + f.user_info + "\n\n[User Question]\n" + f.question +
         "\n\n[The Start of Assistant A's Answer]\n" + f.a +
         "\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n" + f.b +
         "\n[The End of Assistant B's Answer]\n\n[Answer]\n[[";
}

}  // namespace

std::string prompt_type_name(PromptType type) {
  switch (type) {
    case PromptType::with_persona: return "with_persona";
    case PromptType::with_persona_with_tie: return "with_persona_with_tie";
    case PromptType::ec: return "ec";
    case PromptType::recorded: return "recorded";
    case PromptType::automatic: return "auto";
  }
  return "auto";
}

std::optional<PromptType> parse_prompt_type(std::string_view name) {
  for (const auto type : {PromptType::with_persona, PromptType::with_persona_with_tie, PromptType::ec,
                          PromptType::recorded, PromptType::automatic})
    if (name == prompt_type_name(type)) return type;
  return std::nullopt;
}

std::string render_with_persona(const PromptFields& f) {
  return std::string(kChooseOpening) +
         "or \"[[B]]\" if assistant B's response is better suited. Additionally, assess your "
         "confidence in this decision by assigning a certainty level from 1 to 100. Use the "
         "following guidelines to assign the certainty level:\n\n" +
         pairwise::certainty_band_lines() +
         "\nEnsure you enclose your chosen certainty level in double brackets, like so: [[X]].\n\n" +
         prism_body(f);
}

std::string render_with_persona_with_tie(const PromptFields& f) {
  // Upstream drops the certainty text here and with it the blank line before the profile.
  return std::string(kChooseOpening) +
         "\"[[B]]\" if assistant B's response is better suited, or \"[[C]]\" for a tie.\n" +
         prism_body(f);
}

std::string render_ec(const PromptFields& f) {
  return "Based on the user profile provided, we have two responses from the user to a news "
         "article. Your task is to determine which response aligns better with the user's "
         "profile.\n[News Article]\n" +
         f.article + "\n[User Profile]\n" + f.user_info + "\n[Response A]\n" + f.a +
         "\n[Response B]\n" + f.b +
         "\nEvaluate the responses and select the one you believe is written by the user. Use the "
         "format \"[[A]]\" if you think Response A is more appropriate, or \"[[B]]\" if Response B "
         "is a better match. Additionally, assess your confidence in this decision by assigning a "
         "certainty level from 1 to 100 according to the scale below. Enclose your chosen "
         "certainty level in double brackets, like so: [[X]].\n\nCertainty Scale:\n" +
         pairwise::certainty_band_lines() + "\n\n[Answer]\n[[";
}

bool asks_certainty(PromptType type) {
  return type == PromptType::with_persona || type == PromptType::ec;
}

bool allows_tie(PromptType type) { return type == PromptType::with_persona_with_tie; }

}  // namespace perseval::personalized_judge

// The Personalized-Judge prompt templates (personalized_judge.md §3), reproduced so that
// rendering a recorded case from its fields gives the recorded `prompt` byte for byte (§8.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace perseval::personalized_judge {

// The prompt types perseval renders. `recorded` sends a record's own `prompt` unchanged (the
// only way to re-judge AP records, whose stored fields cannot rebuild the prompt, §9.1);
// `auto` picks per record: ec for EC records, with_persona_with_tie for PRISM records of a
// tie file, with_persona for other PRISM records, recorded otherwise.
enum class PromptType { with_persona, with_persona_with_tie, ec, recorded, automatic };

std::string prompt_type_name(PromptType type);                  // "with_persona", …, "auto"
std::optional<PromptType> parse_prompt_type(std::string_view name);

// The fields a template fills in, in the order shown (A first).
struct PromptFields {
  std::string user_info;
  std::string question;  // PRISM
  std::string article;   // EC
  std::string a;
  std::string b;
};

// §3.1: the opening, the five certainty bands, the bracket instruction, then the profile,
// question and both answers, ending with the open "[[".
std::string render_with_persona(const PromptFields& f);

// §3.2: the tie variant (answers [[A]], [[B]] or [[C]], no certainty).
std::string render_with_persona_with_tie(const PromptFields& f);

// §3.2: the EC ("which response did this user write") prompt with the certainty scale.
std::string render_ec(const PromptFields& f);

// Whether a prompt type asks for a certainty, and whether it allows a tie answer C.
bool asks_certainty(PromptType type);
bool allows_tie(PromptType type);

}  // namespace perseval::personalized_judge

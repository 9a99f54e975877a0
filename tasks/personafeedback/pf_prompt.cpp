#include "tasks/personafeedback/pf_prompt.h"

#include "tasks/pairwise/certainty_scale.h"

namespace perseval::personafeedback {

std::string render_choice_prompt(const std::string& persona, const std::string& question,
                                 const std::string& a, const std::string& b, bool certainty) {
  std::string out =
      "Given the user persona below, select the response that better fits this user's persona and "
      "request. Answer with \"[[A]]\" or \"[[B]]\"";
  out += certainty ? "." : " only.";
  out += "\n\n[User Persona]\n" + persona + "\n\n[User Question]\n" + question +
         "\n\n[The Start of Response A]\n" + a + "\n[The End of Response A]\n\n[The Start of Response B]\n" + b +
         "\n[The End of Response B]";
  if (certainty)
    out += "\n\nAdditionally, assess your confidence in this decision by assigning a certainty level from 1 "
           "to 100. Use the following guidelines to assign the certainty level:\n\n" +
           pairwise::certainty_band_lines() +
           "\nEnsure you enclose your chosen certainty level in double brackets, like so: [[X]]. Reply as "
           "\"[[A]] [[X]]\" or \"[[B]] [[X]]\".";
  return out;
}

std::vector<Message> reward_messages(const std::string& persona, const std::string& question,
                                     const std::string& response) {
  return {{"user", persona + "\n\n" + question}, {"assistant", response}};
}

}  // namespace perseval::personafeedback

#include "tasks/pairwise/certainty_scale.h"

namespace perseval::pairwise {

const std::string& certainty_band_lines() {
  // Upstream's wording, including its "Minimal evidence information" slip: the recorded
  // prompts are reproduced byte for byte.
  static const std::string kBands =
      "1--20 (Uncertain): The user profile provides insufficient or Minimal evidence information "
      "suggests a preference. The decision is largely based on weak or indirect hints.\n"
      "21--40 (Moderately Confident): There is noticeable evidence supporting a preference, though "
      "it is not comprehensive, and other interpretations are possible.\n"
      "41--60 (Quite Confident): You find clear and convincing evidence that supports your "
      "prediction, though it is not entirely decisive.\n"
      "61--80 (Confident): The user profile contains strong evidence that clearly supports your "
      "prediction, with very little ambiguity.\n"
      "81--100 (Highly Confident): The user profile provides direct and explicit evidence that "
      "decisively supports your prediction.";
  return kBands;
}

int certainty_band(int certainty) {
  if (certainty < 1 || certainty > 100) return -1;
  return (certainty - 1) / 20;
}

std::string certainty_band_label(int band) {
  static const char* kLabels[] = {"1-20", "21-40", "41-60", "61-80", "81-100"};
  return band >= 0 && band < 5 ? kLabels[band] : "";
}

}  // namespace perseval::pairwise

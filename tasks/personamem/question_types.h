// PERSONAMEM's question types: raw `question_type` labels differ between the 32k, 128k and
// 1M files and from the paper (personamem.md §4, upstream issues #19, #27), so every sample
// carries its raw label and a canonical slug read from a per-size table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace perseval::personamem {

// How the 32k file's ambiguous `recall_user_shared_facts` label is read. `format` (default):
// its 129 rows are statements with "I remember you..." options, the acknowledge-latest-
// preference format, so they map to acknowledge_latest_user_preferences; `literal`: the
// label's own meaning, recall_user_shared_facts. 128k and 1M are unaffected.
enum class TypeMap { format, literal };

// The seven canonical slugs in the paper's order.
const std::vector<std::string>& canonical_types();

// The canonical slug of `raw` for a split ("32k", "128k", "1M"), or nullopt for a label no
// table knows (callers keep the raw label and count it). Besides each split's own labels the
// older generation-code names of pre-release CSVs are accepted for every split, as upstream's
// question_type_mapping reads them.
std::optional<std::string> canonical_type(std::string_view size, std::string_view raw,
                                          TypeMap map = TypeMap::format);

// Labels that occur only in the 32k file (its own spellings); a file containing any of them
// uses the 32k table. Used to pick the table when the split is not given.
bool is_32k_only_label(std::string_view raw);

}  // namespace perseval::personamem

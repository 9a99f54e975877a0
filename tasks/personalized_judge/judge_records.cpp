#include "tasks/personalized_judge/judge_records.h"

#include "harness/core/errors.h"
#include "tasks/pairwise/jsonl_reader.h"

namespace perseval::personalized_judge {
namespace {

constexpr const char* kRequired = "a recorded judgement needs answer, certainty, acc, ground_truth";

RecordKind kind_of(const JudgeRecord& r, const json& object) {
  if (r.article) return RecordKind::ec;
  if (r.question && r.asst_a && r.asst_b) return RecordKind::prism;
  if (r.res || object.contains("similar_persona")) return RecordKind::ap;
  return RecordKind::other;
}

}  // namespace

std::string kind_name(RecordKind kind) {
  switch (kind) {
    case RecordKind::prism: return "prism";
    case RecordKind::ec: return "ec";
    case RecordKind::ap: return "ap";
    case RecordKind::other: return "other";
  }
  return "other";
}

void read_judge_records(const std::string& path,
                        const std::function<bool(JudgeRecord&&)>& on_record) {
  using pairwise::line_error;
  pairwise::read_jsonl_objects(path, [&](long long line, json&& o) {
    JudgeRecord r;
    r.line = line;
    r.answer = pairwise::required_string(o, "answer", path, line, kRequired);
    const auto certainty = o.find("certainty");
    if (certainty == o.end() || certainty->is_null())
      throw InputError(line_error(path, line, std::string("field 'certainty' missing (") + kRequired + ")"));
    if (certainty->is_string()) r.certainty = certainty->get<std::string>();
    else if (certainty->is_number_integer()) r.certainty = std::to_string(certainty->get<long long>());
    else throw InputError(line_error(path, line, "field 'certainty' must be a string (or an integer)"));
    const auto acc = o.find("acc");
    if (acc == o.end() || acc->is_null())
      throw InputError(line_error(path, line, std::string("field 'acc' missing (") + kRequired + ")"));
    if (!acc->is_boolean()) throw InputError(line_error(path, line, "field 'acc' must be true or false"));
    r.acc = acc->get<bool>();
    r.ground_truth = pairwise::required_string(o, "ground_truth", path, line, kRequired);
    if (r.ground_truth != "A" && r.ground_truth != "B" && r.ground_truth != "C")
      throw InputError(line_error(path, line, "field 'ground_truth' must be \"A\", \"B\" or \"C\", got \"" +
                                                  r.ground_truth + "\""));
    r.prompt = pairwise::optional_string(o, "prompt", path, line).value_or("");
    r.user_info = pairwise::optional_string(o, "user_info", path, line).value_or("");
    r.question = pairwise::optional_string(o, "question", path, line);
    r.asst_a = pairwise::optional_string(o, "asst_A", path, line);
    r.asst_b = pairwise::optional_string(o, "asst_B", path, line);
    r.article = pairwise::optional_string(o, "article", path, line);
    r.res = pairwise::optional_string(o, "res", path, line);
    r.conversation_type = pairwise::optional_string(o, "conversation_type", path, line);
    r.kind = kind_of(r, o);
    return on_record(std::move(r));
  });
}

}  // namespace perseval::personalized_judge

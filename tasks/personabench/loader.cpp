#include "tasks/personabench/loader.h"

#include <set>

#include "harness/core/errors.h"
#include "tasks/personabench/questions.h"

namespace perseval::personabench {
namespace {

json to_json(const ordered_json& value) { return json::parse(value.dump()); }

json word_list(const std::set<std::string>& words) { return json(std::vector<std::string>(words.begin(), words.end())); }

json optional_words(const std::optional<std::set<std::string>>& words) {
  return words ? word_list(*words) : json();
}

json gt_json(const GtItems& items) {
  json out = json::array();
  for (const auto& [key, ids] : items) out.push_back(json::array({key, ids}));
  return out;
}

// The state of one load pass: eval.py's carried sets run over every scored question.
struct Carry {
  CarriedSet answer;
  CarriedSet outdated;
};

Sample make_sample(const Question& q, const Person& person, const CommunityFiles& community,
                   const Options& options, Carry& carry) {
  Sample s;
  s.id = q.q_id;
  s.user_id = community.name + "/" + person.name;
  s.input = {{"q_id", q.q_id},
             {"question", q.question},
             {"community", community.name},
             {"name", person.name},
             {"noise", options.noise},
             {"documents",
              {{"conversations", community.documents.conversations},
               {"user_ai", community.documents.user_ai},
               {"purchases", community.documents.purchases}}}};
  json t;
  t["answer"] = to_json(q.answer);
  t["answer_text"] = python_str(q.answer);
  t["type"] = q.type;
  t["difficulty"] = q.difficulty;
  t["category"] = q.category;
  t["int_answer"] = q.answer.is_number_integer() || q.answer.is_boolean();
  t["gt_segment_ids"] = gt_json(q.gt);
  t["outdated"] = !q.outdated_value.is_null();
  const bool scored = !q.category.empty();
  const GoldWords official = gold_words(q.answer, AnswerMode::official);
  t["gold_words"] = word_list(gold_words(q.answer, AnswerMode::corrected).words);
  // Subjective questions never reach eval.py's assignment, so they neither set nor use the carry.
  t["gold_words_official"] = scored ? optional_words(carry.answer.resolve(official)) : json();
  t["outdated_words"] = json();
  t["outdated_words_official"] = json();
  if (!q.outdated_value.is_null()) {
    t["outdated_words"] = word_list(gold_words(q.outdated_value, AnswerMode::corrected).words);
    if (scored)
      t["outdated_words_official"] =
          optional_words(carry.outdated.resolve(gold_words(q.outdated_value, AnswerMode::official)));
  }
  s.target = std::move(t);
  s.slices = {{"category", scored ? q.category : std::string("Subjective")},
              {"user", person.name},
              {"community", community.name},
              {"noise", options.noise}};
  return s;
}

void check_oracle_segments(const Question& q, const UserCorpus& corpus, const CommunityFiles& community,
                           const std::string& name, const Options& options) {
  for (const auto& [item, alternatives] : q.gt)
    if (!corpus.index_of.count(alternatives.front()))
      throw InputError(input_error_message(
          community.gt_context, -1, "",
          "q_id " + q.q_id + ": segment id " + alternatives.front() + " (item " + item + ") is not among " + name +
              "'s chunks at noise " + options.noise + " (retriever=oracle needs it)"));
}

}  // namespace

std::string corpus_key(const DocumentFiles& files, const std::string& name) {
  return files.conversations + "\n" + files.user_ai + "\n" + files.purchases + "\n" + name;
}

void load_samples(const std::string& root, const Options& options, CorpusCache& cache,
                  Embedder* embedder, const SampleSink& sink) {
  if (options.retriever == Retriever::dense && !embedder)
    throw InputError("personabench: retriever=dense needs an embeddings model attached to the task "
                     "(PersonaBenchTask::set_embedder); none is");
  Carry carry;
  std::set<std::string> seen_ids;
  for (const auto& community : community_files(root, options.noise)) {
    auto people = read_eval_info(community.eval_info);
    const auto gt = read_gt_context(community.gt_context);
    auto chunks = load_community_chunks(community.documents);
    for (auto& person : people) {
      // eval.py checks q_id uniqueness over everyone listed, documented or not.
      for (const auto& q : person.questions)
        if (!seen_ids.insert(q.q_id).second)
          throw InputError(input_error_message(community.eval_info, person.record, person.name,
                                               "repeated q_id " + q.q_id + " (q_ids must be unique)"));
      const auto docs = chunks.find(person.name);
      if (docs == chunks.end()) continue;
      for (auto& q : person.questions) {
        const auto it = gt.find(q.q_id);
        if (it == gt.end())
          throw InputError(input_error_message(community.eval_info, person.record, person.name,
                                               "q_id " + q.q_id + " has no record in " + community.gt_context));
        q.gt = it->second;
      }
      const std::string key = corpus_key(community.documents, person.name);
      auto corpus = cache.find(key);
      if (!corpus || (options.retriever == Retriever::dense && !corpus->embedded)) {
        auto built = std::make_shared<UserCorpus>(std::move(docs->second));
        if (options.retriever == Retriever::dense) {
          std::vector<std::string> questions;
          for (const auto& q : person.questions) questions.push_back(q.question);
          embed_corpus(*built, *embedder, questions);
        }
        cache.put(key, built);
        corpus = built;
      }
      for (const auto& q : person.questions) {
        if (options.retriever == Retriever::oracle) check_oracle_segments(q, *corpus, community, person.name, options);
        if (!sink(make_sample(q, person, community, options, carry))) return;
      }
    }
  }
}

std::shared_ptr<const UserCorpus> corpus_for_sample(const Sample& sample, CorpusCache& cache) {
  const json& in = sample.input;
  if (!in.is_object() || !in.contains("documents") || !in.contains("name"))
    throw InputError("personabench sample " + sample.id + ": input lacks 'documents' or 'name'");
  const json& d = in["documents"];
  const DocumentFiles files{d.value("conversations", ""), d.value("user_ai", ""), d.value("purchases", "")};
  const std::string name = in["name"].get<std::string>();
  const std::string key = corpus_key(files, name);
  if (auto found = cache.find(key)) return found;
  auto chunks = load_community_chunks(files);
  const auto it = chunks.find(name);
  if (it == chunks.end())
    throw InputError(input_error_message(files.conversations, -1, "",
                                         "sample " + sample.id + ": no documents for " + name));
  return cache.insert(key, std::make_shared<const UserCorpus>(std::move(it->second)));
}

}  // namespace perseval::personabench

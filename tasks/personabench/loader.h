// Turns the upstream PersonaBench files into perseval Samples, building each user's corpus
// once (personabench.md §1–§3).
#pragma once

#include <memory>
#include <string>

#include "harness/core/embedder.h"
#include "harness/core/task.h"
#include "tasks/personabench/corpus.h"
#include "tasks/personabench/layout.h"
#include "tasks/personabench/options.h"

namespace perseval::personabench {

// The cache key of one user's corpus at one noise level.
std::string corpus_key(const DocumentFiles& files, const std::string& name);

// Streams every question of every evaluated person, communities sorted, people and questions
// in file order (the official results order). A person is evaluated when they have private
// documents at this noise level (the release lists 10 people per community and documents
// only the first 3, which the official scripts select with --num_people 3).
//
// Each sample: id = q_id; user_id = "<community>/<Name>"; input = {q_id, question,
// community, name, noise, documents: {conversations, user_ai, purchases}}; target =
// {answer, answer_text, type, difficulty, category, gold_words, gold_words_official (null
// when eval.py would raise NameError), outdated, outdated_words, outdated_words_official,
// int_answer, gt_segment_ids: [[item, [ids]], ...]}; slices = {category ("Subjective" for
// the unscored type), user, community, noise}. The official sets reproduce eval.py's reuse
// of the previous question's set for integer answers, in this order (personabench.md §5).
//
// Every user's corpus goes into `cache` (built once; kept when already there). With
// retriever=dense the chunk and question embeddings are computed here through `embedder`
// (required), so render stays pure. Throws InputError on malformed or missing files, a
// repeated q_id, a question without ground truth, or (oracle) a ground-truth segment that
// is not among the user's chunks.
void load_samples(const std::string& root, const Options& options, CorpusCache& cache,
                  Embedder* embedder, const SampleSink& sink);

// Builds (or finds) the corpus of the user a loaded sample belongs to, from the document
// files named in sample.input. Dense vectors cannot be computed here; a corpus built on
// this path has none. Throws InputError on unreadable files or an unknown user.
std::shared_ptr<const UserCorpus> corpus_for_sample(const Sample& sample, CorpusCache& cache);

}  // namespace perseval::personabench

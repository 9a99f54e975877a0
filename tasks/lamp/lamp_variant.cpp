#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

const char* output_kind_name(OutputKind kind) {
  switch (kind) {
    case OutputKind::label: return "label";
    case OutputKind::rating: return "rating";
    case OutputKind::text: return "text";
  }
  return "text";
}

namespace {

// Label orders are part of the metric (class ids for macro-F1): lamp.md §4.
const std::vector<std::string> kMovieTags = {
    "sci-fi",      "based on a book", "comedy",     "action",           "twist ending",
    "dystopia",    "dark comedy",     "classic",    "psychology",       "fantasy",
    "romance",     "thought-provoking", "social commentary", "violence", "true story"};

const std::vector<std::string> kNewsCategories = {
    "food & drink", "sports",         "education",     "parents",  "religion",
    "travel",       "business",       "crime",         "science & technology",
    "culture & arts", "entertainment", "politics",     "women",    "style & beauty",
    "healthy living"};

std::vector<Variant> build_variants() {
  std::vector<Variant> v;

  Variant l1;
  l1.name = "lamp-1";
  l1.task_string = "LaMP_1";
  l1.directory = "LaMP_1";
  l1.kind = OutputKind::label;
  l1.labels = {"[1]", "[2]"};
  l1.profile_fields = {"title", "abstract"};
  l1.corpus_fields = {"title", "abstract"};
  l1.query_rule = QueryRule::quoted_references;
  l1.item_template = "\"{title}\"";
  l1.free_field = "title";
  l1.fixed_overhead = 2;
  l1.budget_minus_one = false;
  l1.shape = PromptShape::insert_after_title;
  v.push_back(l1);

  Variant l2;
  l2.name = "lamp-2";
  l2.task_string = "LaMP_2";
  l2.directory = "LaMP_2/new";
  l2.kind = OutputKind::label;
  l2.labels = kMovieTags;
  l2.profile_fields = {"description", "tag"};
  l2.corpus_fields = {"description"};
  l2.output_field = "tag";
  l2.marker = "description:";
  l2.item_template = "the tag for the movie: \"{description}\" is \"{tag}\" ";
  l2.free_field = "description";
  l2.overhead_template = "the tag for the movie: \" \" is \"{tag}\" ";
  l2.joiner = ". ";
  v.push_back(l2);

  Variant l2n;
  l2n.name = "lamp-2-news";
  l2n.task_string = "LaMP_2";  // the same string as movies: the variant decides the labels
  l2n.directory = "LaMP_2";
  l2n.kind = OutputKind::label;
  l2n.labels = kNewsCategories;
  l2n.profile_fields = {"title", "text", "category"};
  l2n.corpus_fields = {"title", "text"};
  l2n.output_field = "category";
  l2n.marker = "article:";
  l2n.item_template = "the category for the article: \"{text}\" is \"{category}\" ";
  l2n.free_field = "text";
  l2n.overhead_template = "the category for the article: \" \" is \"{category}\" ";
  l2n.joiner = ". ";
  v.push_back(l2n);

  Variant l3;
  l3.name = "lamp-3";
  l3.task_string = "LaMP_3";
  l3.directory = "LaMP_3";
  l3.kind = OutputKind::rating;
  l3.labels = {"1", "2", "3", "4", "5"};
  l3.profile_fields = {"text", "score"};
  l3.corpus_fields = {"text"};
  l3.output_field = "score";
  l3.marker = "review:";
  l3.item_template = "{score} is the score for \"{text}\" ";
  l3.free_field = "text";
  l3.overhead_template = "{score} is the score for \" \" ";
  l3.joiner = ". ";
  v.push_back(l3);

  Variant l4;
  l4.name = "lamp-4";
  l4.task_string = "LaMP_4";
  l4.directory = "LaMP_4";
  l4.profile_fields = {"title", "text"};
  l4.corpus_fields = {"title", "text"};
  l4.output_field = "title";
  l4.marker = "article:";
  l4.item_template = "\"{title}\" is the title for \"{text}\" ";
  l4.free_field = "text";
  l4.overhead_template = "\"{title}\" is the title for \" \" ";
  l4.joiner = ". ";
  v.push_back(l4);

  Variant l5;
  l5.name = "lamp-5";
  l5.task_string = "LaMP_5";
  l5.directory = "LaMP_5";
  l5.profile_fields = {"title", "abstract"};
  l5.corpus_fields = {"title", "abstract"};
  l5.output_field = "title";
  l5.marker = "paper:";
  l5.item_template = "\"{title}\" is a title for \"{abstract}\" ";
  l5.free_field = "abstract";
  l5.overhead_template = "\"{title}\" is a title \" \" ";
  l5.budget_phrase = "Following the given patterns";
  l5.joiner = ". Following the given patterns ";
  v.push_back(l5);

  Variant l6;
  l6.name = "lamp-6";
  l6.task_string = "LaMP_6";
  l6.directory = "LaMP_6";
  l6.profile_fields = {"text", "title"};
  l6.corpus_fields = {"text"};
  l6.output_field = "title";
  l6.marker = ":";
  l6.item_template = "\"{title}\" is the title for \"{text}\" ";
  l6.free_field = "text";
  l6.overhead_template = "\"{title}\" is the title for \" \" ";
  l6.joiner = ". ";
  v.push_back(l6);

  Variant l7;
  l7.name = "lamp-7";
  l7.task_string = "LaMP_7";
  l7.directory = "LaMP_7";
  l7.profile_fields = {"text"};
  l7.corpus_fields = {"text"};
  l7.output_field = "text";
  l7.marker = ":";
  l7.item_template = "\"{text}\" ";
  l7.free_field = "text";
  l7.overhead_template = "\"\" ";
  l7.budget_phrase = "are written by user. Following the given patterns";
  l7.joiner = " are written by a person. Following the given patterns ";
  v.push_back(l7);

  return v;
}

}  // namespace

const std::vector<Variant>& all_variants() {
  static const std::vector<Variant> variants = build_variants();
  return variants;
}

const Variant* find_variant(std::string_view name) {
  for (const auto& v : all_variants())
    if (v.name == name) return &v;
  return nullptr;
}

std::string python_str(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "None";
  // nlohmann prints integers in decimal and floats in shortest round-trip form with a
  // ".0" for integral values, which is Python's repr for the values that occur here.
  return value.dump();
}

std::string item_field(const nlohmann::json& item, const std::string& field) {
  if (!item.is_object()) return "";
  auto it = item.find(field);
  return it == item.end() ? std::string() : python_str(*it);
}

std::string fill_template(const std::string& tmpl, const Variant& variant,
                          const nlohmann::json& item, std::string_view free_text) {
  std::string out;
  out.reserve(tmpl.size() + free_text.size() + 64);
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '{') {
      const size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        const std::string field = tmpl.substr(i + 1, close - i - 1);
        if (field == variant.free_field)
          out.append(free_text);
        else
          out += item_field(item, field);
        i = close + 1;
        continue;
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace perseval::lamp

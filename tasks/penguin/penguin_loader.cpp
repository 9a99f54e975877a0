#include "tasks/penguin/penguin_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "harness/core/errors.h"
#include "tasks/csv/csv_reader.h"
#include "tasks/pairwise/jsonl_reader.h"
#include "tasks/penguin/penguin_profile.h"

namespace perseval::penguin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProfilesName = "ordered_scenario_generated_data_profiles.json";
constexpr const char* kQueriesName = "ordered_scenario_generated_data_queries.json";
const std::vector<std::string> kDefaultPath = {"Emotional State", "Past Self-Harm History"};

std::string root_of(const DataSource& source) {
  return (source.data_dir.empty() ? source.bundled_dir : source.data_dir) + "/penguin";
}

bool is_file(const std::string& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be opened");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
    throw InputError(path + ": not valid JSON (" + e.what() + ")");
  }
}

std::string first_string(const json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const auto it = o.find(k); it != o.end() && it->is_string()) return it->get<std::string>();
  return "";
}

// The directory after "real_data"/"synthetic_data" in a path, e.g. .../real_data/social/posts.json.
std::string domain_from_path(const std::string& relative) {
  const fs::path p(relative);
  bool next = false;
  for (const auto& part : p.parent_path()) {
    if (next) return part.string();
    next = part == "real_data" || part == "synthetic_data";
  }
  return "";
}

// Global query row → attribute path, from the official CSV.
std::vector<std::optional<std::vector<std::string>>> read_paths(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file + ": cannot be opened (paths=)");
  csv::CsvReader reader(in);
  std::vector<std::string> row;
  std::vector<std::optional<std::vector<std::string>>> out;
  try {  // the header too: an unclosed quote or bad UTF-8 there is a CsvError as well
    if (!reader.next(row)) throw InputError(file + ": empty (expected a header with 'Attribute Path')");
    const auto column = std::find(row.begin(), row.end(), "Attribute Path");
    if (column == row.end()) throw InputError(file + ": no 'Attribute Path' column");
    const size_t index = static_cast<size_t>(column - row.begin());
    while (reader.next(row)) out.push_back(index < row.size() ? parse_attribute_path(row[index]) : std::nullopt);
  } catch (const csv::CsvError& e) {
    throw InputError(file + ":" + std::to_string(e.line) + ": " + e.what());
  }
  return out;
}

struct Emitter {
  const PenguinOptions& options;
  const SampleSink& sink;
  std::vector<std::optional<std::vector<std::string>>> paths;
  long long row = 0;
  long long without_self_harm = 0;
  std::map<std::string, long long> domain_from;

  bool emit(Sample&& s, const json& record, const std::string& domain, const std::string& domain_source,
            const std::string& source_label) {
    const Profile profile = profile_of(record);
    if (!attribute_value(profile, "Past Self-Harm History")) ++without_self_harm;
    std::vector<std::string> selected;
    switch (options.mode) {
      case Mode::free: break;
      case Mode::rich: selected = attribute_names(); break;
      case Mode::attributes: selected = options.attributes; break;
      case Mode::default_path: selected = kDefaultPath; break;
      case Mode::path: {
        const size_t i = static_cast<size_t>(row);
        selected = i < paths.size() && paths[i] ? *paths[i] : kDefaultPath;
        break;
      }
    }
    ++row;
    ++domain_from[domain_source];
    json profile_json = json::array();
    for (const auto& [name, value] : profile) profile_json.push_back(json::array({name, value}));
    s.input["profile"] = std::move(profile_json);
    s.input["selected"] = selected;
    s.slices["domain"] = domain.empty() ? "unknown" : domain;
    s.slices["source"] = source_label.empty() ? "unknown" : source_label;
    s.slices["mode"] = mode_name(options.mode);
    s.slices["n_attributes"] = std::to_string(selected.size());
    if (!s.input["scenario"].get<std::string>().empty()) s.slices["scenario"] = s.input["scenario"];
    return sink(std::move(s));
  }
};

}  // namespace

std::string mode_name(Mode mode) {
  switch (mode) {
    case Mode::free: return "free";
    case Mode::rich: return "rich";
    case Mode::attributes: return "attributes";
    case Mode::default_path: return "default_path";
    case Mode::path: return "path";
  }
  return "rich";
}

PenguinOptions parse_penguin_options(const Spec& spec) {
  PenguinOptions o;
  const std::string name = spec.to_string();
  auto number = [&](const std::string& key, double lo, double hi) {
    double v = 0;
    try {
      v = spec.get_double(key, 0);
    } catch (const std::invalid_argument& e) {
      throw InputError(e.what());
    }
    if (v < lo || v > hi) throw InputError("task '" + name + "': " + key + " out of range");
    return v;
  };
  for (const auto& [key, value] : spec.params) {
    if (key == "mode") {
      bool known = false;
      for (const Mode m : {Mode::free, Mode::rich, Mode::attributes, Mode::default_path, Mode::path})
        if (value == mode_name(m)) {
          o.mode = m;
          known = true;
        }
      if (!known)
        throw InputError("task '" + name + "': mode='" + value +
                         "' (expected free, rich, attributes, default_path or path)");
    } else if (key == "attributes") {
      o.attributes = parse_attribute_list(value, "task '" + name + "'");
    } else if (key == "paths") {
      o.paths_file = value;
    } else if (key == "format") {
      if (value != "hf" && value != "official") throw InputError("task '" + name + "': format='" + value + "' (expected hf or official)");
      o.format = value;
    } else if (key == "profiles") {
      o.profiles_file = value;
    } else if (key == "queries") {
      o.queries_file = value;
    } else if (key == "judge_max_tokens") {
      o.judge_max_tokens = static_cast<int>(number(key, 16, 32768));
    } else if (key == "judge_temperature") {
      o.judge_temperature = number(key, 0, 2);
    } else if (key == "temperature") {
      o.temperature = number(key, 0, 2);
    } else {
      throw InputError("task '" + name + "': unknown parameter '" + key +
                       "' (expected mode, attributes, paths, format, profiles, queries, judge_max_tokens, "
                       "judge_temperature, temperature)");
    }
  }
  if (o.mode == Mode::attributes && o.attributes.empty())
    throw InputError("task '" + name + "': mode=attributes needs attributes=NAME+NAME (e.g. age+emotional_state)");
  if (o.mode != Mode::attributes && !o.attributes.empty())
    throw InputError("task '" + name + "': attributes= applies to mode=attributes only");
  if (o.mode == Mode::path && o.paths_file.empty())
    throw InputError("task '" + name + "': mode=path needs paths=FILE (an attribute-path CSV)");
  return o;
}

Spec canonical_spec(const PenguinOptions& o) {
  Spec s;
  s.name = "penguin";
  s.params["mode"] = mode_name(o.mode);
  if (!o.attributes.empty()) {
    std::string joined;
    for (const auto& a : o.attributes) {
      std::string snake;
      for (const char c : a) snake += c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      joined += (joined.empty() ? "" : "+") + snake;
    }
    s.params["attributes"] = joined;
  }
  if (!o.paths_file.empty()) s.params["paths"] = o.paths_file;
  s.params["format"] = o.format;
  if (!o.profiles_file.empty()) s.params["profiles"] = o.profiles_file;
  if (!o.queries_file.empty()) s.params["queries"] = o.queries_file;
  s.params["judge_max_tokens"] = std::to_string(o.judge_max_tokens);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", o.judge_temperature);
  s.params["judge_temperature"] = buf;
  std::snprintf(buf, sizeof buf, "%g", o.temperature);
  s.params["temperature"] = buf;
  return s;
}

std::vector<std::string> penguin_files(const PenguinOptions& options, const DataSource& source) {
  const std::string root = root_of(source);
  std::vector<std::string> files;
  if (options.format == "official") {
    auto locate = [&](const std::string& explicit_path, const char* name) {
      if (!explicit_path.empty()) {
        if (!is_file(explicit_path)) throw InputError(explicit_path + ": not found");
        return explicit_path;
      }
      for (const std::string& dir : {root + "/official", root})
        if (is_file(dir + "/" + name)) return dir + "/" + name;
      throw InputError(root + "/" + name + ": not found; penguin format=official expects the official pair "
                       "under <data-dir>/penguin[/official]/ (or profiles=/queries= paths)");
    };
    files = {locate(options.profiles_file, kProfilesName), locate(options.queries_file, kQueriesName)};
  } else {
    std::error_code ec;
    if (fs::is_directory(root, ec))
      for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonl") &&
            name.rfind("ordered_scenario_generated_data_", 0) != 0)
          files.push_back(entry.path().string());
      }
    std::sort(files.begin(), files.end());
    if (files.empty())
      throw InputError(root + ": no *.json records found; penguin expects the Hugging Face dataset "
                       "wick1d/Personalized_Safety_Data unchanged under <data-dir>/penguin/ (or format=official)");
  }
  if (!options.paths_file.empty()) {
    if (!is_file(options.paths_file)) throw InputError(options.paths_file + ": not found (paths=)");
    files.push_back(options.paths_file);
  }
  return files;
}

json load_penguin(const PenguinOptions& options, const DataSource& source, const SampleSink& sink) {
  const auto files = penguin_files(options, source);
  Emitter emitter{options, sink, {}, 0, 0, {}};
  if (!options.paths_file.empty()) emitter.paths = read_paths(options.paths_file);
  json report{{"format", options.format}};
  bool go_on = true;
  if (options.format == "official") {
    const json profiles = read_json_file(files[0]);
    const json queries = read_json_file(files[1]);
    if (!profiles.is_array()) throw InputError(files[0] + ": expected an array of profile objects");
    if (!queries.is_array()) throw InputError(files[1] + ": expected an array of query strings");
    // eval_response.py: q = len(queries) // len(profiles); profile i gets [i·q, (i+1)·q).
    const size_t per = profiles.empty() ? 0 : queries.size() / profiles.size();
    for (size_t i = 0; i < profiles.size() && go_on; ++i) {
      if (!profiles[i].is_object())
        throw InputError(input_error_message(files[0], static_cast<long long>(i + 1), "", "expected a profile object"));
      for (size_t j = 0; j < per && go_on; ++j) {
        const json& q = queries[i * per + j];
        if (!q.is_string())
          throw InputError(input_error_message(files[1], static_cast<long long>(i * per + j + 1), "", "expected a query string"));
        Sample s;
        s.id = "scenario-" + std::to_string(i + 1) + "-" + std::to_string(j + 1);
        s.user_id = "profile-" + std::to_string(i + 1);
        s.input = json{{"query", q.get<std::string>()}, {"scenario", first_string(profiles[i], {"Scenario", "scenario"})}};
        go_on = emitter.emit(std::move(s), profiles[i], "", "none", "synthetic");
      }
    }
    report["queries_unused"] = queries.size() - per * profiles.size();
  } else {
    const std::string root = root_of(source);
    for (const auto& file : files) {
      if (!go_on || file == options.paths_file) continue;
      const std::string relative = fs::path(file).lexically_relative(root).generic_string();
      std::vector<json> records;
      if (fs::path(file).extension() == ".jsonl") {
        pairwise::read_jsonl_objects(file, [&](long long, json&& o) {
          records.push_back(std::move(o));
          return true;
        });
      } else {
        json all = read_json_file(file);
        if (all.is_object() && all.contains("data")) all = all["data"];
        if (!all.is_array()) throw InputError(file + ": expected an array of records");
        records.assign(all.begin(), all.end());
      }
      for (size_t k = 0; k < records.size() && go_on; ++k) {
        const json& r = records[k];
        const auto record = static_cast<long long>(k + 1);
        if (!r.is_object()) throw InputError(input_error_message(file, record, "", "expected a record object"));
        const std::string query = first_string(r, {"query", "Query", "User Query"});
        if (query.empty()) throw InputError(input_error_message(file, record, "", "field 'query' missing or empty"));
        std::string domain = first_string(r, {"domain", "Domain", "category", "Category"});
        std::string domain_source = "field";
        if (domain.empty()) {
          domain = domain_from_path(relative);
          domain_source = domain.empty() ? "none" : "path";
        }
        std::string source_label = first_string(r, {"source", "Source"});
        if (source_label.empty() && relative.find("real_data") != std::string::npos) source_label = "reddit";
        Sample s;
        s.id = relative + "#" + std::to_string(k + 1);
        s.user_id = s.id;
        s.input = json{{"query", query}, {"scenario", first_string(r, {"scenario", "Scenario"})}};
        go_on = emitter.emit(std::move(s), r, domain, domain_source, source_label);
      }
    }
  }
  report["rows"] = emitter.row;
  report["expected_rows"] = 14000;
  report["row_count_matches"] = emitter.row == 14000;
  report["domain_from"] = emitter.domain_from;
  report["records_without_self_harm"] = emitter.without_self_harm;
  return report;
}

}  // namespace perseval::penguin

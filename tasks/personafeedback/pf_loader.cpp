#include "tasks/personafeedback/pf_loader.h"

#include <filesystem>
#include <set>

#include "harness/core/errors.h"
#include "tasks/pairwise/jsonl_reader.h"
#include "tasks/pairwise/pair_layout.h"
#include "tasks/pairwise/pairwise_scoring.h"
#include "tasks/personafeedback/pf_persona.h"

namespace perseval::personafeedback {
namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

std::string layout_hint() {
  return "personafeedback expects <data-dir>/personafeedback/data/{general,spedific}/{easy,medium,hard}.jsonl "
         "and <data-dir>/personafeedback/persona/all_personas.jsonl (or path=DIR)";
}

std::string length_bucket(size_t a, size_t b) {
  const size_t d = a > b ? a - b : b - a;
  return d < 100 ? "0-99" : d < 300 ? "100-299" : d < 1000 ? "300-999" : "1000+";
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A non-empty string field, trimmed as upstream's loader does.
std::string text_field(const json& row, const char* field, const std::string& file, long long line) {
  if (std::string(field) == "reject" && !row.contains("reject") && row.contains("rejected"))
    throw InputError(pairwise::line_error(file, line, "field 'reject' missing (found 'rejected'; "
                                                      "PersonaFeedback's key is 'reject')"));
  const std::string value = trimmed(pairwise::required_string(row, field, file, line,
                                                              "expected fields: user_id, question, chosen, reject"));
  if (value.empty()) throw InputError(pairwise::line_error(file, line, std::string("field '") + field + "' is empty"));
  return value;
}

}  // namespace

PfFiles resolve_pf_files(const PfOptions& options, const DataSource& source) {
  const std::string root = !options.data_path.empty()
                               ? options.data_path
                               : (source.data_dir.empty() ? source.bundled_dir : source.data_dir) + "/personafeedback";
  PfFiles files;
  files.personas = root + "/persona/all_personas.jsonl";
  for (const auto& track : options.tracks) {
    for (const auto& tier : options.tiers) {
      TierFile f{track, tier, "", track == "specific" ? "spedific" : track};
      f.path = root + "/data/" + f.directory + "/" + tier + ".jsonl";
      if (track == "specific" && !exists(f.path) && exists(root + "/data/specific/" + tier + ".jsonl")) {
        f.directory = "specific";
        f.path = root + "/data/specific/" + tier + ".jsonl";
      }
      if (!exists(f.path)) throw InputError(f.path + ": not found; " + layout_hint());
      files.tiers.push_back(std::move(f));
    }
  }
  if (!exists(files.personas)) throw InputError(files.personas + ": not found; " + layout_hint());
  return files;
}

json load_pf_samples(const PfOptions& options, const PfFiles& files, const SampleSink& sink) {
  const PersonaTable personas(files.personas, options.persona_format, options.persona_join);
  std::set<std::string> used;
  long long row_index = 0;
  json report{{"files", json::array()}, {"persona_join", options.persona_join}};
  bool go_on = true;
  for (const auto& file : files.tiers) {
    if (!go_on) break;
    long long rows = 0;
    pairwise::read_jsonl_objects(file.path, [&](long long line, json&& row) {
      const auto uid = row.find("user_id");
      if (uid == row.end() || !(uid->is_string() || uid->is_number_integer()))
        throw InputError(pairwise::line_error(file.path, line, "field 'user_id' missing or not a string"));
      const std::string user_id = trimmed(uid->is_string() ? uid->get<std::string>() : std::to_string(uid->get<long long>()));
      const std::string question = text_field(row, "question", file.path, line);
      const std::string chosen = text_field(row, "chosen", file.path, line);
      const std::string reject = text_field(row, "reject", file.path, line);
      const std::string* persona = personas.find(user_id);
      if (!persona)
        throw InputError(pairwise::line_error(
            file.path, line, "user_id '" + user_id + "' names no persona in " + personas.path() + " (" +
                                 std::to_string(personas.size()) + " personas, persona_join=" + options.persona_join + ")"));
      used.insert(user_id);
      ++rows;
      json extra = json::object();
      for (const auto& [key, value] : row.items())
        if (key != "user_id" && key != "question" && key != "chosen" && key != "reject") extra[key] = value;

      Sample s;
      s.id = file.track + "/" + file.tier + "/" + std::to_string(line);
      s.user_id = user_id;
      s.input = json{{"persona", *persona}, {"question", question}, {"extra", std::move(extra)}};
      s.target = json{{"chosen", chosen}};
      s.slices = {{"track", file.track}, {"tier", file.tier}, {"cell", file.track + "/" + file.tier},
                  {"length_diff", length_bucket(pairwise::code_points(chosen), pairwise::code_points(reject))}};
      const long long global_row = row_index++;
      if (options.mode == Mode::reward) {
        Sample other = s;
        s.id += "#chosen";
        s.input["response"] = chosen;
        s.input["role"] = "chosen";
        other.id += "#reject";
        other.input["response"] = reject;
        other.input["role"] = "reject";
        go_on = sink(std::move(s)) && sink(std::move(other));
        return go_on;
      }
      s.input["pair"] = json{{"first", chosen}, {"second", reject}, {"gold", "A"}};
      pairwise::Arrangement arrangement = pairwise::Arrangement::from_seed;
      if (options.position == Position::stored) arrangement = pairwise::Arrangement::as_stored;
      if (options.position == Position::alternate)
        arrangement = global_row % 2 == 0 ? pairwise::Arrangement::as_stored : pairwise::Arrangement::swapped;
      go_on = pairwise::emit_orders(std::move(s), arrangement, options.both_orders, sink);
      return go_on;
    });
    report["files"].push_back(json{{"track", file.track}, {"tier", file.tier}, {"directory", file.directory},
                                   {"path", file.path}, {"rows", rows}});
  }
  report["rows"] = row_index;
  report["personas"] = personas.size();
  report["personas_used"] = used.size();
  return report;
}

}  // namespace perseval::personafeedback

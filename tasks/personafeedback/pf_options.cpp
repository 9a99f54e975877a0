#include "tasks/personafeedback/pf_options.h"

#include "harness/core/errors.h"

namespace perseval::personafeedback {
namespace {

std::string joined(const std::vector<std::string>& parts, const std::vector<std::string>& all) {
  if (parts == all) return "all";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "+") + p;
  return out;
}

// "all", one name, or names joined by '+' (commas separate spec parameters).
std::vector<std::string> parse_set(const std::string& spec, const std::string& key, const std::string& value,
                                   const std::vector<std::string>& all) {
  if (value == "all") return all;
  std::vector<std::string> picked;
  size_t start = 0;
  while (start <= value.size()) {
    size_t plus = value.find('+', start);
    if (plus == std::string::npos) plus = value.size();
    const std::string part = value.substr(start, plus - start);
    start = plus + 1;
    bool known = false;
    for (const auto& a : all) known = known || a == part;
    if (!known) {
      std::string expected = "all";
      for (const auto& a : all) expected += ", " + a;
      throw InputError("task '" + spec + "': " + key + "='" + value + "' (expected " + expected +
                       ", or several joined with '+')");
    }
    picked.push_back(part);
  }
  // File order, whatever the order written.
  std::vector<std::string> ordered;
  for (const auto& a : all)
    for (const auto& p : picked)
      if (p == a) {
        ordered.push_back(a);
        break;
      }
  return ordered;
}

}  // namespace

PfOptions parse_pf_options(const Spec& spec) {
  PfOptions o;
  const std::string name = spec.to_string();
  auto bad = [&](const std::string& key, const std::string& value, const std::string& expected) {
    return InputError("task '" + name + "': " + key + "='" + value + "' (expected " + expected + ")");
  };
  for (const auto& [key, value] : spec.params) {
    if (key == "track") o.tracks = parse_set(name, key, value, {"general", "specific"});
    else if (key == "tier") o.tiers = parse_set(name, key, value, {"easy", "medium", "hard"});
    else if (key == "mode") {
      if (value != "choice" && value != "reward") throw bad(key, value, "choice or reward");
      o.mode = value == "reward" ? Mode::reward : Mode::choice;
    } else if (key == "position") {
      if (value == "random") o.position = Position::random;
      else if (value == "alternate") o.position = Position::alternate;
      else if (value == "stored") o.position = Position::stored;
      else throw bad(key, value, "random, alternate or stored");
    } else if (key == "order") {
      if (value != "single" && value != "both") throw bad(key, value, "single or both");
      o.both_orders = value == "both";
    } else if (key == "certainty") {
      if (value != "none" && value != "1-100") throw bad(key, value, "none or 1-100");
      o.certainty = value == "1-100";
    } else if (key == "persona_format") {
      if (value != "flat" && value != "json") throw bad(key, value, "flat or json");
      o.persona_format = value == "json" ? PersonaFormat::json : PersonaFormat::flat;
    } else if (key == "persona_join") {
      if (value != "line" && (value.rfind("field:", 0) != 0 || value.size() == 6))
        throw bad(key, value, "line or field:NAME");
      o.persona_join = value;
    } else if (key == "path") {
      o.data_path = value;
    } else {
      throw InputError("task '" + name + "': unknown parameter '" + key +
                       "' (expected track, tier, mode, position, order, certainty, persona_format, "
                       "persona_join, path)");
    }
  }
  if (o.mode == Mode::reward && (o.both_orders || o.certainty))
    throw InputError("task '" + name + "': mode=reward scores each response alone; order=both and "
                     "certainty=1-100 apply to mode=choice only");
  return o;
}

Spec canonical_spec(const PfOptions& o) {
  Spec s;
  s.name = "personafeedback";
  s.params["track"] = joined(o.tracks, {"general", "specific"});
  s.params["tier"] = joined(o.tiers, {"easy", "medium", "hard"});
  s.params["mode"] = o.mode == Mode::reward ? "reward" : "choice";
  if (o.mode == Mode::choice) {
    s.params["position"] = o.position == Position::random ? "random"
                           : o.position == Position::alternate ? "alternate" : "stored";
    s.params["order"] = o.both_orders ? "both" : "single";
    s.params["certainty"] = o.certainty ? "1-100" : "none";
  }
  s.params["persona_format"] = o.persona_format == PersonaFormat::json ? "json" : "flat";
  s.params["persona_join"] = o.persona_join;
  if (!o.data_path.empty()) s.params["path"] = o.data_path;
  return s;
}

json options_json(const PfOptions& o) {
  json out = json(canonical_spec(o).params);
  out["protocol"] = "perseval-pairwise-v1";
  return out;
}

}  // namespace perseval::personafeedback

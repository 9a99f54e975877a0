#include "tasks/personabench/documents.h"

#include <fstream>
#include <set>

#include "harness/core/errors.h"

namespace perseval::personabench {
namespace {

ordered_json without_keys(const ordered_json& value) {
  if (value.is_object()) {
    ordered_json out = ordered_json::object();
    for (const auto& [key, item] : value.items())
      if (key != "segment_id" && key != "session") out[key] = without_keys(item);
    return out;
  }
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& item : value) out.push_back(without_keys(item));
    return out;
  }
  return value;
}

void collect_plain(const ordered_json& value, const std::string& key, std::string& out) {
  if (value.is_object()) {
    for (const auto& [k, item] : value.items()) collect_plain(item, k, out);
  } else if (value.is_array()) {
    for (const auto& item : value) collect_plain(item, key, out);
  } else if (value.is_string() && key != "time") {
    if (!out.empty()) out.push_back('\n');
    out += value.get_ref<const std::string&>();
  }
}

// Reads one person's sessions of one file and appends their chunks.
class FileReader {
 public:
  FileReader(const std::string& path, ChunkKind kind) : path_(path), kind_(kind) {}

  [[noreturn]] void fail(long long record, const std::string& name, const std::string& problem) const {
    throw InputError(input_error_message(path_, record, name, problem));
  }

  Chunk make_chunk(const ordered_json& session, long long record, const std::string& name,
                   const std::string& where) const {
    if (!session.is_object()) fail(record, name, where + ": expected a session object");
    const auto id = session.find("segment_id");
    if (id == session.end() || !id->is_string())
      fail(record, name, where + ": field 'segment_id' missing or not a string");
    Chunk c;
    c.segment_id = id->get<std::string>();
    c.kind = kind_;
    c.text = chunk_text(session);
    collect_plain(without_keys(session), "", c.plain);
    if (kind_ == ChunkKind::conversation) {
      const auto contact = session.find("target_name");
      if (contact != session.end() && contact->is_string()) c.entities.push_back(contact->get<std::string>());
    } else if (kind_ == ChunkKind::purchase) {
      const auto items = session.find("purchase_history");
      if (items != session.end() && items->is_array())
        for (const auto& item : *items)
          if (item.is_object() && item.contains("brand") && item["brand"].is_string())
            c.entities.push_back(item["brand"].get<std::string>());
    }
    return c;
  }

  // The chunks of one {Name, Data} record.
  std::vector<Chunk> person_chunks(const ordered_json& data, long long record, const std::string& name) const {
    if (!data.is_array()) fail(record, name, "field 'Data' must be an array");
    std::vector<Chunk> out;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const std::string where = "Data[" + std::to_string(i) + "]";
      if (kind_ != ChunkKind::conversation) {
        out.push_back(make_chunk(data[i], record, name, where));
        continue;
      }
      const auto& contact = data[i];
      if (!contact.is_object() || !contact.contains("Conversations") || !contact["Conversations"].is_array())
        fail(record, name, where + ": field 'Conversations' missing or not an array");
      const auto& sessions = contact["Conversations"];
      for (std::size_t j = 0; j < sessions.size(); ++j)
        out.push_back(make_chunk(sessions[j], record, name,
                                 where + ".Conversations[" + std::to_string(j) + "]"));
    }
    return out;
  }

  void read_into(std::map<std::string, std::vector<Chunk>>& by_person,
                 std::map<std::string, std::map<ChunkKind, std::vector<Chunk>>>& parts) const {
    const ordered_json root = read_json_file(path_);
    if (!root.is_array()) fail(-1, "", "expected an array of {\"Name\", \"Data\"} records");
    for (std::size_t r = 0; r < root.size(); ++r) {
      const auto& rec = root[r];
      const long long record = static_cast<long long>(r);
      if (!rec.is_object() || !rec.contains("Name") || !rec["Name"].is_string())
        fail(record, "", "field 'Name' missing or not a string");
      const std::string name = rec["Name"].get<std::string>();
      if (!rec.contains("Data")) fail(record, name, "field 'Data' missing");
      parts[name][kind_] = person_chunks(rec["Data"], record, name);
      by_person[name];  // present in at least one file
    }
  }

 private:
  std::string path_;
  ChunkKind kind_;
};

}  // namespace

std::string chunk_text(const ordered_json& session) {
  return python_json_dumps_compact(without_keys(session));
}

ordered_json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(input_error_message(path, -1, "", "cannot be read"));
  try {
    return ordered_json::parse(in);
  } catch (const ordered_json::exception& e) {  // parse_error, or out_of_range for a number overflow
    throw InputError(input_error_message(path, -1, "", std::string("not valid JSON (") + e.what() + ")"));
  }
}

std::map<std::string, std::vector<Chunk>> load_community_chunks(const DocumentFiles& files) {
  std::map<std::string, std::vector<Chunk>> by_person;
  std::map<std::string, std::map<ChunkKind, std::vector<Chunk>>> parts;
  FileReader(files.conversations, ChunkKind::conversation).read_into(by_person, parts);
  FileReader(files.user_ai, ChunkKind::user_ai).read_into(by_person, parts);
  FileReader(files.purchases, ChunkKind::purchase).read_into(by_person, parts);
  for (auto& [name, chunks] : by_person)
    for (ChunkKind kind : {ChunkKind::conversation, ChunkKind::user_ai, ChunkKind::purchase}) {
      auto& part = parts[name][kind];
      for (auto& c : part) chunks.push_back(std::move(c));
    }
  return by_person;
}

}  // namespace perseval::personabench

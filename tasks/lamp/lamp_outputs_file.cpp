#include "tasks/lamp/lamp_outputs_file.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "harness/core/errors.h"

namespace perseval::lamp {

using json = nlohmann::json;

std::string short_json_error(const char* what) {
  std::string message = what;
  if (!message.empty() && message.front() == '[') {
    const size_t close = message.find("] ");
    if (close != std::string::npos) message = message.substr(close + 2);
  }
  return message;
}

namespace {

const char* type_name(const json& value) { return value.type_name(); }

}  // namespace

std::vector<OutputRecord> read_outputs_file(const std::string& path,
                                            const OutputsFileOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(input_error_message(path, -1, "", "cannot be read"));
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw InputError(input_error_message(
        path, -1, "",
        "invalid JSON at byte " + std::to_string(e.byte) + ": " + short_json_error(e.what())));
  } catch (const json::out_of_range& e) {  // a number beyond double's range
    throw InputError(input_error_message(path, -1, "", "invalid JSON: " + short_json_error(e.what())));
  }
  auto fail = [&](long long record, const std::string& id, const std::string& problem) {
    throw InputError(input_error_message(path, record, id, problem));
  };
  if (!doc.is_object())
    fail(-1, "", std::string("expected an object {\"task\", \"golds\"}, found ") + type_name(doc));
  const auto task = doc.find("task");
  if (task == doc.end()) fail(-1, "", "missing field \"task\" (expected string)");
  if (!task->is_string())
    fail(-1, "", std::string("field \"task\": expected string, found ") + type_name(*task));
  if (!options.expected_task.empty() && task->get<std::string>() != options.expected_task)
    fail(-1, "", "wrong task: expected \"" + options.expected_task + "\", found \"" +
                     task->get<std::string>() + "\"");
  const auto golds = doc.find("golds");
  if (golds == doc.end()) fail(-1, "", "missing field \"golds\" (expected array)");
  if (!golds->is_array())
    fail(-1, "", std::string("field \"golds\": expected array, found ") + type_name(*golds));

  std::vector<OutputRecord> out;
  out.reserve(golds->size());
  long long index = 0;
  for (auto& record : *golds) {
    if (!record.is_object())
      fail(index, "", std::string("expected an object, found ") + type_name(record));
    const auto id = record.find("id");
    if (id == record.end()) fail(index, "", "missing field \"id\" (expected string)");
    if (!id->is_string())
      fail(index, "", std::string("field \"id\": expected string, found ") + type_name(*id));
    const std::string id_text = id->get<std::string>();
    const auto output = record.find("output");
    if (output == record.end()) fail(index, id_text, "missing field \"output\" (expected string)");
    std::string output_text;
    if (output->is_string()) {
      output_text = output->get<std::string>();
    } else if (options.allow_number_outputs && output->is_number()) {
      output_text = output->dump();  // Python str() of an int/float, as upstream's str(x)
    } else {
      fail(index, id_text,
           std::string("field \"output\": expected string, found ") + type_name(*output));
    }
    out.push_back({id_text, std::move(output_text)});
    ++index;
  }
  return out;
}

}  // namespace perseval::lamp

#include "harness/cache/request_key.h"

#include "harness/core/sha256.h"
#include "harness/runner/run_identity.h"

namespace perseval {

std::string canonical_request(const ModelInfo& model, const Request& request) {
  json messages = json::array();
  for (const auto& m : request.messages) messages.push_back({{"role", m.role}, {"content", m.content}});
  const json canonical{{"v", 1},
                       {"backend", model.backend},
                       {"model", model.identity},
                       {"messages", messages},
                       {"gen", gen_config_json(request.gen)},
                       {"epoch", request.epoch}};
  return canonical.dump();
}

std::string request_key(const ModelInfo& model, const Request& request) {
  return sha256_hex(canonical_request(model, request));
}

}  // namespace perseval

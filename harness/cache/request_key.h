// The request-cache key: SHA-256 of the canonical form of everything that determines a
// model's answer.
#pragma once

#include <string>

#include "harness/core/model.h"

namespace perseval {

// The canonical JSON text of a request as the cache sees it: model backend and identity
// (which holds the endpoint's model name and any generation overrides), messages,
// generation config and the sample epoch (the repetition index when a sample is asked
// several times). Keys are sorted, so equal requests give equal text on every platform.
// Sample ids, seeds of the harness and reference hints are deliberately left out: two
// samples with the same prompt get the same answer.
// The epoch is Request::epoch.
std::string canonical_request(const ModelInfo& model, const Request& request);

// SHA-256 hex of canonical_request(...).
std::string request_key(const ModelInfo& model, const Request& request);

}  // namespace perseval

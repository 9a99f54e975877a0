// A PersonaBench user's private documents as retrieval chunks, one per session, exactly as
// the official create_vector_base builds them (personabench.md §3 step 1).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tasks/personabench/python_format.h"

namespace perseval::personabench {

// Which document file a chunk came from.
enum class ChunkKind { conversation, user_ai, purchase };

// One retrievable session of one user.
struct Chunk {
  std::string segment_id;
  ChunkKind kind = ChunkKind::conversation;
  // The official chunk: the session object without its "segment_id" and "session" keys (at
  // every depth), as Python's json.dumps(..., separators=(",", ":")) with ensure_ascii.
  std::string text;
  // The session's string values except "time", newline-joined, decoded (no \u escapes):
  // what BM25 indexes and what the nearest-chunk baseline answers with.
  std::string plain;
  // Names a model could answer with: the contact of a conversation session, the brands of a
  // purchase session (offline baselines only).
  std::vector<std::string> entities;
};

// The three *_all.json files of one community at one noise level.
struct DocumentFiles {
  std::string conversations;  // conversation_data_all.json
  std::string user_ai;        // user_ai_interaction_data_all.json
  std::string purchases;      // purchase_history_data_all.json
};

// The official chunk text of one session object (see Chunk::text).
std::string chunk_text(const ordered_json& session);

// Every person's chunks in the official order: conversations (contacts in file order,
// sessions in order), then user–AI sessions, then purchase sessions. A person missing from
// a file has no documents of that kind; a person present in none is absent from the map.
// Throws InputError naming the file, the record (index and Name) and the field on a
// malformed file (not JSON, not an array of {Name, Data}, a session without a string
// segment_id, ...). A repeated Name keeps the last record, as the official dict lookup does.
std::map<std::string, std::vector<Chunk>> load_community_chunks(const DocumentFiles& files);

// Reads and parses a JSON file keeping key order. Throws InputError naming the file when it
// cannot be read or is not JSON.
ordered_json read_json_file(const std::string& path);

}  // namespace perseval::personabench

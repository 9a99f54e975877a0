// Stable, platform-independent hashes for seeds, prompt hashes and fingerprints.
// Not cryptographic: they identify content, they do not protect it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace perseval {

// 64-bit FNV-1a of `data`, continuing from `state` (pass the result back in to chain).
uint64_t fnv1a64(std::string_view data, uint64_t state = 0xcbf29ce484222325ULL);

// SplitMix64 finaliser: turns a weak 64-bit value into a well-mixed one.
uint64_t mix64(uint64_t x);

// The per-sample seed: hash(run seed, sample id). Independent of thread count and timing.
uint64_t sample_seed(uint64_t run_seed, std::string_view sample_id);

// Lower-case hex of a 64-bit value, 16 characters.
std::string hex64(uint64_t value);

// Fingerprint of a file's bytes ("fnv1a64:<hex>"), streaming, so large files are fine.
// Throws std::runtime_error naming the file when it cannot be read.
std::string file_fingerprint(const std::string& path);

}  // namespace perseval

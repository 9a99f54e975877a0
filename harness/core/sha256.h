// SHA-256 (FIPS 180-4), for request-cache keys and dataset checksums.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace perseval {

// Incremental SHA-256. Not thread-safe; one object per digest.
class Sha256 {
 public:
  Sha256();
  // Feeds more bytes.
  void update(std::string_view data);
  // Finishes and returns the 32-byte digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> digest();
  // Finishes and returns the digest as 64 lower-case hex characters.
  std::string hex_digest();

 private:
  void compress(const uint8_t* block);
  uint32_t h_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// SHA-256 of `data` as lower-case hex.
std::string sha256_hex(std::string_view data);

// SHA-256 of a file's bytes as lower-case hex, streaming. Throws std::runtime_error naming
// the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace perseval

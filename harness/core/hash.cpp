#include "harness/core/hash.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace perseval {

uint64_t fnv1a64(std::string_view data, uint64_t state) {
  for (unsigned char c : data) {
    state ^= c;
    state *= 0x100000001b3ULL;
  }
  return state;
}

uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t sample_seed(uint64_t run_seed, std::string_view sample_id) {
  return mix64(fnv1a64(sample_id) ^ mix64(run_seed));
}

std::string hex64(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string file_fingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::vector<char> buf(1 << 16);
  uint64_t h = fnv1a64("");
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h = fnv1a64(std::string_view(buf.data(), static_cast<size_t>(in.gcount())), h);
  }
  return "fnv1a64:" + hex64(h);
}

}  // namespace perseval

#include "harness/datasets/path_guard.h"

#include <string_view>

#include "harness/core/errors.h"

namespace perseval {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// True when `inner` equals `outer` or lies below it; both must be normalised already.
bool is_within(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator yields one empty element
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

}  // namespace

std::string destination_problem(const std::string& relative) {
  if (relative.empty()) return "the path is empty";
  if (relative.size() > 1024) return "the path is longer than 1024 characters";
  if (relative.find('\0') != std::string::npos) return "the path contains a NUL character";
  if (relative.find('\\') != std::string::npos) return "the path contains a backslash (use '/')";
  if (relative.front() == '/') return "the path is absolute; it must be relative to the data directory";
  size_t start = 0;
  std::string_view last;
  while (true) {
    const size_t slash = relative.find('/', start);
    const std::string_view part =
        std::string_view(relative).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty()) return "the path has an empty component ('//' or a trailing '/')";
    if (part == "..") return "the path has a '..' component";
    if (part == ".") return "the path has a '.' component";
    last = part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  // These names belong to the downloader: a manifest file called like them would be
  // overwritten by (or overwrite) the lock file or another file's partial download.
  if (last.rfind(".perseval-datasets", 0) == 0) return "the file name is reserved for perseval's lock file";
  if (ends_with(last, ".part") || ends_with(last, ".rejected"))
    return "the file name ends in .part or .rejected, which the downloader reserves";
  return {};
}

std::filesystem::path resolve_inside(const std::filesystem::path& dir, const std::string& relative) {
  if (auto problem = destination_problem(relative); !problem.empty())
    throw InputError("destination '" + relative + "': " + problem);
  const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(dir));
  const auto full = std::filesystem::weakly_canonical(root / relative);
  if (!is_within(root, full) || full == root)
    throw InputError("destination '" + relative + "' resolves to " + full.string() + ", outside " +
                     root.string() + " (a symlink on the way?)");
  return full;
}

}  // namespace perseval

// Keeps every file a manifest names inside the data directory. A manifest is data from
// somewhere else (a shipped file, a user's mirror), so a destination like "../x" or
// "/etc/x" must never turn into a write outside the directory the user chose.
#pragma once

#include <filesystem>
#include <string>

namespace perseval {

// Returns an empty string when `relative` is an acceptable destination, otherwise the reason
// it is not: empty, absolute, a backslash or NUL, an empty/"."/".." component, or a name the
// downloader reserves for itself (the lock file, "*.part", "*.rejected"). Purely lexical.
std::string destination_problem(const std::string& relative);

// The absolute path of `relative` inside `dir`, after the lexical check above and after
// resolving any symlinks that already exist on the way (a symlink inside `dir` pointing
// elsewhere is rejected too). Throws InputError naming the path and the reason otherwise.
// `dir` need not exist yet.
std::filesystem::path resolve_inside(const std::filesystem::path& dir, const std::string& relative);

}  // namespace perseval

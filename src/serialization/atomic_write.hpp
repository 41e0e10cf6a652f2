// Replacing a file atomically: write a temporary file in the same directory, fsync it, then
// rename it over the target. A failure at any step removes the temporary file and leaves the
// old target untouched.
#pragma once

#include <string>

namespace xkeras::serialization {

/// Throws IOError naming `path` and the failing step.
void atomic_write(const std::string& path, const std::string& data);

/// Reads a whole regular file (at most kMaxFileBytes); IOError naming `path` otherwise.
std::string read_file(const std::string& path);

}  // namespace xkeras::serialization

// Replacing a file atomically, as a careful editor saves: write an unnamed temporary file
// (O_TMPFILE) in the target's directory, fsync it, name it and rename it over the target. A kill
// while writing leaves no temporary file; a failure at any step removes it and leaves the old
// target untouched. A symlink is written through (the link stays), the replaced file's permissions
// and owner are kept, and the temporary name is short whatever the target's name.
#pragma once

#include <string>

namespace xkeras::saving {

/// Throws IOError naming `path` and the failing step.
void atomic_write(const std::string& path, const std::string& data);

/// Reads a whole regular file (at most kMaxFileBytes); IOError naming `path` otherwise.
std::string read_file(const std::string& path);

}  // namespace xkeras::saving

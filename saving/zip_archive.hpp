// ZIP archives through libzip, for Keras 3's .keras files. Read from a bounded in-memory copy with
// libzip's consistency checks on; a member's declared size is checked against a limit and against its
// compressed size (deflate cannot expand more than 1032:1) before it is inflated, and libzip checks
// the CRC. Written members are stored, not deflated, as Python's zipfile writes them for Keras.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace xkeras::saving::zip {

/// The members of an archive, read lazily.
class Reader {
 public:
  /// `bytes` is the whole archive; `source` names it in errors. ConfigError if it is not a ZIP.
  Reader(std::string bytes, std::string source);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// Member names, in the archive's order.
  const std::vector<std::string>& names() const { return names_; }
  bool has(const std::string& name) const;
  /// The whole member, at most `max_bytes` uncompressed. ConfigError naming the member otherwise.
  std::string read(const std::string& name, std::size_t max_bytes) const;

 private:
  std::string bytes_, source_;
  void* archive_ = nullptr;  // zip_t*
  std::vector<std::string> names_;
};

/// An archive holding `members` (name, bytes) in this order, every member stored.
std::string write(const std::vector<std::pair<std::string, std::string>>& members);

/// True when `bytes` start with a ZIP local-file signature ("PK\3\4").
bool looks_like_zip(const std::string& bytes);

}  // namespace xkeras::saving::zip

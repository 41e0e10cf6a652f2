// ZIP archives through libzip (zip_archive.hpp), entirely in memory.
#include "saving/zip_archive.hpp"

#include <zip.h>

#include <cstring>

#include "xkeras/errors.hpp"

namespace xkeras::saving::zip {

namespace {

constexpr zip_int64_t kMaxMembers = 100000;
// Deflate cannot expand data more than 1032:1; a member declaring more is lying, or a bomb.
constexpr zip_uint64_t kMaxDeflateRatio = 1032;

std::string error_text(zip_error_t* e) {
  std::string s = zip_error_strerror(e);
  zip_error_fini(e);
  return s;
}

zip_t* handle(void* p) { return static_cast<zip_t*>(p); }

}  // namespace

bool looks_like_zip(const std::string& bytes) { return bytes.size() >= 4 && std::memcmp(bytes.data(), "PK\3\4", 4) == 0; }

Reader::Reader(std::string bytes, std::string source) : bytes_(std::move(bytes)), source_(std::move(source)) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &err);
  if (!src) throw ConfigError(source_, "cannot read the archive: " + error_text(&err));
  // ZIP_CHECKCONS: libzip cross-checks the central directory against the local headers.
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!za) {
    zip_source_free(src);
    throw ConfigError(source_, "not a readable ZIP archive (" + error_text(&err) + ")");
  }
  archive_ = za;
  const zip_int64_t n = zip_get_num_entries(za, 0);
  if (n < 0 || n > kMaxMembers) {
    zip_discard(za);
    archive_ = nullptr;
    throw ConfigError(source_, "the archive lists " + std::to_string(n) + " members, more than xkeras reads");
  }
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(za, zip_uint64_t(i), ZIP_FL_ENC_GUESS);
    names_.emplace_back(name ? name : "");
  }
}

Reader::~Reader() {
  if (archive_) zip_discard(handle(archive_));
}

bool Reader::has(const std::string& name) const { return zip_name_locate(handle(archive_), name.c_str(), 0) >= 0; }

std::string Reader::read(const std::string& name, std::size_t max_bytes) const {
  const std::string where = source_ + ": member \"" + name + "\"";
  const zip_int64_t index = zip_name_locate(handle(archive_), name.c_str(), 0);
  if (index < 0) throw ConfigError(where, "expected this member in the archive, but it has none");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(handle(archive_), zip_uint64_t(index), 0, &st) != 0 ||
      !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE) || !(st.valid & ZIP_STAT_COMP_METHOD))
    throw ConfigError(where, "unreadable member header");
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    throw ConfigError(where, "the member is encrypted; xkeras reads only unencrypted archives");
  if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
    throw ConfigError(where, "expected a stored or deflated member, got compression method " + std::to_string(st.comp_method));
  if (st.size > max_bytes)
    throw ConfigError(where, "the member declares " + std::to_string(st.size) + " bytes, more than the " +
                                 std::to_string(max_bytes) + " xkeras reads here");
  const zip_uint64_t most = st.comp_method == ZIP_CM_STORE ? st.comp_size : st.comp_size * kMaxDeflateRatio;
  if (st.size > most)
    throw ConfigError(where, "the member declares " + std::to_string(st.size) + " bytes from " +
                                 std::to_string(st.comp_size) + " stored bytes, more than its compression can give");
  zip_file_t* f = zip_fopen_index(handle(archive_), zip_uint64_t(index), 0);
  if (!f) throw ConfigError(where, std::string("cannot open the member: ") + zip_strerror(handle(archive_)));
  std::string out(std::size_t(st.size), '\0');
  std::size_t got = 0;
  bool bad = false;
  while (got < out.size()) {
    const zip_int64_t r = zip_fread(f, out.data() + got, out.size() - got);
    if (r <= 0) { bad = true; break; }
    got += std::size_t(r);
  }
  char extra;
  // The CRC is checked when the end is read: one more read must report the end, not data or an error.
  if (!bad && zip_fread(f, &extra, 1) != 0) bad = true;
  std::string why = bad ? zip_file_strerror(f) : "";
  zip_fclose(f);
  if (bad) throw ConfigError(where, "the member's data is damaged or shorter than declared (" + why + ")");
  return out;
}

std::string write(const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!buffer) throw IOError("cannot create a ZIP archive in memory: " + error_text(&err));
  zip_t* za = zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(buffer);
    throw IOError("cannot create a ZIP archive in memory: " + error_text(&err));
  }
  zip_source_keep(buffer);  // it outlives zip_close: it holds the result
  auto give_up = [&](const std::string& what) {
    const std::string why = zip_strerror(za);
    zip_discard(za);
    zip_source_free(buffer);
    throw IOError("cannot write the ZIP archive (" + what + "): " + why);
  };
  for (const auto& [name, data] : members) {
    zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
    if (!s) give_up(name);
    const zip_int64_t index = zip_file_add(za, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(s);
      give_up(name);
    }
    if (zip_set_file_compression(za, zip_uint64_t(index), ZIP_CM_STORE, 0) != 0) give_up(name);
  }
  if (zip_close(za) != 0) give_up("closing");
  std::string out;
  if (zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    throw IOError("cannot read back the ZIP archive written in memory");
  }
  zip_source_seek(buffer, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  if (size > 0) {
    out.resize(std::size_t(size));
    if (zip_source_read(buffer, out.data(), zip_uint64_t(size)) != size) out.clear();
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (out.empty()) throw IOError("cannot read back the ZIP archive written in memory");
  return out;
}

}  // namespace xkeras::saving::zip

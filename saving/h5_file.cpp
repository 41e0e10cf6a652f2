// Opening HDF5 files from memory and reading groups, attributes and datasets (h5_file.hpp). Writing is
// in h5_write.cpp. Every entry point takes the HDF5 lock; every size comes from the file and is checked
// before it is used.
#include "saving/h5_file.hpp"

#include <H5PLpublic.h>

#include <cstring>

#include "saving/h5_internal.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::h5 {

namespace {

constexpr std::size_t kMaxNameBytes = 1 << 16;
constexpr std::size_t kMaxAttrBytes = std::size_t(1) << 26;  // legacy layer_names of huge models fit many times
herr_t collect_reason(unsigned n, const H5E_error2_t* err, void* out) {
  // Walked upward: the first entry is the innermost, most specific one.
  if (n == 0 && err && err->desc) *static_cast<std::string*>(out) = err->desc;
  return 0;
}

// The link `name` of `loc` must exist and be a hard link to an object of `type`.
bool is_hard_link_to(hid_t loc, const std::string& name, H5O_type_t type) {
  if (name.empty() || name.find('/') != std::string::npos) return false;
  if (H5Lexists(loc, name.c_str(), H5P_DEFAULT) <= 0) return false;
  H5L_info_t link;
  if (H5Lget_info(loc, name.c_str(), &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(loc, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == type;
}

}  // namespace

std::vector<std::string> read_strings(hid_t attr, const std::string& source, const std::string& where) {
  Handle type(H5Aget_type(attr), H5Tclose), space(H5Aget_space(attr), H5Sclose);
  if (!type.valid() || !space.valid()) fail(source, where, "unreadable attribute", true);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (rank < 0 || rank > 1 || count < 0 || std::size_t(count) > kMaxChildren)
    fail(source, where, "expected a string or a list of strings, got an attribute of rank " + std::to_string(rank));
  // tf.keras writes an empty list (weight_names of a layer without weights) as an empty float64 array.
  if (count == 0) return {};
  if (H5Tget_class(type.get()) != H5T_STRING)
    fail(source, where, "expected a string attribute, got another type (HDF5 class " +
                            std::to_string(int(H5Tget_class(type.get()))) + ")");
  const std::size_t n = std::size_t(count);
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    std::vector<char*> ptrs(n, nullptr);
    if (H5Aread(attr, mem.get(), ptrs.data()) < 0) fail(source, where, "cannot read the string attribute", true);
    std::size_t total = 0;
    for (char* p : ptrs) {
      const std::size_t len = p ? std::strlen(p) : 0;
      total += len;
      if (total <= kMaxAttrBytes) out.emplace_back(p ? p : "", len);
    }
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
    if (total > kMaxAttrBytes) fail(source, where, "the attribute holds more than 64 MiB of text");
    return out;
  }
  const std::size_t width = H5Tget_size(type.get());
  if (width == 0 || width > kMaxAttrBytes || n > kMaxAttrBytes / width)
    fail(source, where, "the attribute holds more than 64 MiB of text");
  std::string buf(n * width, '\0');
  // Reading with the file's own fixed-length type copies the bytes as stored.
  if (H5Aread(attr, type.get(), buf.data()) < 0) fail(source, where, "cannot read the string attribute", true);
  const bool space_pad = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s(buf.data() + i * width, width);
    const std::size_t nul = s.find('\0');
    if (nul != std::string::npos) s.resize(nul);
    if (space_pad) s.erase(s.find_last_not_of(' ') + 1);
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

std::shared_ptr<Object> open_in(const Object& parent, const std::string& name, const std::string& path) {
  auto obj = std::make_shared<Object>();
  obj->handle = Handle(H5Gopen2(parent.id(), name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!obj->handle.valid()) fail(parent.source, path, "cannot open the group", true);
  obj->source = parent.source;
  return obj;
}

}  // namespace

std::recursive_mutex& lock() {
  static std::recursive_mutex m;
  static std::once_flag once;
  std::call_once(once, [] {
    std::lock_guard<std::recursive_mutex> g(m);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5PLset_loading_state(0);
  });
  return m;
}

std::string reason() {
  std::string out;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_reason, &out);
  H5Eclear2(H5E_DEFAULT);
  return out;
}

void fail(const std::string& source, const std::string& path, const std::string& message, bool with_reason) {
  std::string m = message;
  if (with_reason) {
    const std::string r = reason();
    if (!r.empty()) m += " (HDF5: " + r + ")";
  }
  throw ConfigError(source + ": " + path, m);
}

std::string child_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

const std::string& Group::source() const { return obj_->source; }

std::vector<std::string> Group::children() const {
  Guard g(lock());
  H5G_info_t info;
  if (H5Gget_info(obj_->id(), &info) < 0) fail(source(), path_, "cannot list the group", true);
  if (info.nlinks > kMaxChildren)
    fail(source(), path_, "the group has " + std::to_string(info.nlinks) + " members, more than xkeras reads");
  std::vector<std::string> out;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len = H5Lget_name_by_idx(obj_->id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0 || std::size_t(len) > kMaxNameBytes) fail(source(), path_, "cannot read a member's name", true);
    std::string name(std::size_t(len) + 1, '\0');
    H5Lget_name_by_idx(obj_->id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(std::size_t(len));
    out.push_back(std::move(name));
  }
  return out;
}

bool Group::has_group(const std::string& name) const {
  Guard g(lock());
  std::shared_ptr<Object> at = obj_;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = name.find('/', start);
    const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!is_hard_link_to(at->id(), part, H5O_TYPE_GROUP)) { H5Eclear2(H5E_DEFAULT); return false; }
    if (slash == std::string::npos) return true;
    at = open_in(*at, part, path_);
    start = slash + 1;
  }
}

bool Group::has_dataset(const std::string& name) const {
  Guard g(lock());
  const bool yes = is_hard_link_to(obj_->id(), name, H5O_TYPE_DATASET);
  H5Eclear2(H5E_DEFAULT);
  return yes;
}

Group Group::group(const std::string& name) const {
  Guard g(lock());
  std::shared_ptr<Object> at = obj_;
  std::string path = path_;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = name.find('/', start);
    const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const std::string next = child_path(path, part);
    if (!is_hard_link_to(at->id(), part, H5O_TYPE_GROUP)) {
      H5Eclear2(H5E_DEFAULT);
      fail(source(), next, "expected a group here, but the file has none (or a link to elsewhere)");
    }
    auto child = open_in(*at, part, next);
    child->file = obj_->file ? obj_->file : obj_;
    at = child;
    path = next;
    if (slash == std::string::npos) return Group(at, path);
    start = slash + 1;
  }
}

bool Group::has_attr(const std::string& name) const {
  Guard g(lock());
  const htri_t yes = H5Aexists(obj_->id(), name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return yes > 0;
}

std::vector<std::string> Group::attr_strings(const std::string& name) const {
  Guard g(lock());
  const std::string where = path_ + " attribute \"" + name + "\"";
  if (H5Aexists(obj_->id(), name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    fail(source(), where, "expected this attribute, but the file has none");
  }
  Handle attr(H5Aopen(obj_->id(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) fail(source(), where, "cannot open the attribute", true);
  return read_strings(attr.get(), source(), where);
}

std::string Group::attr_string(const std::string& name) const {
  auto v = attr_strings(name);
  if (v.size() != 1)
    fail(source(), path_ + " attribute \"" + name + "\"", "expected one string, got " + std::to_string(v.size()));
  return std::move(v[0]);
}

}  // namespace xkeras::saving::h5

// Writing HDF5 files in memory (h5_file.hpp): the types and layouts h5py gives the same Python values,
// so that what Keras writes and what we write look alike to every reader: contiguous little-endian
// datasets, str as variable-length UTF-8, bytes and numpy "S" arrays as fixed-length null-padded ASCII.
#include <atomic>
#include <vector>

#include "saving/h5_file.hpp"
#include "saving/h5_internal.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::h5 {

namespace {

std::string new_name() {
  static std::atomic<unsigned long long> counter{0};
  return "xkeras-new-" + std::to_string(++counter);
}

Handle simple_space(const Shape& shape) {
  if (shape.empty()) return Handle(H5Screate(H5S_SCALAR), H5Sclose);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
}

void check(herr_t status, const std::string& source, const std::string& path, const char* what) {
  if (status < 0) fail(source, path, std::string("cannot write ") + what, true);
}

// An attribute `name` of `obj` with `type` and `space`, replacing one of the same name.
Handle new_attribute(hid_t obj, const std::string& name, hid_t type, hid_t space, const std::string& source,
                     const std::string& path) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) fail(source, path + " attribute \"" + name + "\"", "cannot create the attribute", true);
  return attr;
}

Handle fixed_string_type(std::size_t width) {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.get(), width == 0 ? 1 : width);  // HDF5 has no zero-width strings; numpy's b"" is "S1"
  H5Tset_strpad(t.get(), H5T_STR_NULLPAD);
  H5Tset_cset(t.get(), H5T_CSET_ASCII);
  return t;
}

}  // namespace

File File::create(const std::string& source) {
  Guard g(lock());
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 20, 0) < 0) fail(source, "/", "cannot prepare a file in memory", true);
  auto obj = std::make_shared<Object>();
  obj->handle = Handle(H5Fcreate(new_name().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose);
  if (!obj->handle.valid()) fail(source, "/", "cannot create a file in memory", true);
  obj->source = source;
  return File(obj, "/");
}

std::string File::image() const {
  Guard g(lock());
  if (H5Fflush(obj_->id(), H5F_SCOPE_GLOBAL) < 0) fail(source(), "/", "cannot flush the file", true);
  const ssize_t n = H5Fget_file_image(obj_->id(), nullptr, 0);
  if (n < 0) fail(source(), "/", "cannot read the file's image", true);
  std::string out(std::size_t(n), '\0');
  if (H5Fget_file_image(obj_->id(), out.data(), out.size()) != n) fail(source(), "/", "cannot read the file's image", true);
  return out;
}

Group Group::create_group(const std::string& name) {
  Guard g(lock());
  std::shared_ptr<Object> at = obj_;
  std::string path = path_;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = name.find('/', start);
    const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty()) fail(source(), path, "cannot create a group with an empty name (\"" + name + "\")");
    path = child_path(path, part);
    auto child = std::make_shared<Object>();
    const bool exists = H5Lexists(at->id(), part.c_str(), H5P_DEFAULT) > 0;
    H5Eclear2(H5E_DEFAULT);
    child->handle = exists ? Handle(H5Gopen2(at->id(), part.c_str(), H5P_DEFAULT), H5Gclose)
                           : Handle(H5Gcreate2(at->id(), part.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (!child->handle.valid()) fail(source(), path, "cannot create the group", true);
    child->source = source();
    child->file = obj_->file ? obj_->file : obj_;
    at = child;
    if (slash == std::string::npos) return Group(at, path);
    start = slash + 1;
  }
}

void Group::write_floats(const std::string& name, const Shape& shape, const float* data) {
  Guard g(lock());
  const std::string where = child_path(path_, name);
  Handle space = simple_space(shape);
  Handle d(H5Dcreate2(obj_->id(), name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Dclose);
  if (!d.valid()) fail(source(), where, "cannot create the dataset", true);
  if (shape_size(shape) != 0)
    check(H5Dwrite(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), source(), where, "the values");
}

void Group::write_ints(const std::string& name, const Shape& shape, const std::int64_t* data) {
  Guard g(lock());
  const std::string where = child_path(path_, name);
  Handle space = simple_space(shape);
  Handle d(H5Dcreate2(obj_->id(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Dclose);
  if (!d.valid()) fail(source(), where, "cannot create the dataset", true);
  if (shape_size(shape) != 0)
    check(H5Dwrite(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), source(), where, "the values");
}

void Group::set_attr_string(const std::string& name, const std::string& value) {
  Guard g(lock());
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = new_attribute(obj_->id(), name, type.get(), space.get(), source(), path_);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), source(), path_, "a string attribute");
}

void Group::set_attr_bytes(const std::string& name, const std::string& value) {
  Guard g(lock());
  Handle type = fixed_string_type(value.size());
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr = new_attribute(obj_->id(), name, type.get(), space.get(), source(), path_);
  std::string buf = value;
  if (buf.empty()) buf.push_back('\0');
  check(H5Awrite(attr.get(), type.get(), buf.data()), source(), path_, "a string attribute");
}

void Group::set_attr_strings(const std::string& name, const std::vector<std::string>& values) {
  Guard g(lock());
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  if (values.empty()) {
    // What h5py makes of an empty Python list (numpy gives it float64): tf.keras's weight_names of a
    // layer without weights.
    Handle attr = new_attribute(obj_->id(), name, H5T_IEEE_F64LE, space.get(), source(), path_);
    return;
  }
  std::size_t width = 1;
  for (const auto& v : values) width = std::max(width, v.size());
  Handle type = fixed_string_type(width);
  std::string buf(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) buf.replace(i * width, values[i].size(), values[i]);
  Handle attr = new_attribute(obj_->id(), name, type.get(), space.get(), source(), path_);
  check(H5Awrite(attr.get(), type.get(), buf.data()), source(), path_, "a list of strings");
}

}  // namespace xkeras::saving::h5

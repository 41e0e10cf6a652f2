// Opening an HDF5 image, and reading datasets: the header first (shape, type, layout), checked
// against what the file really stores, then the values converted by HDF5 into the caller's buffer.
#include <atomic>
#include <cstring>

#include "saving/atomic_write.hpp"
#include "saving/h5_file.hpp"
#include "saving/h5_internal.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::h5 {

namespace {

constexpr std::size_t kMaxRank = 16;
constexpr std::size_t kMaxElements = std::size_t(1) << 31;
// Deflate cannot expand data more than 1032:1; shuffle and fletcher32 do not expand it.
constexpr std::size_t kMaxFilterRatio = 1032;

std::string image_name() {
  // HDF5 identifies open files by name: two images open at once must not share one.
  static std::atomic<unsigned long long> counter{0};
  return "xkeras-image-" + std::to_string(++counter);
}

}  // namespace

OpenDataset open_dataset(const Object& obj, const std::string& name, const std::string& path) {
  OpenDataset d;
  H5L_info_t link;
  if (name.empty() || name.find('/') != std::string::npos || H5Lexists(obj.id(), name.c_str(), H5P_DEFAULT) <= 0 ||
      H5Lget_info(obj.id(), name.c_str(), &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD) {
    H5Eclear2(H5E_DEFAULT);
    fail(obj.source, path, "expected a dataset here, but the file has none (or a link to elsewhere)");
  }
  d.dset = Handle(H5Dopen2(obj.id(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.dset.valid()) fail(obj.source, path, "expected a dataset here, but it cannot be opened as one", true);
  d.type = Handle(H5Dget_type(d.dset.get()), H5Tclose);
  d.space = Handle(H5Dget_space(d.dset.get()), H5Sclose);
  if (!d.type.valid() || !d.space.valid()) fail(obj.source, path, "unreadable dataset header", true);

  const H5S_class_t sclass = H5Sget_simple_extent_type(d.space.get());
  const int rank = H5Sget_simple_extent_ndims(d.space.get());
  if ((sclass != H5S_SCALAR && sclass != H5S_SIMPLE) || rank < 0 || std::size_t(rank) > kMaxRank)
    fail(obj.source, path, "expected an array of at most 16 dimensions");
  hsize_t dims[kMaxRank] = {};
  H5Sget_simple_extent_dims(d.space.get(), dims, nullptr);
  std::size_t n = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] > kMaxElements || (dims[i] != 0 && n > kMaxElements / dims[i]))
      fail(obj.source, path, "the dataset declares more than 2^31 values");
    n *= dims[i];
    d.info.shape.push_back(std::size_t(dims[i]));
  }

  const H5T_class_t tclass = H5Tget_class(d.type.get());
  d.info.elem_bytes = H5Tget_size(d.type.get());
  if ((tclass != H5T_FLOAT && tclass != H5T_INTEGER) || d.info.elem_bytes == 0 || d.info.elem_bytes > 8)
    fail(obj.source, path, "expected numbers (an HDF5 float or integer of at most 8 bytes), got another type");
  d.info.is_float = tclass == H5T_FLOAT;
  H5Eclear2(H5E_DEFAULT);

  // The layout must keep the values inside this file, and the file must store them.
  Handle dcpl(H5Dget_create_plist(d.dset.get()), H5Pclose);
  if (!dcpl.valid()) fail(obj.source, path, "unreadable dataset layout", true);
  const H5D_layout_t layout = H5Pget_layout(dcpl.get());
  if (layout != H5D_COMPACT && layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED)
    fail(obj.source, path, "the dataset's values are stored outside this file (a virtual dataset); xkeras reads only "
                           "values stored in the file");
  if (H5Pget_external_count(dcpl.get()) != 0)
    fail(obj.source, path, "the dataset's values are stored in external files; xkeras reads only values stored in the file");
  const int filters = H5Pget_nfilters(dcpl.get());
  const std::size_t need = n * d.info.elem_bytes;
  const std::size_t stored = std::size_t(H5Dget_storage_size(d.dset.get()));
  const bool ok = filters == 0 ? stored >= need : stored >= need / kMaxFilterRatio + (need % kMaxFilterRatio != 0);
  if (n != 0 && !ok)
    fail(obj.source, path, "the dataset declares " + std::to_string(need) + " bytes of values but the file stores " +
                               std::to_string(stored) + (filters ? " compressed bytes, more than deflate can expand" : ""));
  return d;
}

namespace {

std::string dataset_path(const std::string& group, const std::string& name) { return child_path(group, name); }

}  // namespace

DatasetInfo Group::dataset_info(const std::string& name) const {
  Guard g(lock());
  DatasetInfo info = open_dataset(*obj_, name, dataset_path(path_, name)).info;
  if (!info.is_float && info.elem_bytes == 2 && dataset_has_attr(name, "dtype"))
    info.bfloat16 = dataset_attr_string(name, "dtype") == "bfloat16";
  return info;
}

void Group::read_floats(const std::string& name, float* out, std::size_t n) const {
  Guard g(lock());
  const std::string where = dataset_path(path_, name);
  OpenDataset d = open_dataset(*obj_, name, where);
  if (shape_size(d.info.shape) != n)
    fail(source(), where, "expected " + std::to_string(n) + " values, the dataset has " + shape_str(d.info.shape));
  if (n == 0) return;
  const bool bf16 = !d.info.is_float && d.info.elem_bytes == 2 && dataset_has_attr(name, "dtype") &&
                    dataset_attr_string(name, "dtype") == "bfloat16";
  if (bf16) {
    // Keras 3 keeps bfloat16 as its raw 16 bits: the high half of a float32.
    std::vector<std::uint16_t> raw(n);
    if (H5Dread(d.dset.get(), H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
      fail(source(), where, "cannot read the values", true);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t bits = std::uint32_t(raw[i]) << 16;
      std::memcpy(out + i, &bits, 4);
    }
    return;
  }
  if (H5Dread(d.dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    fail(source(), where, "cannot read the values", true);
}

void Group::read_ints(const std::string& name, std::int64_t* out, std::size_t n) const {
  Guard g(lock());
  const std::string where = dataset_path(path_, name);
  OpenDataset d = open_dataset(*obj_, name, where);
  if (shape_size(d.info.shape) != n)
    fail(source(), where, "expected " + std::to_string(n) + " values, the dataset has " + shape_str(d.info.shape));
  if (n != 0 && H5Dread(d.dset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    fail(source(), where, "cannot read the values as integers", true);
}

bool Group::dataset_has_attr(const std::string& dataset, const std::string& name) const {
  Guard g(lock());
  Handle d(H5Dopen2(obj_->id(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
  const bool yes = d.valid() && H5Aexists(d.get(), name.c_str()) > 0;
  H5Eclear2(H5E_DEFAULT);
  return yes;
}

std::string Group::dataset_attr_string(const std::string& dataset, const std::string& name) const {
  Guard g(lock());
  const std::string where = dataset_path(path_, dataset);
  Handle d(H5Dopen2(obj_->id(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.valid()) fail(source(), where, "expected a dataset here", true);
  auto obj = std::make_shared<Object>();
  obj->handle = std::move(d);
  obj->source = source();
  obj->file = obj_->file ? obj_->file : obj_;
  // A dataset carries attributes as a group does: read them through the same code.
  return Group(obj, where).attr_string(name);
}

File File::open_image(const std::string& bytes, const std::string& source) {
  Guard g(lock());
  if (!looks_like_hdf5(bytes)) fail(source, "/", "not an HDF5 file (its first bytes are not HDF5's signature)");
  check_in_sandbox(bytes, source);
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // The core driver keeps the file in memory; without a backing store nothing is ever written back.
  if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 20, 0) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()) < 0)
    fail(source, "/", "cannot prepare the file image", true);
  auto obj = std::make_shared<Object>();
  obj->handle = Handle(H5Fopen(image_name().c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  if (!obj->handle.valid()) fail(source, "/", "not a readable HDF5 file", true);
  obj->source = source;
  return File(obj, "/");
}

File File::open(const std::string& path) { return open_image(read_file(path), path); }

bool File::looks_like_hdf5(const std::string& bytes) {
  static const char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kSignature, 8) == 0;
}

}  // namespace xkeras::saving::h5

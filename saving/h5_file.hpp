// HDF5 through its C API (Debian's libhdf5; HighFive is not packaged), for Keras's .h5 and .weights.h5.
// Files are untrusted input, so everything here is read from a bounded in-memory image, follows only
// hard links, refuses external and virtual storage (a file must not make us read other files), and
// checks a dataset's declared size against the bytes it really stores before anything is allocated.
// libhdf5 is not thread-safe as Debian builds it: every call here holds one process-wide lock.
// Errors are ConfigErrors naming the source and the HDF5 path ("m.h5: /model_weights/dense: ...").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras::saving::h5 {

/// What a dataset holds, read from its header only.
struct DatasetInfo {
  Shape shape;
  bool is_float = false;     // IEEE float of any width (16, 32, 64); else an integer
  std::size_t elem_bytes = 0;
  bool bfloat16 = false;     // Keras 3 stores bfloat16 as uint16 with the attribute dtype="bfloat16"
};

class Object;  // an open group or file (internal)

/// A group of an open file (the file itself is the group "/"). Cheap to copy; keeps the file open.
class Group {
 public:
  /// The HDF5 path, e.g. "/layers/dense/vars" ("/" for the root).
  const std::string& path() const { return path_; }
  /// The file's name as given to open (for messages).
  const std::string& source() const;

  // ---- reading ---------------------------------------------------------------------------------
  /// Names of the links in this group, in name order (HDF5's default); at most kMaxChildren.
  std::vector<std::string> children() const;
  bool has_group(const std::string& name) const;
  bool has_dataset(const std::string& name) const;
  /// The sub-group `name` ("a/b" walks several levels); ConfigError if it is missing or not a group.
  Group group(const std::string& name) const;

  bool has_attr(const std::string& name) const;
  /// A scalar string attribute, stored fixed-length or variable-length (h5py writes both); a one-element
  /// array is accepted too. ConfigError if it is missing or not a string.
  std::string attr_string(const std::string& name) const;
  /// A 1-D array of strings (fixed- or variable-length), e.g. legacy "layer_names".
  std::vector<std::string> attr_strings(const std::string& name) const;

  DatasetInfo dataset_info(const std::string& name) const;
  /// Reads dataset `name` converted to float32 into `out`, which must hold shape_size(info.shape)
  /// values; the caller checks the shape first, so the model, not the file, decides what is allocated.
  void read_floats(const std::string& name, float* out, std::size_t n) const;
  /// Reads an integer or float dataset converted to int64 (optimizer "iterations").
  void read_ints(const std::string& name, std::int64_t* out, std::size_t n) const;
  /// A scalar or one-element string attribute `name` of dataset `dataset` (Keras 3's "dtype").
  bool dataset_has_attr(const std::string& dataset, const std::string& name) const;
  std::string dataset_attr_string(const std::string& dataset, const std::string& name) const;

  // ---- writing (files from File::create) -------------------------------------------------------
  /// Creates (or opens, if it exists) the sub-group `name`; "a/b" creates intermediate groups.
  Group create_group(const std::string& name);
  /// A contiguous little-endian float32 dataset (h5py's default layout). A scalar for an empty shape.
  void write_floats(const std::string& name, const Shape& shape, const float* data);
  /// A little-endian int64 dataset (Keras's optimizer iterations on TensorFlow).
  void write_ints(const std::string& name, const Shape& shape, const std::int64_t* data);
  /// A scalar variable-length UTF-8 string attribute (what h5py writes for a Python str).
  void set_attr_string(const std::string& name, const std::string& value);
  /// A scalar fixed-length string attribute (what h5py writes for Python bytes, e.g. model_config).
  void set_attr_bytes(const std::string& name, const std::string& value);
  /// A 1-D fixed-length string array, each padded to the longest (numpy's "S<n>", legacy layer_names).
  void set_attr_strings(const std::string& name, const std::vector<std::string>& values);

 protected:
  Group(std::shared_ptr<Object> obj, std::string path) : obj_(std::move(obj)), path_(std::move(path)) {}
  std::shared_ptr<Object> obj_;
  std::string path_;
  friend class File;
};

class File : public Group {
 public:
  /// Opens an HDF5 file from its bytes (read with read_file or from a zip member), read-only.
  /// `source` names it in errors. ConfigError if the bytes are not an HDF5 file.
  static File open_image(const std::string& bytes, const std::string& source);
  /// Reads the file at `path` (bounded by kMaxFileBytes) and opens it.
  static File open(const std::string& path);
  /// A new empty file in memory; image() gives its bytes.
  static File create(const std::string& source);
  /// The bytes of a file made by create(), after flushing everything written.
  std::string image() const;
  /// True when `bytes` start with HDF5's signature (at offset 0; HDF5 also allows 512, 1024, ...).
  static bool looks_like_hdf5(const std::string& bytes);

 private:
  using Group::Group;
};

/// Most links a group may list, and most strings an attribute may hold: bounded work per file.
inline constexpr std::size_t kMaxChildren = 1000000;

}  // namespace xkeras::saving::h5

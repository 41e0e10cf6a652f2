// Shared by h5_file.cpp (opening, reading) and h5_write.cpp: the process-wide HDF5 lock, handles
// that close themselves, and errors that carry HDF5's own reason.
#pragma once

#include <hdf5.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "saving/h5_file.hpp"

namespace xkeras::saving::h5 {

/// Every HDF5 call holds this lock. Also turns off HDF5's printing of errors to stderr and its
/// loading of filter plugins (a file must not make us dlopen anything) the first time it is taken.
std::recursive_mutex& lock();
using Guard = std::lock_guard<std::recursive_mutex>;

/// True in the child process of h5_sandbox.cpp, which must not take the lock: fork copied it held
/// by a thread that does not exist there.
inline bool& in_sandbox_child() {
  static bool child = false;
  return child;
}

/// An HDF5 id closed by `close` when the handle goes out of scope (under the lock).
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) { reset(); id_ = o.id_; close_ = o.close_; o.id_ = -1; }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0 && close_) {
      if (in_sandbox_child()) {
        close_(id_);
      } else {
        Guard g(lock());
        close_(id_);
      }
    }
    id_ = -1;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

/// An open file or group. Groups keep their file alive through `file`.
class Object {
 public:
  Handle handle;
  std::shared_ptr<Object> file;  // null for the file itself
  std::string source;            // file name for messages
  hid_t id() const { return handle.get(); }
};

/// HDF5's innermost error message since the last call (then clears the stack), e.g. "unable to open
/// file: file signature not found"; "" when HDF5 recorded none.
std::string reason();

/// ConfigError("<source>: <path>", message [+ HDF5's reason]).
[[noreturn]] void fail(const std::string& source, const std::string& path, const std::string& message,
                       bool with_reason = false);

/// The strings of a string attribute, fixed- or variable-length, at most 64 MiB in all (h5_file.cpp).
/// `where` names it in errors.
std::vector<std::string> read_strings(hid_t attr, const std::string& source, const std::string& where);

/// An open dataset whose header passed every check (h5_dataset.cpp): at most 16 axes and 2^31 values,
/// numbers of at most 8 bytes, values stored in this file, and at least as many stored bytes as the
/// declared size needs (1/1032 of it when compressed).
struct OpenDataset {
  Handle dset, type, space;
  DatasetInfo info;
};
OpenDataset open_dataset(const Object& obj, const std::string& name, const std::string& path);

/// Opens `bytes` in a child process and reads everything in it that xkeras could read, under a time
/// limit (h5_sandbox.cpp). ConfigError naming `source` if libhdf5 crashed or did not finish there.
void check_in_sandbox(const std::string& bytes, const std::string& source);

/// "/a/b" from "/a" and "b" (the root is "/").
std::string child_path(const std::string& parent, const std::string& name);

}  // namespace xkeras::saving::h5

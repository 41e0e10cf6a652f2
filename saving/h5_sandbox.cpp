// libhdf5 (Debian's 1.10.8) can crash or loop for ever on a damaged file: a corrupted reference to a
// variable-length string in its global heap is enough (tests/data/h5/crashers, found by flipping bytes
// of our fixtures). We cannot fix the library, so before this process opens an image, a child process
// opens it and reads everything xkeras could read from it: every attribute of every object, every
// dataset whose header passes our checks. If the child dies or runs out of time, the file is refused.
// If it finishes, the reads this process then makes take the paths the child already survived
// (libhdf5 parses deterministically). The cost is one fork and one extra read of the file.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>
#include <vector>

#include "saving/h5_internal.hpp"
#include "xkeras/errors.hpp"

// libFuzzer's and the sanitizers' hook for a dying process: cleared in the child, whose death is a
// finding about libhdf5 that the parent reports as an error, not a crash of ours.
extern "C" void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

namespace xkeras::saving::h5 {

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxObjects = 1000000;

// The child reads a dataset in slabs of at most this many values: every stored chunk is still decoded
// (the libhdf5 code a damaged file could break), but a dataset that declares gigabytes from a small
// compressed file does not make the child allocate them.
constexpr std::size_t kSlabValues = std::size_t(1) << 22;

struct Walk {
  std::size_t objects = 0;
  std::set<haddr_t> seen;  // hard links may form cycles
};

// The attribute names xkeras looks up with H5Aexists (which parses the object header its own way).
const char* const kLookedUp[] = {"model_config", "training_config", "keras_version", "backend", "layer_names",
                                 "layer_names0", "layer_names1", "weight_names", "weight_names0", "weight_names1",
                                 "name", "dtype"};

// Every attribute of `obj`: looked up by the names xkeras uses, then each read as xkeras reads strings.
void read_attributes(hid_t obj, const std::string& source) {
  for (const char* name : kLookedUp) H5Aexists(obj, name);
  H5O_info_t info;
  if (H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return;
  for (hsize_t i = 0; i < info.num_attrs && i < kMaxChildren; ++i) {
    Handle by_idx(H5Aopen_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!by_idx.valid()) continue;
    const ssize_t len = H5Aget_name(by_idx.get(), 0, nullptr);
    if (len <= 0 || len >= (1 << 16)) continue;
    std::string name(std::size_t(len) + 1, '\0');
    H5Aget_name(by_idx.get(), name.size(), name.data());
    name.resize(std::size_t(len));
    // Then as xkeras gets to it: looked up and opened by name.
    if (H5Aexists(obj, name.c_str()) <= 0) continue;
    Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attr.valid()) continue;
    try {
      read_strings(attr.get(), source, "");
    } catch (const std::exception&) {
    }
  }
}

// Axes after `a` are read whole, axis `a` in steps, the axes before it one index at a time; `a` is the
// first axis from the end whose inclusion would exceed kSlabValues, so there are few reads.
void read_in_slabs(const OpenDataset& d) {
  const std::size_t rank = d.info.shape.size();
  std::vector<float> buf(std::min(kSlabValues, shape_size(d.info.shape)));
  if (rank == 0) {
    H5Dread(d.dset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
    return;
  }
  std::vector<hsize_t> dims(d.info.shape.begin(), d.info.shape.end());
  std::size_t a = rank - 1, trailing = 1;
  while (a > 0 && trailing * dims[a] <= kSlabValues) trailing *= dims[a--];
  const hsize_t step = std::max<hsize_t>(1, kSlabValues / trailing);
  std::vector<hsize_t> start(rank, 0), count(dims);
  for (std::size_t i = 0; i < a; ++i) count[i] = 1;
  Handle fspace(H5Dget_space(d.dset.get()), H5Sclose);
  while (true) {
    for (start[a] = 0; start[a] < dims[a]; start[a] += step) {
      count[a] = std::min(step, dims[a] - start[a]);
      hsize_t n = count[a] * trailing;
      Handle mspace(H5Screate_simple(1, &n, nullptr), H5Sclose);
      if (H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0 ||
          H5Dread(d.dset.get(), H5T_NATIVE_FLOAT, mspace.get(), fspace.get(), H5P_DEFAULT, buf.data()) < 0)
        return;
    }
    // The next index of the axes before `a` (an odometer); done when it wraps.
    std::size_t i = a;
    while (i > 0 && ++start[i - 1] == dims[i - 1]) start[--i] = 0;
    if (i == 0) return;
  }
}

void walk_group(const Object& group, int depth, Walk& w) {
  if (depth > kMaxDepth) return;
  read_attributes(group.id(), group.source);
  H5G_info_t ginfo;
  if (H5Gget_info(group.id(), &ginfo) < 0) return;
  for (hsize_t i = 0; i < ginfo.nlinks && i < kMaxChildren; ++i) {
    if (++w.objects > kMaxObjects) return;
    const ssize_t len = H5Lget_name_by_idx(group.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len <= 0 || len > (1 << 16)) continue;
    std::string name(std::size_t(len) + 1, '\0');
    H5Lget_name_by_idx(group.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(std::size_t(len));
    H5L_info_t link;
    if (H5Lget_info(group.id(), name.c_str(), &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD) continue;
    H5O_info_t oinfo;
    if (H5Oget_info_by_name2(group.id(), name.c_str(), &oinfo, H5O_INFO_BASIC, H5P_DEFAULT) < 0) continue;
    if (!w.seen.insert(oinfo.addr).second) continue;
    if (oinfo.type == H5O_TYPE_GROUP) {
      Object child;
      child.handle = Handle(H5Gopen2(group.id(), name.c_str(), H5P_DEFAULT), H5Gclose);
      child.source = group.source;
      if (child.handle.valid()) walk_group(child, depth + 1, w);
    } else if (oinfo.type == H5O_TYPE_DATASET) {
      try {
        OpenDataset d = open_dataset(group, name, name);
        read_attributes(d.dset.get(), group.source);
        if (shape_size(d.info.shape) != 0) read_in_slabs(d);
      } catch (const std::exception&) {
      }
    }
  }
}

// The child: open and read everything, then leave without running any destructor or exit handler.
[[noreturn]] void child_main(const std::string& bytes) {
  in_sandbox_child() = true;
  if (&__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) signal(sig, SIG_DFL);
  try {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fapl_core(fapl.get(), 1 << 20, 0);
    H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size());
    Object file;
    file.handle = Handle(H5Fopen("xkeras-sandbox", H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (file.handle.valid()) {
      Walk w;
      walk_group(file, 0, w);
    }
  } catch (...) {
  }
  _exit(0);
}

}  // namespace

void check_in_sandbox(const std::string& bytes, const std::string& source) {
  pid_t pid;
  {
    Guard g(lock());  // no other thread is inside libhdf5 while we fork
    pid = fork();
    if (pid == 0) child_main(bytes);
  }
  if (pid < 0) throw IOError(source + ": cannot start the process that checks HDF5 files before reading them");
  // Generous: reading a healthy file of this size takes a small fraction of it.
  const auto limit = std::chrono::seconds(10 + bytes.size() / (20u << 20));
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) throw IOError(source + ": lost the process that checks the HDF5 file");
    if (std::chrono::steady_clock::now() - start > limit) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      throw ConfigError(source, "libhdf5 did not finish reading this file within " + std::to_string(limit.count()) +
                                    " s (in a separate process): the file is damaged or hostile");
    }
    const timespec pause{0, 2000000};
    nanosleep(&pause, nullptr);
  }
  if (WIFSIGNALED(status))
    throw ConfigError(source, "libhdf5 crashed reading this file (signal " + std::to_string(WTERMSIG(status)) +
                                  ", in a separate process, so xkeras did not): the file is damaged or hostile");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw ConfigError(source, "libhdf5 failed reading this file (in a separate process, exit status " +
                                  std::to_string(WEXITSTATUS(status)) + "): the file is damaged or hostile");
}

}  // namespace xkeras::saving::h5

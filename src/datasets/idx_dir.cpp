// MNIST-style folders: {train,t10k}-{images-idx3,labels-idx1}-ubyte, gzip'd or not, as MNIST,
// Fashion-MNIST and Kuzushiji-MNIST ship them.
#include <sys/stat.h>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

// "train-images-idx3-ubyte" with ".gz" or without; also the "train-images.idx3-ubyte" spelling.
std::string find_file(const std::string& dir, const std::string& split, const std::string& kind,
                      const std::string& rank) {
  std::vector<std::string> tried;
  for (const char* sep : {"-", "."})
    for (const char* ext : {".gz", ""}) {
      const std::string p = dir + "/" + split + "-" + kind + sep + "idx" + rank + "-ubyte" + ext;
      if (exists(p)) return p;
      tried.push_back(p);
    }
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw IOError("IDX folder " + dir + ": no " + split + " " + kind + " file (looked for " + list + ")");
}

Split load_split(const IdxFiles& files, std::optional<std::size_t> limit) {
  Split s{read_idx(files.images, limit), read_idx(files.labels, limit)};
  if (s.x.ndim() < 2)
    throw IOError("IDX folder: expected images of rank >= 2 in " + files.images + ", got " + shape_str(s.x.shape()));
  if (s.y.ndim() != 1 || s.y.dim(0) != s.x.dim(0))
    throw IOError("IDX folder: " + files.labels + " holds " + shape_str(s.y.shape()) + " labels for " +
                  std::to_string(s.x.dim(0)) + " images in " + files.images);
  return s;
}

}  // namespace

IdxFiles idx_files(const std::string& dir, const std::string& split) {
  return {find_file(dir, split, "images", "3"), find_file(dir, split, "labels", "1")};
}

std::pair<Split, Split> load_idx_dir(const std::string& dir, std::optional<std::size_t> limit) {
  return {load_split(idx_files(dir, "train"), limit), load_split(idx_files(dir, "t10k"), limit)};
}

}  // namespace xkeras::datasets

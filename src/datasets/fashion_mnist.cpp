#include <cstdlib>
#include <fstream>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets::fashion_mnist {

std::string default_dir() {
  if (const char* d = std::getenv("XKERAS_FASHION_MNIST_DIR"); d && *d) return d;
  return "/usr/share/datasets/fashion-mnist";
}

namespace {

Split load_split(const std::string& dir, const std::string& prefix, std::optional<std::size_t> limit) {
  const std::string images = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  const std::string labels = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  for (const auto& p : {images, labels})
    if (!std::ifstream(p).good())
      throw IOError("Fashion-MNIST file not found: " + p +
                    " (install Debian's dataset-fashion-mnist package, or set XKERAS_FASHION_MNIST_DIR)");
  Split s{read_idx(images, limit), read_idx(labels, limit)};
  if (s.x.ndim() != 3 || s.x.dim(1) != 28 || s.x.dim(2) != 28)
    throw IOError("Fashion-MNIST: expected images of shape (N, 28, 28) in " + images + ", got " + shape_str(s.x.shape()));
  if (s.y.ndim() != 1 || s.y.dim(0) != s.x.dim(0))
    throw IOError("Fashion-MNIST: " + labels + " holds " + shape_str(s.y.shape()) + " labels for " +
                  std::to_string(s.x.dim(0)) + " images");
  for (float v : s.y.value())
    if (v > 9) throw IOError("Fashion-MNIST: label " + std::to_string(int(v)) + " out of range 0..9 in " + labels);
  return s;
}

}  // namespace

std::pair<Split, Split> load_data(const std::string& dir, std::optional<std::size_t> limit) {
  return {load_split(dir, "train", limit), load_split(dir, "t10k", limit)};
}

}  // namespace xkeras::datasets::fashion_mnist

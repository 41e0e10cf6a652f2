// Fashion-MNIST: an IDX folder (idx_dir.cpp) with its own checks (28x28 images, labels 0..9).
#include <cstdlib>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets::fashion_mnist {

std::string default_dir() {
  if (const char* d = std::getenv("XKERAS_FASHION_MNIST_DIR"); d && *d) return d;
  return "/usr/share/datasets/fashion-mnist";
}

namespace {

void check(const Split& s, const IdxFiles& files) {
  if (s.x.ndim() != 3 || s.x.dim(1) != 28 || s.x.dim(2) != 28)
    throw IOError("Fashion-MNIST: expected images of shape (N, 28, 28) in " + files.images + ", got " +
                  shape_str(s.x.shape()));
  for (float v : s.y.value())
    if (v > 9) throw IOError("Fashion-MNIST: label " + std::to_string(int(v)) + " out of range 0..9 in " + files.labels);
}

}  // namespace

std::pair<Split, Split> load_data(const std::string& dir, std::optional<std::size_t> limit) {
  try {
    auto data = load_idx_dir(dir, limit);
    check(data.first, idx_files(dir, "train"));
    check(data.second, idx_files(dir, "t10k"));
    return data;
  } catch (const IOError& e) {
    throw IOError(std::string("Fashion-MNIST: ") + e.what() +
                  " (install Debian's dataset-fashion-mnist package, or set XKERAS_FASHION_MNIST_DIR)");
  }
}

}  // namespace xkeras::datasets::fashion_mnist

// Datasets read from local files (nothing is downloaded). Fashion-MNIST comes from Debian's
// dataset-fashion-mnist package: /usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "xkeras/tensor.hpp"

namespace xkeras::datasets {

/// One split: x of shape (N, 28, 28) with the raw pixel values 0..255 as float32 (Keras's
/// load_data gives uint8; divide by 255 as Keras users do), y of shape (N,) with labels 0..9.
struct Split {
  Tensor x;
  Tensor y;
};

namespace fashion_mnist {

/// $XKERAS_FASHION_MNIST_DIR if set, else /usr/share/datasets/fashion-mnist.
std::string default_dir();

/// (train, test), as Keras's fashion_mnist.load_data(). `limit` keeps the first n samples of each
/// split. Throws IOError naming the file when a file is missing, truncated or not IDX.
std::pair<Split, Split> load_data(const std::string& dir = default_dir(), std::optional<std::size_t> limit = {});

}  // namespace fashion_mnist

/// Reads one gzip'd (or plain) IDX file: unsigned-byte data of rank 1..4. The shape is returned
/// as stored; `limit` keeps the first items. Exposed for tests and other IDX datasets (MNIST has the
/// same layout). Before allocating, the header is checked against the file: IOError when the file
/// is not a regular file, cannot hold what its header declares, or when more than 2^28 bytes
/// (a 1 GiB float tensor) would be read in one call (read larger datasets in parts with `limit`).
Tensor read_idx(const std::string& path, std::optional<std::size_t> limit = {});

}  // namespace xkeras::datasets

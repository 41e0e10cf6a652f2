// keras.utils: to_categorical, normalize, split_dataset.
#pragma once

#include <cstdint>
#include <utility>

#include "xkeras/data.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::utils {

/// Keras's to_categorical: class indices (float32 values are truncated to integers, as Keras's int64
/// cast; or int32) to one-hot float32 rows. Shape (d...) becomes (d..., C); a trailing axis of 1, as
/// in (N, 1), is dropped first, so (N, 1) -> (N, C). num_classes = -1 takes max(y) + 1. ValueError for a
/// negative, NaN or >= num_classes label (naming its position), or an empty y without num_classes.
Tensor to_categorical(const Tensor& y, int num_classes = -1);

/// Keras's normalize: x / ||x||_order along `axis` (negative counts from the end), a zero norm left
/// as 1 (so zero vectors stay zero). order: a positive integer (1 = sum of |x|, 2 = Euclidean).
Tensor normalize(const Tensor& x, int axis = -1, int order = 2);

/// A split size as Keras takes it: none (the complement of the other side), a count (int), or a
/// fraction in (0, 1) (double), rounded half to even as Python's round().
class SplitSize {
 public:
  SplitSize() = default;                                       // None
  SplitSize(int n) : kind_(Kind::count), count_(n) {}          // NOLINT: implicit on purpose, as Keras's int
  SplitSize(long n) : kind_(Kind::count), count_(n) {}         // NOLINT
  SplitSize(long long n) : kind_(Kind::count), count_(n) {}    // NOLINT
  SplitSize(double f) : kind_(Kind::fraction), fraction_(f) {}  // NOLINT: implicit on purpose, as Keras's float
  enum class Kind { none, count, fraction };
  Kind kind() const { return kind_; }
  std::int64_t count() const { return count_; }
  double fraction() const { return fraction_; }

 private:
  Kind kind_ = Kind::none;
  std::int64_t count_ = 0;
  double fraction_ = 0;
};

/// Keras's rules for split_dataset's sizes over `total` samples: (left, right) counts. ValueError with
/// Keras's messages: both none, both zero, a count <= 0 or >= total, a fraction outside (0, 1), two
/// fractions summing past 1, sizes summing past total, or an empty side.
std::pair<std::int64_t, std::int64_t> split_sizes(const SplitSize& left, const SplitSize& right, std::int64_t total);

/// Keras's split_dataset: the first `left` samples and the LAST `right` samples (after an optional
/// shuffle with `seed`, or a seed drawn from the global stream), as two Datasets. Tensors are sliced along
/// axis 0 (all of the same length); a Dataset's elements are taken as samples (it must end: split it
/// before batch(), since Keras's unbatching of a batched dataset is not done here).
std::pair<data::Dataset, data::Dataset> split_dataset(const Tensors& arrays, SplitSize left_size = {},
                                                      SplitSize right_size = {}, bool shuffle = false,
                                                      std::optional<std::uint64_t> seed = {});
std::pair<data::Dataset, data::Dataset> split_dataset(const data::Dataset& dataset, SplitSize left_size = {},
                                                      SplitSize right_size = {}, bool shuffle = false,
                                                      std::optional<std::uint64_t> seed = {});

}  // namespace xkeras::utils

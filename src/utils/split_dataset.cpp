// keras.utils.split_dataset (keras/src/utils/dataset_utils.py): Keras's size rules, then the first
// `left` and the last `right` samples.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "data/element_ops.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/initializers.hpp"
#include "xkeras/utils.hpp"

namespace xkeras::utils {

namespace {

std::string show(const SplitSize& s) {
  switch (s.kind()) {
    case SplitSize::Kind::none: return "None";
    case SplitSize::Kind::count: return std::to_string(s.count());
    default: return std::to_string(s.fraction());
  }
}

bool is_zero(const SplitSize& s) {
  return (s.kind() == SplitSize::Kind::count && s.count() == 0) ||
         (s.kind() == SplitSize::Kind::fraction && s.fraction() == 0.0);
}

void check_side(const SplitSize& s, std::int64_t total, const char* name) {
  const bool bad = (s.kind() == SplitSize::Kind::count && (s.count() <= 0 || s.count() >= total)) ||
                   (s.kind() == SplitSize::Kind::fraction && !(s.fraction() > 0 && s.fraction() < 1));
  if (bad)
    throw ValueError(std::string("`") + name + "` should be either a positive integer smaller than " +
                     std::to_string(total) + ", or a float within the range `[0, 1]`. Received: " + name + "=" + show(s));
}

// Python's round(): half to even (the default rounding mode of nearbyint).
std::int64_t resolve(const SplitSize& s, std::int64_t total) {
  if (s.kind() == SplitSize::Kind::fraction) return static_cast<std::int64_t>(std::nearbyint(s.fraction() * total));
  return s.count();
}

std::pair<data::Dataset, data::Dataset> split_elements(std::vector<data::Element> all, SplitSize left, SplitSize right,
                                                       bool shuffle, std::optional<std::uint64_t> seed) {
  const auto [nl, nr] = split_sizes(left, right, static_cast<std::int64_t>(all.size()));
  if (shuffle) {
    std::mt19937_64 rng(seed ? *seed : draw_seed());
    std::shuffle(all.begin(), all.end(), rng);
  }
  // Keras's samples must share a shape ("All `dataset` samples must have same shape"): stacked, they slice again.
  auto side = [](const std::vector<data::Element>& part) { return data::Dataset::from_tensors(data::detail::stack(part, 0)); };
  std::vector<data::Element> l(all.begin(), all.begin() + nl), r(all.end() - nr, all.end());
  return {side(l), side(r)};
}

}  // namespace

std::pair<std::int64_t, std::int64_t> split_sizes(const SplitSize& left, const SplitSize& right, std::int64_t total) {
  if (left.kind() == SplitSize::Kind::none && right.kind() == SplitSize::Kind::none)
    throw ValueError("At least one of the `left_size` or `right_size` must be specified. Received: left_size=None and "
                     "right_size=None");
  if (is_zero(left) && is_zero(right))
    throw ValueError("Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero.");
  check_side(left, total, "left_size");
  check_side(right, total, "right_size");
  if (left.kind() == SplitSize::Kind::fraction && right.kind() == SplitSize::Kind::fraction &&
      left.fraction() + right.fraction() > 1)
    throw ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1.");
  std::int64_t l = resolve(left, total), r = resolve(right, total);
  if (left.kind() == SplitSize::Kind::none) l = total - r;
  if (right.kind() == SplitSize::Kind::none) r = total - l;
  if (l + r > total)
    throw ValueError("The sum of `left_size` and `right_size` should be smaller than the " + std::to_string(total) +
                     ". Received: left_size + right_size = " + std::to_string(l + r) + " and total_length = " +
                     std::to_string(total));
  for (const auto& [n, side] : {std::pair<std::int64_t, const char*>{l, "left"}, {r, "right"}})
    if (n == 0)
      throw ValueError("With `dataset` of length=" + std::to_string(total) + ", `left_size`=" + std::to_string(l) +
                       " and `right_size`=" + std::to_string(r) + ". Resulting " + side +
                       " side dataset split will be empty. Adjust any of the aforementioned parameters");
  return {l, r};
}

std::pair<data::Dataset, data::Dataset> split_dataset(const Tensors& arrays, SplitSize left, SplitSize right,
                                                      bool shuffle, std::optional<std::uint64_t> seed) {
  data::Dataset::from_tensors(arrays);  // checks the lengths
  const std::size_t n = arrays[0].dim(0);
  std::vector<data::Element> all(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const Tensor& t : arrays) all[i].push_back(data::detail::slice_row(t, i));
  return split_elements(std::move(all), left, right, shuffle, seed);
}

std::pair<data::Dataset, data::Dataset> split_dataset(const data::Dataset& dataset, SplitSize left, SplitSize right,
                                                      bool shuffle, std::optional<std::uint64_t> seed) {
  if (dataset.cardinality() == data::kInfiniteCardinality)
    throw ValueError("split_dataset: the dataset repeats forever; take(n) first");
  std::vector<data::Element> all;
  for (const data::Element& e : dataset) all.push_back(e);
  if (all.empty())
    throw ValueError("Received an empty dataset. Argument `dataset` must be a non-empty list/tuple of `numpy.ndarray` "
                     "objects or `tf.data.Dataset` objects.");
  return split_elements(std::move(all), left, right, shuffle, seed);
}

}  // namespace xkeras::utils

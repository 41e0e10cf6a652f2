// An input pipeline like tf.data: a Dataset is a lazy, immutable recipe for a sequence of elements
// (tuples of tensors). Transformations return a new Dataset and never copy the data; iterating a
// Dataset (begin_epoch) runs the recipe. Knows nothing of models: Model::fit accepts one
// (models/training/dataset_source.cpp).
//
//   auto ds = data::Dataset::from_tensors({x, y}).shuffle(1024, 7).batch(32).prefetch(2);
//   for (const data::Element& e : ds) train_on(e[0], e[1]);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras::data {

/// One element: a tuple of tensors, typically {x, y} or {x, y, sample_weight}.
using Element = Tensors;
/// Returns the next element, or nullopt at the end.
using Generator = std::function<std::optional<Element>()>;

/// cardinality() of a dataset that never ends and of one whose length is not known (tf.data's values).
inline constexpr std::int64_t kInfiniteCardinality = -1;
inline constexpr std::int64_t kUnknownCardinality = -2;
/// prefetch(kAutotune) picks the buffer size (tf.data.AUTOTUNE).
inline constexpr int kAutotune = -1;

/// One pass over a dataset, as produced by Dataset::begin_epoch. Implementations are in src/data.
class ElementStream {
 public:
  virtual ~ElementStream() = default;
  virtual std::optional<Element> next() = 0;
};

/// What a Dataset is made of: a recipe that can open any number of passes.
class DatasetImpl {
 public:
  virtual ~DatasetImpl() = default;
  /// A new pass. May be called from several threads at once (prefetch opens its input on its thread).
  virtual std::unique_ptr<ElementStream> open() const = 0;
  virtual std::int64_t cardinality() const = 0;
};

/// One pass over a dataset. Destroying the last handle to a pass mid-way stops its background threads
/// (prefetch). Copies share the pass.
class Iterator {
 public:
  Iterator() = default;
  explicit Iterator(std::shared_ptr<ElementStream> s) : stream_(std::move(s)) {}
  /// The next element, or nullopt when the pass is over (and every call after that).
  std::optional<Element> next() {
    if (!stream_) return std::nullopt;
    auto e = stream_->next();
    if (!e) stream_.reset();  // ends the pass: joins prefetch threads now
    return e;
  }

  class RangeIt;
  /// Range-for over the rest of this pass: `for (const Element& e : it)`.
  RangeIt begin();
  RangeIt end();

 private:
  std::shared_ptr<ElementStream> stream_;
};

/// Input-iterator protocol for range-for: `for (const Element& e : dataset)`.
class Iterator::RangeIt {
 public:
  RangeIt() = default;
  explicit RangeIt(Iterator it) : it_(std::move(it)) { ++*this; }
  const Element& operator*() const { return *cur_; }
  RangeIt& operator++() {
    cur_ = it_.next();
    return *this;
  }
  bool operator!=(const RangeIt& o) const { return cur_.has_value() != o.cur_.has_value(); }

 private:
  Iterator it_;
  std::optional<Element> cur_;
};

inline Iterator::RangeIt Iterator::begin() { return RangeIt(*this); }
inline Iterator::RangeIt Iterator::end() { return RangeIt(); }

class Dataset {
 public:
  /// tf.data's from_tensor_slices: element i is {t[i] for t in tensors}, each component sliced along
  /// axis 0 (float32 or int32). ValueError when the list is empty, a tensor is 0-d or undefined, or the
  /// components' lengths differ (naming them).
  static Dataset from_tensors(const Tensors& tensors);
  /// Elements from a function until it returns nullopt (it may never do). Each pass keeps calling the
  /// same function, so a second pass sees what the function gives next; use from_generator_factory for
  /// passes that restart. Cardinality unknown.
  static Dataset from_generator(Generator fn);
  /// Each pass calls `factory` for a fresh generator (tf.data's from_generator calls its generator anew).
  static Dataset from_generator_factory(std::function<Generator()> factory);
  /// A dataset built from any DatasetImpl (used by datasets::idx_dataset).
  static Dataset from_impl(std::shared_ptr<const DatasetImpl> impl);

  /// tf.data's shuffle: a buffer of `buffer_size` elements filled from the input; each draw takes a
  /// uniformly random slot and refills it with the next input element (once the input ends the buffer
  /// drains). buffer_size >= the dataset's size gives a uniform permutation. With a seed the order is
  /// reproducible; without one a seed is drawn from the global stream (xkeras::set_random_seed) now.
  /// With reshuffle_each_iteration each pass draws a new order (pass k uses a seed derived from (seed, k)).
  Dataset shuffle(std::int64_t buffer_size, std::optional<std::uint64_t> seed = {},
                  bool reshuffle_each_iteration = true) const;
  /// Stacks `batch_size` consecutive elements along a new axis 0, component by component (every element
  /// must have the same component shapes and dtypes: ValueError naming the element otherwise). The last
  /// partial batch is kept unless drop_remainder.
  Dataset batch(std::int64_t batch_size, bool drop_remainder = false) const;
  /// Applies fn to every element (on the thread that pulls it: prefetch's thread when prefetched).
  Dataset map(std::function<Element(const Element&)> fn) const;
  /// The dataset `count` times in a row; -1 forever.
  Dataset repeat(std::int64_t count = -1) const;
  /// The first `n` elements (all when fewer; -1 = all).
  Dataset take(std::int64_t n) const;
  /// A background thread pulls up to `buffer_size` elements ahead of the consumer into a bounded queue
  /// (kAutotune = 2). An exception in the producer is rethrown by the consumer's next(), after the elements
  /// produced before it. Destroying the iterator stops and joins the thread.
  Dataset prefetch(int buffer_size = kAutotune) const;

  /// A new pass over the elements.
  Iterator begin_epoch() const;
  /// Range-for over a new pass: `for (const Element& e : ds)`.
  Iterator::RangeIt begin() const { return Iterator::RangeIt(begin_epoch()); }
  Iterator::RangeIt end() const { return {}; }
  /// The number of elements, kInfiniteCardinality or kUnknownCardinality, as tf.data computes it.
  std::int64_t cardinality() const;

  const std::shared_ptr<const DatasetImpl>& impl() const { return impl_; }

 private:
  explicit Dataset(std::shared_ptr<const DatasetImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const DatasetImpl> impl_;
};

}  // namespace xkeras::data

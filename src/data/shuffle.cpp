// Dataset.shuffle with tf.data's buffer semantics (tensorflow/core/kernels/data/shuffle_dataset_op.cc):
// fill a buffer of buffer_size elements; each draw outputs a uniformly chosen slot and refills it with
// the next input element; once the input ends, the buffer drains in random order.
#include <atomic>
#include <random>

#include "xkeras/errors.hpp"
#include "xkeras/initializers.hpp"
#include "xkeras/data.hpp"

namespace xkeras::data {

namespace {

class ShuffleStream : public ElementStream {
 public:
  ShuffleStream(std::unique_ptr<ElementStream> in, std::size_t buffer_size, std::uint64_t seed)
      : in_(std::move(in)), cap_(buffer_size), rng_(seed) {}
  std::optional<Element> next() override {
    while (!ended_ && buf_.size() < cap_) {
      auto e = in_->next();
      if (!e) {
        ended_ = true;
        break;
      }
      buf_.push_back(std::move(*e));
    }
    if (buf_.empty()) return std::nullopt;
    const std::size_t k = std::uniform_int_distribution<std::size_t>(0, buf_.size() - 1)(rng_);
    Element out = std::move(buf_[k]);
    if (!ended_) {
      if (auto e = in_->next()) {
        buf_[k] = std::move(*e);
        return out;
      }
      ended_ = true;
    }
    if (k + 1 != buf_.size()) buf_[k] = std::move(buf_.back());
    buf_.pop_back();
    return out;
  }

 private:
  std::unique_ptr<ElementStream> in_;
  std::size_t cap_;
  std::mt19937_64 rng_;
  std::vector<Element> buf_;
  bool ended_ = false;
};

// splitmix64: a well-mixed seed for pass k from (seed, k), so consecutive passes are unrelated.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class ShuffleImpl : public DatasetImpl {
 public:
  ShuffleImpl(std::shared_ptr<const DatasetImpl> in, std::size_t b, std::uint64_t seed, bool reshuffle)
      : in_(std::move(in)), b_(b), seed_(seed), reshuffle_(reshuffle) {}
  std::unique_ptr<ElementStream> open() const override {
    const std::uint64_t pass = reshuffle_ ? passes_.fetch_add(1) : 0;
    return std::make_unique<ShuffleStream>(in_->open(), b_, mix(seed_ ^ mix(pass)));
  }
  std::int64_t cardinality() const override { return in_->cardinality(); }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::size_t b_;
  std::uint64_t seed_;
  bool reshuffle_;
  mutable std::atomic<std::uint64_t> passes_{0};  // passes opened so far: each draws its own order
};

}  // namespace

Dataset Dataset::shuffle(std::int64_t buffer_size, std::optional<std::uint64_t> seed,
                         bool reshuffle_each_iteration) const {
  // The buffer holds element handles; the bound keeps a typo from reserving without limit.
  if (buffer_size <= 0 || buffer_size > (std::int64_t(1) << 26))
    throw ValueError("Dataset.shuffle: expected 1 <= buffer_size <= 2^26, got " + std::to_string(buffer_size));
  return from_impl(std::make_shared<ShuffleImpl>(impl_, static_cast<std::size_t>(buffer_size),
                                                 seed ? *seed : draw_seed(), reshuffle_each_iteration));
}

}  // namespace xkeras::data

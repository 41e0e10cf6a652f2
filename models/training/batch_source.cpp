#include "models/training/batch_source.hpp"

#include <algorithm>
#include <numeric>

namespace xkeras::training {

ArrayBatches::ArrayBatches(const Tensors& x, const Tensors* y, const Tensor* sample_weight, std::size_t begin,
                           std::size_t end, std::size_t batch_size, std::mt19937_64* shuffle_rng)
    : x_(x), y_(y), begin_(begin), end_(end), bs_(batch_size), rng_(shuffle_rng), order_(end - begin) {
  if (sample_weight && sample_weight->defined()) w_ = {*sample_weight};
  std::iota(order_.begin(), order_.end(), begin);
}

int ArrayBatches::steps() const { return static_cast<int>((end_ - begin_ + bs_ - 1) / bs_); }

void ArrayBatches::begin_epoch() {
  if (rng_) std::shuffle(order_.begin(), order_.end(), *rng_);
  pos_ = 0;
  started_ = true;
}

bool ArrayBatches::next(Batch& out) {
  if (!started_) begin_epoch();
  if (pos_ >= order_.size()) return false;
  const std::size_t count = std::min(bs_, order_.size() - pos_);
  const std::size_t* idx = order_.data() + pos_;
  // In order, a contiguous range is one copy per array instead of a gather.
  if (rng_) {
    slicer_.gather(x_, idx, count, out.x);
    if (y_) slicer_.gather(*y_, idx, count, out.y);
    if (!w_.empty()) slicer_.gather(w_, idx, count, wb_);
  } else {
    slicer_.range(x_, idx[0], count, out.x);
    if (y_) slicer_.range(*y_, idx[0], count, out.y);
    if (!w_.empty()) slicer_.range(w_, idx[0], count, wb_);
  }
  out.sample_weight = w_.empty() ? Tensor() : wb_[0];
  pos_ += count;
  return true;
}

}  // namespace xkeras::training

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

RowShare shard_rows(std::size_t rows, int rank, int size) {
  const auto r = static_cast<std::size_t>(rank), n = static_cast<std::size_t>(size);
  const std::size_t base = rows / n, extra = rows % n;
  const std::size_t begin = r * base + std::min(r, extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

bool ShardedSource::next(Batch& out) {
  for (;;) {
    if (!inner_.next(full_)) return false;
    const std::size_t rows = full_.x.empty() || full_.x[0].shape().empty() ? 0 : full_.x[0].shape()[0];
    if (training_ && rows < static_cast<std::size_t>(size_)) continue;  // skipped on every rank alike
    const RowShare share = shard_rows(rows, rank_, size_);
    const std::size_t count = share.end - share.begin;
    out.global_rows = rows;
    if (count == 0) {  // evaluation: no rows here; the rank still takes part in the logs
      out.x.clear();
      out.y.clear();
      out.sample_weight = Tensor();
      return true;
    }
    slicer_.range(full_.x, share.begin, count, out.x);
    slicer_.range(full_.y, share.begin, count, out.y);
    if (full_.sample_weight.defined()) {
      slicer_.range(Tensors{full_.sample_weight}, share.begin, count, w_);
      out.sample_weight = w_[0];
    } else {
      out.sample_weight = Tensor();
    }
    return true;
  }
}

int ArrayBatches::steps() const { return static_cast<int>((end_ - begin_ + bs_ - 1) / bs_); }

bool ArrayBatches::shard(int rank, int size, bool training) {
  rank_ = rank;
  size_ = size;
  training_ = training;
  return true;
}

void ArrayBatches::begin_epoch() {
  if (rng_) std::shuffle(order_.begin(), order_.end(), *rng_);
  pos_ = 0;
  started_ = true;
}

bool ArrayBatches::next(Batch& out) {
  if (!started_) begin_epoch();
  if (pos_ >= order_.size()) return false;
  const std::size_t global = std::min(bs_, order_.size() - pos_);
  // With data parallelism this rank reads only its rows of the global batch.
  // Training skips a last batch with fewer rows than ranks (every rank must take part in each step).
  if (training_ && global < static_cast<std::size_t>(size_)) return false;
  const RowShare share = shard_rows(global, rank_, size_);
  const std::size_t count = share.end - share.begin;
  if (count == 0) {  // evaluation: no rows here; the rank still takes part in the logs
    out.x.clear();
    out.y.clear();
    out.sample_weight = Tensor();
    out.global_rows = global;
    pos_ += global;
    return true;
  }
  const std::size_t* idx = order_.data() + pos_ + share.begin;
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
  out.global_rows = size_ > 1 ? global : 0;
  pos_ += global;
  return true;
}

}  // namespace xkeras::training

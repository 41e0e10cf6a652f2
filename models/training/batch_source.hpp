// Where fit and evaluate draw their batches from: arrays in memory (ArrayBatches, shuffled per epoch)
// or a data::Dataset (models/training/dataset_source.cpp). The loops only see this interface.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "models/training/data.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::training {

/// One batch: inputs, targets, and per-sample weights (undefined = every sample weighs 1).
struct Batch {
  Tensors x, y;
  Tensor sample_weight;
  std::size_t global_rows = 0;  // sharded: rows of the global batch over all ranks (0 = not sharded)
};

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  /// Batches in one pass over the data; -1 when unknown (a generator) or infinite.
  virtual int steps() const = 0;
  /// Starts a new pass (reshuffles, for shuffled arrays).
  virtual void begin_epoch() = 0;
  /// The next batch of this pass; false when the pass is over.
  virtual bool next(Batch& out) = 0;
  /// Data parallelism: from now on each batch holds only this rank's rows of the global batch (see
  /// shard_rows). `training`: a global batch with fewer rows than ranks is skipped on every rank (each
  /// rank must take part in every train step); otherwise (evaluation) a rank without rows gets a batch
  /// with no tensors and only takes part in the logs. False when the source cannot; the loop then
  /// wraps it in a ShardedSource.
  virtual bool shard(int /*rank*/, int /*size*/, bool /*training*/) { return false; }
};

/// Rank `rank`'s rows [begin, end) of a global batch of `rows` rows split over `size` ranks: in rank
/// order, the first rows % size ranks one row more (so with fewer rows than ranks the last get none).
struct RowShare {
  std::size_t begin, end;
};
RowShare shard_rows(std::size_t rows, int rank, int size);

/// Any BatchSource, each batch cut down to this rank's rows (a Dataset: every rank runs the same
/// pipeline and keeps its part of each batch).
class ShardedSource : public BatchSource {
 public:
  ShardedSource(BatchSource& inner, int rank, int size, bool training)
      : inner_(inner), rank_(rank), size_(size), training_(training) {}
  int steps() const override { return inner_.steps(); }
  void begin_epoch() override { inner_.begin_epoch(); }
  bool next(Batch& out) override;

 private:
  BatchSource& inner_;
  int rank_, size_;
  bool training_;
  Batch full_;
  BatchSlicer slicer_;
  Tensors w_;
};

/// Rows [begin, end) of arrays, in batches of `batch_size`; the last partial batch is kept. With
/// `shuffle_rng`, every pass draws a new order from it (Keras shuffles the whole training set per epoch).
class ArrayBatches : public BatchSource {
 public:
  ArrayBatches(const Tensors& x, const Tensors* y, const Tensor* sample_weight, std::size_t begin, std::size_t end,
               std::size_t batch_size, std::mt19937_64* shuffle_rng);
  int steps() const override;
  void begin_epoch() override;
  bool next(Batch& out) override;
  bool shard(int rank, int size, bool training) override;

 private:
  const Tensors& x_;
  const Tensors* y_;
  Tensors w_;  // {sample_weight} or empty
  std::size_t begin_, end_, bs_;
  std::mt19937_64* rng_;
  std::vector<std::size_t> order_;
  std::size_t pos_ = 0;
  bool started_ = false;
  int rank_ = 0, size_ = 1;
  bool training_ = true;
  BatchSlicer slicer_;
  Tensors wb_;
};

}  // namespace xkeras::training

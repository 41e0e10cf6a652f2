// Input validation and batch slicing shared by fit, evaluate, predict and train_on_batch.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras {
class ModelImpl;
}

namespace xkeras::training {

/// How many inputs/outputs `model` takes (1 each for a Sequential not built yet).
std::size_t model_input_count(const ModelImpl& model);
std::size_t model_output_count(const ModelImpl& model);

/// Checks that `x` has one array per model input and `y` (if given) one per output, every array
/// defined with a batch axis, and all with the same number of samples; returns that number.
/// `fn` names the caller in messages ("fit()", "fit() validation_data", ...).
std::size_t check_data(const ModelImpl& model, const Tensors& x, const Tensors* y, const std::string& fn);

/// Copies rows of arrays into batch tensors that are reused from step to step (a new buffer is
/// made only when the batch shape changes, e.g. for the last partial batch, or when someone else
/// still holds the previous batch).
class BatchSlicer {
 public:
  /// Rows idx[0..count) of every array of `arrays` into `out` (resized to arrays.size()).
  void gather(const Tensors& arrays, const std::size_t* idx, std::size_t count, Tensors& out);
  /// Rows [begin, begin + count).
  void range(const Tensors& arrays, std::size_t begin, std::size_t count, Tensors& out);

 private:
  std::vector<std::size_t> iota_;
};

}  // namespace xkeras::training

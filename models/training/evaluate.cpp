// Model::evaluate and Model::train_on_batch.
#include <algorithm>
#include <iostream>

#include "models/compiled_state.hpp"
#include "models/training/data.hpp"
#include "models/training/progbar.hpp"
#include "models/training/runner.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace {

std::map<std::string, double> to_map(const training::Logs& logs) {
  std::map<std::string, double> out;
  for (const auto& [k, v] : logs) out[k] = v;
  return out;
}

}  // namespace

std::map<std::string, double> Model::evaluate(const Tensor& x, const Tensor& y, int batch_size, int verbose) const {
  return evaluate(Tensors{x}, Tensors{y}, batch_size, verbose);
}

// Inference mode over all rows; the loss is the running mean weighted by batch size (so the
// sample mean of the per-batch losses), including regularization penalties, as in Keras.
std::map<std::string, double> Model::evaluate(const Tensors& x, const Tensors& y, int batch_size, int verbose) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before evaluate()");
  if (batch_size <= 0)
    throw ValueError("Model \"" + m.name() + "\": evaluate(): batch_size must be a positive integer, received " +
                     std::to_string(batch_size));
  if (verbose < 0 || verbose > 2)
    throw ValueError("Model \"" + m.name() + "\": evaluate(): verbose must be 0, 1 or 2, received " + std::to_string(verbose));
  const std::size_t n = training::check_data(m, x, &y, "evaluate()");
  const std::size_t bs = static_cast<std::size_t>(batch_size);
  const int steps = static_cast<int>((n + bs - 1) / bs);
  training::Runner runner(m, *compiled);
  training::BatchSlicer slicer;
  training::Progbar bar(steps, verbose, std::cout, training::stdout_is_tty());
  Tensors xb, yb;
  for (int step = 0; step < steps; ++step) {
    const std::size_t begin = static_cast<std::size_t>(step) * bs;
    const std::size_t count = std::min(bs, n - begin);
    slicer.range(x, begin, count, xb);
    slicer.range(y, begin, count, yb);
    runner.test_step(xb, yb);
    if (verbose == 1) bar.update(step + 1, runner.logs(), false);
  }
  const training::Logs logs = runner.logs();
  if (verbose) bar.update(steps, logs, true);
  return to_map(logs);
}

std::map<std::string, double> Model::train_on_batch(const Tensor& x, const Tensor& y) const {
  return train_on_batch(Tensors{x}, Tensors{y});
}

std::map<std::string, double> Model::train_on_batch(const Tensors& x, const Tensors& y) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before train_on_batch()");
  training::check_data(m, x, &y, "train_on_batch()");
  training::Runner runner(m, *compiled);
  runner.train_step(x, y);
  return to_map(runner.logs());
}

}  // namespace xkeras

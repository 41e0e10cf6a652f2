// Model::evaluate and Model::train_on_batch.
#include <iostream>

#include "models/compiled_state.hpp"
#include "models/training/batch_source.hpp"
#include "models/training/class_weight.hpp"
#include "models/training/data.hpp"
#include "models/training/loops.hpp"
#include "models/training/runner.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace {

std::map<std::string, double> to_map(const Logs& logs) {
  std::map<std::string, double> out;
  for (const auto& [k, v] : logs) out[k] = v;
  return out;
}

}  // namespace

std::map<std::string, double> Model::evaluate(const Tensor& x, const Tensor& y, int batch_size, int verbose) const {
  return evaluate(Tensors{x}, Tensors{y}, EvaluateOptions{.batch_size = batch_size, .verbose = verbose});
}

std::map<std::string, double> Model::evaluate(const Tensors& x, const Tensors& y, int batch_size, int verbose) const {
  return evaluate(x, y, EvaluateOptions{.batch_size = batch_size, .verbose = verbose});
}

std::map<std::string, double> Model::evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options) const {
  return evaluate(Tensors{x}, Tensors{y}, options);
}

// Inference mode over all rows; the loss is the running mean weighted by batch size (so the
// sample mean of the per-batch losses), including regularization penalties, as in Keras.
std::map<std::string, double> Model::evaluate(const Tensors& x, const Tensors& y, const EvaluateOptions& o) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before evaluate()");
  const std::string who = "Model \"" + m.name() + "\": evaluate()";
  if (o.batch_size <= 0)
    throw ValueError(who + ": batch_size must be a positive integer, received " + std::to_string(o.batch_size));
  if (o.verbose < 0 || o.verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(o.verbose));
  if (o.steps < 0) throw ValueError(who + ": steps must be >= 0 (0 = all), received " + std::to_string(o.steps));
  const std::size_t n = training::check_data(m, x, &y, "evaluate()");
  if (o.sample_weight.defined() && o.sample_weight.shape() != Shape{n})
    throw ValueError(who + ": sample_weight must have shape (" + std::to_string(n) + ",), one weight per sample; received shape " +
                     shape_str(o.sample_weight.shape()));
  training::ArrayBatches source(x, &y, &o.sample_weight, 0, n, static_cast<std::size_t>(o.batch_size), nullptr);
  const int steps = o.steps > 0 ? std::min(o.steps, source.steps()) : source.steps();
  return to_map(training::run_evaluate(ptr_, source, o, steps));
}

std::map<std::string, double> Model::train_on_batch(const Tensor& x, const Tensor& y) const {
  return train_on_batch(Tensors{x}, Tensors{y});
}

std::map<std::string, double> Model::train_on_batch(const Tensors& x, const Tensors& y) const {
  return train_on_batch(x, y, Tensor(), {});
}

std::map<std::string, double> Model::train_on_batch(const Tensors& x, const Tensors& y, const Tensor& sample_weight,
                                                     const ClassWeight& class_weight) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before train_on_batch()");
  const std::string who = "Model \"" + m.name() + "\": train_on_batch()";
  const std::size_t n = training::check_data(m, x, &y, "train_on_batch()");
  if (sample_weight.defined() && sample_weight.shape() != Shape{n})
    throw ValueError(who + ": sample_weight must have shape (" + std::to_string(n) + ",), one weight per sample; received shape " +
                     shape_str(sample_weight.shape()));
  Tensor w = sample_weight;
  if (!class_weight.empty()) {
    if (y.size() != 1)
      throw ValueError(who + ": class_weight is only supported for models with a single output; this model has " +
                       std::to_string(y.size()) + " targets");
    if (w.defined()) throw ValueError(who + ": you cannot pass class_weight and sample_weight at the same time");
    w = training::class_weight_to_sample_weight(y[0], class_weight);
  }
  training::Runner runner(m, *compiled);
  runner.train_step(x, y, w);
  return to_map(runner.logs());
}

}  // namespace xkeras

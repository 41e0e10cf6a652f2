// Model::fit on arrays: Keras's validation_split, shuffling and batching, then fit_loop
// (models/training/fit_loop.cpp). validation_split takes the LAST samples before shuffling; the
// training indices are reshuffled every epoch with the compiled model's own stream (seeded at compile);
// ceil(N / batch_size) steps keep the partial batch.
#include <cmath>

#include "models/compiled_state.hpp"
#include "models/training/batch_source.hpp"
#include "models/training/class_weight.hpp"
#include "models/training/data.hpp"
#include "models/training/fit_split.hpp"
#include "models/training/loops.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace training {

std::size_t validation_split_at(std::size_t n, double split) {
  if (!(split >= 0.0 && split < 1.0))
    throw ValueError("validation_split must be in [0, 1), received " + std::to_string(split));
  if (split == 0.0) return n;
  const auto at = static_cast<std::size_t>(std::floor(static_cast<double>(n) * (1.0 - split)));
  if (at == 0 || at == n)
    throw ValueError("Training data contains " + std::to_string(n) +
                     " samples, which is not sufficient to split it into a validation and training set as specified by "
                     "`validation_split=" + std::to_string(split) + "`. Either provide more data, or a different value "
                     "for the `validation_split` argument.");
  return at;
}

}  // namespace training

namespace {

void check_sample_weight(const ModelImpl& m, const Tensor& w, std::size_t n, const std::string& what) {
  if (!w.defined()) return;
  if (w.shape() != Shape{n})
    throw ValueError("Model \"" + m.name() + "\": " + what + " must have shape (" + std::to_string(n) +
                     ",), one weight per sample; received shape " + shape_str(w.shape()));
}

}  // namespace

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& options) const {
  return fit(Tensors{x}, Tensors{y}, options);
}

History Model::fit(const Tensors& x, const Tensors& y, const FitOptions& options) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before fit()");
  const std::string who = "Model \"" + m.name() + "\": fit()";
  training::check_fit_options(options, who);
  if (options.batch_size <= 0)
    throw ValueError(who + ": batch_size must be a positive integer, received " + std::to_string(options.batch_size));
  const std::size_t n = training::check_data(m, x, &y, "fit()");
  check_sample_weight(m, options.sample_weight, n, "fit() sample_weight");
  // Keras turns class_weight into per-sample weights of the training data (one output only).
  Tensor train_weight = options.sample_weight;
  if (!options.class_weight.empty()) {
    if (y.size() != 1)
      throw ValueError(who + ": class_weight is only supported for models with a single output; this model has " +
                       std::to_string(y.size()) + " targets");
    if (options.sample_weight.defined()) throw ValueError(who + ": you cannot pass class_weight and sample_weight at the same time");
    train_weight = training::class_weight_to_sample_weight(y[0], options.class_weight);
  }

  // Validation set: validation_data wins; otherwise the last rows of (x, y).
  const Tensors* vx = nullptr;
  const Tensors* vy = nullptr;
  const Tensor* vw = nullptr;
  std::size_t n_train = n, v_begin = 0, v_end = 0;
  if (options.validation_data) {
    vx = &options.validation_data->x;
    vy = &options.validation_data->y;
    vw = &options.validation_data->sample_weight;
    v_end = training::check_data(m, *vx, vy, "fit() validation_data");
    check_sample_weight(m, *vw, v_end, "fit() validation_data.sample_weight");
  } else if (options.validation_split != 0.0) {  // NaN and negatives reach the check too
    n_train = training::validation_split_at(n, options.validation_split);
    vx = &x;
    vy = &y;
    vw = &options.sample_weight;  // Keras splits before class_weight applies (training only)
    v_begin = n_train;
    v_end = n;
  }

  const std::size_t bs = static_cast<std::size_t>(options.batch_size);
  training::ArrayBatches train(x, &y, &train_weight, 0, n_train, bs,
                               options.shuffle ? &compiled->shuffle_rng : nullptr);
  std::unique_ptr<training::ArrayBatches> val;
  if (vx) val = std::make_unique<training::ArrayBatches>(*vx, vy, vw, v_begin, v_end, bs, nullptr);
  return training::fit_loop(ptr_, train, val.get(), options);
}

}  // namespace xkeras

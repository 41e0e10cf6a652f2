// Model::fit: Keras's loop (keras/src/backend/*/trainer.py::fit with the History and ProgbarLogger
// callbacks). validation_split takes the LAST samples before shuffling; the training indices are
// reshuffled every epoch with the compiled model's own stream (seeded at compile); ceil(N / batch_size) steps keep the partial batch.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>

#include "models/compiled_state.hpp"
#include "models/training/data.hpp"
#include "models/training/fit_split.hpp"
#include "models/training/progbar.hpp"
#include "models/training/runner.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/initializers.hpp"
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

void check_options(const ModelImpl& m, const FitOptions& o) {
  const std::string who = "Model \"" + m.name() + "\": fit()";
  if (o.batch_size <= 0) throw ValueError(who + ": batch_size must be a positive integer, received " + std::to_string(o.batch_size));
  if (o.epochs < 0) throw ValueError(who + ": epochs must be >= 0, received " + std::to_string(o.epochs));
  if (o.initial_epoch < 0) throw ValueError(who + ": initial_epoch must be >= 0, received " + std::to_string(o.initial_epoch));
  if (o.verbose < 0 || o.verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(o.verbose));
}

// Evaluates rows [begin, end) of (x, y) in batches into `runner`'s trackers (validation is never shuffled).
void evaluate_rows(training::Runner& runner, training::BatchSlicer& slicer, const Tensors& x, const Tensors& y,
                   std::size_t begin, std::size_t end, std::size_t bs, Tensors& xb, Tensors& yb) {
  runner.reset();
  for (std::size_t s = begin; s < end; s += bs) {
    const std::size_t count = std::min(bs, end - s);
    slicer.range(x, s, count, xb);
    slicer.range(y, s, count, yb);
    runner.test_step(xb, yb);
  }
}

}  // namespace

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& options) const {
  return fit(Tensors{x}, Tensors{y}, options);
}

History Model::fit(const Tensors& x, const Tensors& y, const FitOptions& options) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before fit()");
  check_options(m, options);
  const std::size_t n = training::check_data(m, x, &y, "fit()");

  // Validation set: validation_data wins; otherwise the last rows of (x, y).
  const Tensors* vx = nullptr;
  const Tensors* vy = nullptr;
  std::size_t n_train = n, v_begin = 0, v_end = 0;
  if (options.validation_data) {
    vx = &options.validation_data->x;
    vy = &options.validation_data->y;
    v_end = training::check_data(m, *vx, vy, "fit() validation_data");
  } else if (options.validation_split != 0.0) {  // NaN and negatives reach the check too
    n_train = training::validation_split_at(n, options.validation_split);
    vx = &x;
    vy = &y;
    v_begin = n_train;
    v_end = n;
  }

  const std::size_t bs = static_cast<std::size_t>(options.batch_size);
  const int steps = static_cast<int>((n_train + bs - 1) / bs);
  History history;
  history.params = {{"verbose", options.verbose}, {"epochs", options.epochs}, {"steps", steps}};

  training::Runner runner(m, *compiled);
  training::Runner val_runner(m, *compiled);
  training::BatchSlicer slicer;
  Tensors xb, yb;
  std::vector<std::size_t> order(n_train);
  std::iota(order.begin(), order.end(), 0);
  const bool ansi = training::stdout_is_tty();

  for (int epoch = options.initial_epoch; epoch < options.epochs; ++epoch) {
    training::Progbar bar(steps, options.verbose, std::cout, ansi);
    if (options.verbose && options.epochs > 1)
      std::cout << "Epoch " << epoch + 1 << "/" << options.epochs << "\n" << std::flush;
    if (options.shuffle) std::shuffle(order.begin(), order.end(), compiled->shuffle_rng);
    runner.reset();
    bool stop = false;
    for (int step = 0; step < steps && !stop; ++step) {
      const std::size_t begin = static_cast<std::size_t>(step) * bs;
      const std::size_t count = std::min(bs, n_train - begin);
      slicer.gather(x, order.data() + begin, count, xb);
      slicer.gather(y, order.data() + begin, count, yb);
      const auto problem = runner.train_step(xb, yb, options.terminate_on_nan);
      if (!problem.what.empty()) {
        stop = true;
        if (options.verbose == 1) std::cout << "\n";
        std::cout << "Batch " << step + 1 << "/" << steps << " of epoch " << epoch + 1 << ": " << problem.what
                  << "; training stops here (terminate_on_nan). The weights are those from before this batch.\n"
                  << std::flush;
      } else if (options.verbose == 1) {
        bar.update(step + 1, runner.logs(), false);
      }
    }
    training::Logs logs = runner.logs();
    if (vx) {
      evaluate_rows(val_runner, slicer, *vx, *vy, v_begin, v_end, bs, xb, yb);
      const training::Logs v = val_runner.logs("val_");
      logs.insert(logs.end(), v.begin(), v.end());
    }
    if (history.keys.empty())
      for (const auto& kv : logs) history.keys.push_back(kv.first);
    for (const auto& [k, v] : logs) history.history[k].push_back(v);
    history.epoch.push_back(epoch);
    if (options.verbose) bar.update(steps, logs, true);
    if (stop) break;
  }
  return history;
}

}  // namespace xkeras

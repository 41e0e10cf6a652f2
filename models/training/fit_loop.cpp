// Keras 3's fit and evaluate loops (keras/src/backend/tensorflow/trainer.py), on any BatchSource:
//   on_train_begin; per epoch: reset metrics, on_epoch_begin, per batch on_train_batch_begin / step /
//   on_train_batch_end (stop_training ends the epoch), the epoch's logs, validation through evaluate's
//   loop with the same callbacks ("val_" keys), on_epoch_end; on_train_end with the last epoch's logs.
#include <iostream>
#include <optional>

#include "models/compiled_state.hpp"
#include "models/training/data_parallel.hpp"
#include "models/training/loops.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::training {

void check_fit_options(const FitOptions& o, const std::string& who) {
  if (o.epochs < 0) throw ValueError(who + ": epochs must be >= 0, received " + std::to_string(o.epochs));
  if (o.initial_epoch < 0) throw ValueError(who + ": initial_epoch must be >= 0, received " + std::to_string(o.initial_epoch));
  if (o.verbose < 0 || o.verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(o.verbose));
  if (o.steps_per_epoch < 0)
    throw ValueError(who + ": steps_per_epoch must be >= 0 (0 = one pass over the data), received " + std::to_string(o.steps_per_epoch));
  if (o.validation_steps < 0)
    throw ValueError(who + ": validation_steps must be >= 0 (0 = all), received " + std::to_string(o.validation_steps));
}

Logs evaluate_loop(Runner& runner, BatchSource& source, CallbackList& callbacks, int max_steps) {
  runner.reset();
  source.begin_epoch();
  Logs begin;
  callbacks.test_begin(begin);
  Batch b;
  for (int step = 0; max_steps <= 0 || step < max_steps; ++step) {
    if (!source.next(b)) break;
    Logs none;
    callbacks.test_batch_begin(step, none);
    if (!b.x.empty()) runner.test_step(b.x, b.y, b.sample_weight);  // empty: a rank without rows of this batch
    Logs logs = runner.logs();
    callbacks.test_batch_end(step, logs);
  }
  Logs logs = runner.logs();
  callbacks.test_end(logs);
  return logs;
}

Logs run_evaluate(const std::shared_ptr<ModelImpl>& model, BatchSource& source, const EvaluateOptions& o, int steps) {
  Runner runner(*model, *model->compiled());
  std::optional<DataParallelContext> dp;
  if (o.distribution) dp.emplace(*o.distribution);
  const bool sharded = dp && dp->active();
  std::unique_ptr<ShardedSource> wrap;
  BatchSource* src = &source;
  if (sharded) {
    if (!source.shard(dp->rank(), dp->size(), false)) {
      wrap = std::make_unique<ShardedSource>(source, dp->rank(), dp->size(), false);
      src = wrap.get();
    }
    runner.set_data_parallel(&*dp);
  }
  CallbackList callbacks(o.callbacks, model,
                         {{"verbose", o.verbose}, {"epochs", 1}, {"steps", steps >= 0 ? json(steps) : json(nullptr)}}, false,
                         o.verbose != 0 && (!sharded || dp->rank() == 0));
  return run_or_abort(dp ? &*dp : nullptr, "evaluate()", [&] { return evaluate_loop(runner, *src, callbacks, o.steps); });
}

namespace {

// Data parallelism: shards the sources (natively or wrapped) and hooks the runners to the other ranks.
struct Distribution {
  std::optional<DataParallelContext> dp;
  std::unique_ptr<ShardedSource> train_wrap, val_wrap;
  bool on() const { return dp && dp->active(); }
  bool chief() const { return !on() || dp->rank() == 0; }
  BatchSource* shard(BatchSource* s, std::unique_ptr<ShardedSource>& wrap, bool training) {
    if (!s || s->shard(dp->rank(), dp->size(), training)) return s;
    wrap = std::make_unique<ShardedSource>(*s, dp->rank(), dp->size(), training);
    return wrap.get();
  }
};

// The train step's share of the global batch: this rank's rows over the global batch's rows.
void shard_for(Distribution& d, Runner& runner, const Batch& b) {
  if (!d.on()) return;
  const double rows = b.x.empty() || b.x[0].shape().empty() ? 0.0 : static_cast<double>(b.x[0].shape()[0]);
  runner.set_data_parallel(&*d.dp, b.global_rows > 0 ? rows / static_cast<double>(b.global_rows) : 1.0);
}

History run_fit(const std::shared_ptr<ModelImpl>& model, BatchSource& train, BatchSource* val, const FitOptions& options,
                Distribution& d) {
  ModelImpl& m = *model;
  CompiledState& compiled = *m.compiled();
  const int per_epoch = options.steps_per_epoch > 0 ? options.steps_per_epoch : train.steps();
  const json params = {{"verbose", options.verbose}, {"epochs", options.epochs},
                       {"steps", per_epoch >= 0 ? json(per_epoch) : json(nullptr)}};
  m.stop_training = false;
  m.resume_epoch.reset();
  // Only rank 0 shows the progress bar and prints.
  CallbackList callbacks(options.callbacks, model, params, true, options.verbose != 0 && d.chief());
  Runner runner(m, compiled);
  Runner val_runner(m, compiled);
  if (d.on()) val_runner.set_data_parallel(&*d.dp);

  Logs begin;
  callbacks.train_begin(begin);
  // Rank 0's weights, optimizer state and resume epoch everywhere (after BackupAndRestore restored them).
  if (d.on()) d.dp->broadcast_state(m, compiled, m.resume_epoch);
  // BackupAndRestore resumes an interrupted run where its backup says (Keras's model._initial_epoch).
  const int initial_epoch = m.resume_epoch.value_or(options.initial_epoch);
  m.resume_epoch.reset();

  Logs training_logs;
  bool fresh_pass = true;  // with steps_per_epoch, a pass over the data may span epochs
  Batch batch;
  for (int epoch = initial_epoch; epoch < options.epochs; ++epoch) {
    runner.reset();
    Logs epoch_begin;
    callbacks.epoch_begin(epoch, epoch_begin);
    bool guard_stopped = false;
    if (options.steps_per_epoch == 0 || fresh_pass) train.begin_epoch();
    fresh_pass = false;
    for (int step = 0; options.steps_per_epoch == 0 || step < options.steps_per_epoch; ++step) {
      if (!train.next(batch)) {
        if (options.steps_per_epoch == 0) break;
        train.begin_epoch();  // used up: Keras's EpochIterator starts a new pass (reshuffled)
        if (!train.next(batch)) {
          if (d.chief())
            std::cout << "Your input ran out of data; interrupting training. The data gave no batch at step " << step + 1
                      << " of epoch " << epoch + 1 << ".\n" << std::flush;
          m.stop_training = true;
          break;
        }
      }
      Logs none;
      callbacks.train_batch_begin(step, none);
      shard_for(d, runner, batch);
      const auto problem = runner.train_step(batch.x, batch.y, batch.sample_weight, options.terminate_on_nan);
      if (!problem.what.empty()) {
        guard_stopped = true;
        if (d.chief()) {
          if (options.verbose == 1) std::cout << "\n";
          std::cout << "Batch " << step + 1 << (per_epoch > 0 ? "/" + std::to_string(per_epoch) : std::string())
                    << " of epoch " << epoch + 1 << ": " << problem.what
                    << "; training stops here (terminate_on_nan). The weights are those from before this batch.\n"
                    << std::flush;
        }
        break;
      }
      Logs logs = runner.logs();
      callbacks.train_batch_end(step, logs);
      // A callback may stop training on one rank only: every rank stops at the same step.
      if (d.on() && d.dp->any(m.stop_training, "the stop_training flag")) m.stop_training = true;
      if (m.stop_training) break;
    }
    Logs logs = runner.logs();
    // Validation and the callbacks (which may save) see one model: the ranks' moving statistics, averaged.
    if (d.on()) d.dp->average_non_trainable(m);
    if (val) {
      const Logs v = evaluate_loop(val_runner, *val, callbacks, options.validation_steps);
      for (const auto& [k, value] : v) logs.emplace_back("val_" + k, value);
    }
    callbacks.epoch_end(epoch, logs);
    // Also the barrier after rank 0's checkpoints: no rank goes on before they are written.
    if (d.on() && d.dp->any(m.stop_training, "the barrier after on_epoch_end")) m.stop_training = true;
    training_logs = logs;
    if (guard_stopped || m.stop_training) break;
  }
  callbacks.train_end(training_logs);
  if (d.on()) distributed::barrier("the barrier after on_train_end");
  return *callbacks.history();
}

}  // namespace

History fit_loop(const std::shared_ptr<ModelImpl>& model, BatchSource& train, BatchSource* val, const FitOptions& options) {
  check_fit_options(options, "Model \"" + model->name() + "\": fit()");
  Distribution d;
  if (options.distribution) d.dp.emplace(*options.distribution);
  if (!d.on()) return run_fit(model, train, val, options, d);
  BatchSource* train_shard = d.shard(&train, d.train_wrap, true);
  BatchSource* val_shard = d.shard(val, d.val_wrap, false);
  return run_or_abort(&*d.dp, "fit()", [&] { return run_fit(model, *train_shard, val_shard, options, d); });
}

}  // namespace xkeras::training

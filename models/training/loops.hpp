// The epoch loops of fit and evaluate over any BatchSource (arrays or a Dataset), with Keras 3's
// callback order (keras/src/backend/*/trainer.py::fit / evaluate).
#pragma once

#include <memory>

#include "models/training/batch_source.hpp"
#include "models/training/callback_list.hpp"
#include "models/training/runner.hpp"
#include "xkeras/training.hpp"

namespace xkeras::training {

/// fit's loop. `val` may be null. Uses options' epochs, initial_epoch, verbose, callbacks, steps_per_epoch,
/// validation_steps and terminate_on_nan; the data-related options are the caller's business.
History fit_loop(const std::shared_ptr<ModelImpl>& model, BatchSource& train, BatchSource* val,
                 const FitOptions& options);

/// One evaluation pass (Keras's evaluate with the given callbacks: on_test_begin, the batch hooks,
/// on_test_end); at most `max_steps` batches when > 0. Returns the logs without prefix.
Logs evaluate_loop(Runner& runner, BatchSource& source, CallbackList& callbacks, int max_steps);

/// evaluate on `source` with `o`'s callbacks and verbosity (`steps`: what the progress bar counts, -1
/// unknown). With o.distribution over several ranks each rank evaluates its rows of every batch, the logs
/// sum the ranks' states, and rank 0 alone shows the progress bar.
Logs run_evaluate(const std::shared_ptr<ModelImpl>& model, BatchSource& source, const EvaluateOptions& o, int steps);

/// fit's checks of epochs, verbose, initial_epoch and the step counts; `who` names the caller.
void check_fit_options(const FitOptions& o, const std::string& who);

}  // namespace xkeras::training

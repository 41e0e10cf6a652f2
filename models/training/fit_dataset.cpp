// Model::fit / evaluate / predict on a data::Dataset of batches (Keras's model.fit(dataset)): the
// dataset becomes a BatchSource (dataset_source.cpp) for the same loops as arrays.
#include <cstring>

#include "models/compiled_state.hpp"
#include "models/training/callback_list.hpp"
#include "models/training/data.hpp"
#include "models/training/dataset_source.hpp"
#include "models/training/loops.hpp"
#include "models/training/runner.hpp"
#include "xkeras/data.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/tape.hpp"
#include "xkeras/threads.hpp"

namespace xkeras {

namespace {

// What fit on a Dataset cannot take from the options (Keras's data adapters refuse the same).
void check_dataset_fit_options(const ModelImpl& m, const FitOptions& o, const std::string& who) {
  if (o.validation_split != 0.0)
    throw ValueError(who + ": validation_split is only supported for arrays, not a Dataset; pass validation data");
  if (o.sample_weight.defined())
    throw ValueError(who + ": sample_weight is not supported with a Dataset; make it the element's third tensor "
                           "({x, y, sample_weight})");
  if (!o.class_weight.empty() && training::model_output_count(m) != 1)
    throw ValueError(who + ": class_weight is only supported for models with a single output; this model has " +
                     std::to_string(training::model_output_count(m)));
}

History fit_on(const std::shared_ptr<ModelImpl>& ptr, const data::Dataset& dataset, const data::Dataset* validation,
               const FitOptions& options) {
  ModelImpl& m = *ptr;
  if (!m.compiled()) throw ValueError("You must call compile() before fit()");
  const std::string who = "Model \"" + m.name() + "\": fit()";
  training::check_fit_options(options, who);
  check_dataset_fit_options(m, options, who);
  training::check_finite(dataset, options.steps_per_epoch, who, "steps_per_epoch");
  training::DatasetBatches train(dataset, m, true, "fit()");
  train.set_class_weight(options.class_weight);  // the training batches only, as Keras
  std::unique_ptr<training::BatchSource> val;
  if (validation) {
    training::check_finite(*validation, options.validation_steps, who, "validation_steps");
    val = std::make_unique<training::DatasetBatches>(*validation, m, true, "fit() validation data");
  } else if (options.validation_data) {
    const ValidationData& vd = *options.validation_data;
    const std::size_t n = training::check_data(m, vd.x, &vd.y, "fit() validation_data");
    if (vd.sample_weight.defined() && vd.sample_weight.shape() != Shape{n})
      throw ValueError(who + ": validation_data.sample_weight must have shape (" + std::to_string(n) + ",)");
    val = std::make_unique<training::ArrayBatches>(vd.x, &vd.y, &vd.sample_weight, 0, n,
                                                   static_cast<std::size_t>(std::max(options.batch_size, 1)), nullptr);
  }
  return training::fit_loop(ptr, train, val.get(), options);
}

std::map<std::string, double> to_map(const Logs& logs) {
  std::map<std::string, double> out;
  for (const auto& [k, v] : logs) out[k] = v;
  return out;
}

// Concatenates per-batch outputs along axis 0 (checking that each output keeps its row shape).
Tensors concat_batches(const std::vector<Tensors>& batches, const std::string& who) {
  Tensors result;
  if (batches.empty()) return result;
  for (std::size_t o = 0; o < batches[0].size(); ++o) {
    Shape row = batches[0][o].shape();
    if (row.empty()) throw ValueError(who + ": the model returned a scalar; outputs must keep the batch axis");
    std::size_t n = 0;
    for (std::size_t b = 0; b < batches.size(); ++b) {
      Shape s = batches[b][o].shape();
      if (s.size() != row.size() || !std::equal(s.begin() + 1, s.end(), row.begin() + 1))
        throw ValueError(who + ": output " + std::to_string(o) + " of batch " + std::to_string(b) + " has shape " +
                         shape_str(s) + ", but batch 0 gave " + shape_str(row));
      n += s[0];
    }
    row[0] = n;
    Array a = Array::from_shape(row);
    float* dst = a.data();
    for (const auto& b : batches) {
      std::memcpy(dst, b[o].data(), b[o].size() * sizeof(float));
      dst += b[o].size();
    }
    result.emplace_back(std::move(a));
  }
  return result;
}

}  // namespace

History Model::fit(const data::Dataset& dataset, const FitOptions& options) const {
  return fit_on(ptr_, dataset, nullptr, options);
}

History Model::fit(const data::Dataset& dataset, const data::Dataset& validation, const FitOptions& options) const {
  if (options.validation_data)
    throw ValueError("Model \"" + ptr_->name() + "\": fit(): validation data given twice (a Dataset and validation_data)");
  return fit_on(ptr_, dataset, &validation, options);
}

std::map<std::string, double> Model::evaluate(const data::Dataset& dataset, const EvaluateOptions& o) const {
  ModelImpl& m = *ptr_;
  CompiledState* compiled = m.compiled();
  if (!compiled) throw ValueError("You must call compile() before evaluate()");
  const std::string who = "Model \"" + m.name() + "\": evaluate()";
  if (o.verbose < 0 || o.verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(o.verbose));
  if (o.steps < 0) throw ValueError(who + ": steps must be >= 0 (0 = all), received " + std::to_string(o.steps));
  if (o.sample_weight.defined())
    throw ValueError(who + ": sample_weight is not supported with a Dataset; make it the element's third tensor");
  training::check_finite(dataset, o.steps, who, "steps");
  training::DatasetBatches source(dataset, m, true, "evaluate()");
  const int known = source.steps();
  const int steps = o.steps > 0 && (known < 0 || o.steps < known) ? o.steps : known;
  return to_map(training::run_evaluate(ptr_, source, o, steps));
}

Tensors Model::predict(const data::Dataset& dataset, const PredictOptions& o) const {
  ModelImpl& m = *ptr_;
  const std::string who = "Model \"" + m.name() + "\": predict()";
  if (o.verbose < 0 || o.verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(o.verbose));
  if (o.steps < 0) throw ValueError(who + ": steps must be >= 0 (0 = all), received " + std::to_string(o.steps));
  training::check_finite(dataset, o.steps, who, "steps");
  training::DatasetBatches source(dataset, m, false, "predict()");
  const int known = source.steps();
  const int steps = o.steps > 0 && (known < 0 || o.steps < known) ? o.steps : known;
  training::CallbackList callbacks(o.callbacks, ptr_,
                                   {{"verbose", o.verbose}, {"epochs", 1}, {"steps", steps >= 0 ? json(steps) : json(nullptr)}},
                                   false, o.verbose != 0);
  Logs begin;
  callbacks.predict_begin(begin);
  std::vector<Tensors> outputs;
  training::Batch b;
  NoGrad ng;
  source.begin_epoch();
  for (int step = 0; o.steps <= 0 || step < o.steps; ++step) {
    if (!source.next(b)) break;
    adapt_threads();
    Logs none;
    callbacks.predict_batch_begin(step, none);
    Tensors ys = m(b.x, false);
    if (!outputs.empty() && ys.size() != outputs[0].size())
      throw ValueError(who + ": the model returned " + std::to_string(outputs[0].size()) + " outputs, then " +
                       std::to_string(ys.size()));
    Logs logs;
    logs.outputs = ys;
    callbacks.predict_batch_end(step, logs);
    outputs.push_back(std::move(ys));
  }
  Logs end;
  callbacks.predict_end(end);
  return concat_batches(outputs, who);
}

}  // namespace xkeras

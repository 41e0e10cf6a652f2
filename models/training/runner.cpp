#include "models/training/runner.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "models/training/data.hpp"
#include "models/training/weighted_loss.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/tape.hpp"
#include "xkeras/threads.hpp"

namespace xkeras::training {

Runner::Runner(ModelImpl& model, CompiledState& compiled) : model_(model), compiled_(compiled) {}

void Runner::prepare(const Tensors& x) {
  if (prepared_) return;
  if (!model_.has_graph()) {
    NoGrad ng;
    model_(x, false);  // a Sequential without Input builds its graph (and weights) on its first call
  }
  weights_ = model_.weights();
  trainable_ = model_.trainable_weights();
  std::set<const Variable*> trainable;
  for (const auto& v : trainable_) trainable.insert(v.get());
  is_trainable_.clear();
  regularized_.clear();
  for (const auto& v : weights_) {
    is_trainable_.push_back(trainable.count(v.get()) > 0);
    if (v->regularizer) regularized_.push_back(v);
  }
  const std::size_t nout = model_output_count(model_);
  output_names_.clear();
  for (std::size_t o = 0; o < nout; ++o)
    output_names_.push_back(model_.has_graph() ? model_.outputs()[o].layer().name() : model_.name());
  resolve_outputs();
  output_loss_sum_.assign(nout, 0.0);
  per_output_.assign(nout, 0.0);
  prepared_ = true;
}

namespace {

// A key of a by-output map that names no output: a ValueError listing the outputs.
void check_keys(const std::string& model, const std::string& what, const std::vector<std::string>& names,
                const std::vector<std::string>& keys) {
  for (const auto& k : keys)
    if (std::find(names.begin(), names.end(), k) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "\"" : ", \"") + n + "\"";
      throw ValueError("Model \"" + model + "\": compile() " + what + " has the key \"" + k +
                       "\", which is not an output; the outputs are " + list);
    }
}

template <class Map>
std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> out;
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}

}  // namespace

void Runner::resolve_outputs() {
  const std::size_t nout = output_names_.size();
  const std::string& name = model_.name();
  losses_.clear();
  if (!compiled_.losses_by_output.empty()) {
    // Keras: a dict of losses names outputs; an output without a loss does not train.
    check_keys(name, "loss", output_names_, keys_of(compiled_.losses_by_output));
    for (const auto& out : output_names_) {
      auto it = compiled_.losses_by_output.find(out);
      if (it == compiled_.losses_by_output.end())
        throw ValueError("Model \"" + name + "\": compile() received losses keyed by output name, but none for output \"" +
                         out + "\"");
      losses_.push_back(it->second);
    }
  } else {
    const std::size_t nloss = compiled_.losses.size();
    if (nloss != 1 && nloss != nout)
      throw ValueError("Model \"" + name + "\" has " + std::to_string(nout) + " outputs, but compile() received " +
                       std::to_string(nloss) + " losses; pass one loss per output, or a single loss for every output");
    for (std::size_t o = 0; o < nout; ++o) losses_.push_back(compiled_.losses[nloss == 1 ? 0 : o]);
  }
  loss_weights_.assign(nout, 1.0);
  if (!compiled_.loss_weights.empty()) {
    if (compiled_.loss_weights.size() != nout)
      throw ValueError("Model \"" + name + "\" has " + std::to_string(nout) + " outputs, but compile() received " +
                       std::to_string(compiled_.loss_weights.size()) + " loss_weights");
    loss_weights_ = compiled_.loss_weights;
  }
  check_keys(name, "loss_weights", output_names_, keys_of(compiled_.loss_weights_by_output));
  for (std::size_t o = 0; o < nout; ++o) {
    auto it = compiled_.loss_weights_by_output.find(output_names_[o]);
    if (it != compiled_.loss_weights_by_output.end()) loss_weights_[o] = it->second;
  }
  check_keys(name, "metrics", output_names_, keys_of(compiled_.metrics_by_output));
  metrics_.assign(nout, {});
  for (std::size_t o = 0; o < nout; ++o) {
    metrics_[o].specs = compiled_.metrics;
    auto it = compiled_.metrics_by_output.find(output_names_[o]);
    if (it != compiled_.metrics_by_output.end())
      metrics_[o].specs.insert(metrics_[o].specs.end(), it->second.begin(), it->second.end());
    metrics_[o].weighted_specs = compiled_.weighted_metrics;
  }
}

Tensor Runner::total_loss(const Tensors& y, const Tensors& y_pred, const Tensor& sample_weight,
                          std::vector<double>& per_output) {
  const std::size_t nout = output_names_.size();
  if (y_pred.size() != nout)
    throw ValueError("Model \"" + model_.name() + "\" returned " + std::to_string(y_pred.size()) + " outputs, expected " +
                     std::to_string(nout));
  Tensor total;
  for (std::size_t o = 0; o < nout; ++o) {
    Tensor l;
    try {
      l = weighted_loss(losses_[o], y[o], y_pred[o], sample_weight);
    } catch (const ValueError& e) {
      if (nout == 1) throw ValueError("Model \"" + model_.name() + "\": " + e.what());
      throw ValueError("Output " + std::to_string(o) + " (\"" + output_names_[o] + "\") of model \"" + model_.name() +
                       "\": " + e.what());
    }
    per_output[o] = l.item();  // Keras logs each output's loss without its loss weight
    if (loss_weights_[o] != 1.0) l = ops::scale(l, static_cast<float>(loss_weights_[o]));
    total = total.defined() ? ops::add(total, l) : l;
  }
  // Keras's compute_loss adds the model's regularization penalties, in training and evaluation.
  for (const auto& v : regularized_) total = ops::add(total, v->regularizer(v->value));
  return total;
}

void Runner::track(const Tensors& y, const Tensors& y_pred, const Tensor& sample_weight, double loss,
                   const std::vector<double>& per_output) {
  // The loss is a running mean weighted by batch size (Keras's _loss_tracker).
  const double bs = static_cast<double>(y_pred[0].shape().empty() ? 1 : y_pred[0].shape()[0]);
  loss_sum_ += loss * bs;
  seen_ += bs;
  for (std::size_t o = 0; o < per_output.size(); ++o) output_loss_sum_[o] += per_output[o] * bs;
  for (std::size_t o = 0; o < metrics_.size(); ++o) {
    OutputMetrics& om = metrics_[o];
    if (om.plain.size() != om.specs.size() || om.weighted.size() != om.weighted_specs.size()) {
      // "accuracy" resolves from the first batch's shapes, as in Keras; each output gets fresh state.
      om.plain.clear();
      om.weighted.clear();
      for (const auto& m : om.specs) om.plain.push_back(m.make(y[o].shape(), y_pred[o].shape()));
      for (const auto& m : om.weighted_specs) om.weighted.push_back(m.make(y[o].shape(), y_pred[o].shape()));
      for (std::size_t p = 0; p < o; ++p)  // a user object without clone() cannot serve two outputs
        for (const auto& a : metrics_[p].plain)
          for (const auto& b : om.plain)
            if (a == b)
              throw ValueError("Model \"" + model_.name() + "\": the metric object \"" + a->name() +
                               "\" would be shared by outputs \"" + output_names_[p] + "\" and \"" + output_names_[o] +
                               "\"; override MetricImpl::clone() so each output gets its own state");
    }
    // Keras: compiled metrics ignore the sample weights; weighted_metrics use them.
    for (auto& m : om.plain) m->update_state(y[o], y_pred[o], Tensor());
    for (auto& m : om.weighted) m->update_state(y[o], y_pred[o], sample_weight);
  }
}

namespace {

// True when every value is finite: NaN and +-Inf are the floats whose exponent bits are all ones.
// An integer OR over the buffer vectorizes (a float sum would not, without -ffast-math).
bool all_finite(const float* p, std::size_t n) {
  constexpr std::uint32_t kExponent = 0x7f800000u;
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, p + i, sizeof bits);
    bad |= static_cast<std::uint32_t>((bits & kExponent) == kExponent);
  }
  return bad == 0;
}

// Losses and metrics compute in float32: integer targets (sparse labels) are converted there,
// exactly for labels below 2^24.
Tensors float_targets(const Tensors& y) {
  Tensors out = y;
  for (auto& t : out)
    if (t.defined() && t.is_int()) t = ops::cast(t, DType::float32);
  return out;
}

std::string non_finite_name(double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

}  // namespace

Runner::StepProblem Runner::train_step(const Tensors& x, const Tensors& y, const Tensor& sample_weight, bool guard) {
  adapt_threads();  // threads for this step: fewer while other processes keep cores busy
  prepare(x);
  Tape& tape = Tape::current();
  tape.clear();
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    weights_[i]->value.set_requires_grad(is_trainable_[i]);
    weights_[i]->value.zero_grad();
  }
  Tensors y_pred;
  double value = 0;
  StepProblem problem;
  const Tensors yf = float_targets(y);
  // Synchronized BatchNormalization talks to the other ranks only inside a data-parallel step.
  std::optional<distributed::detail::DataParallelStepScope> dp_step;
  if (dp_ && dp_->active()) {
    dp_->broadcast_weights(model_, compiled_);  // once per fit; here for a model built by its first call
    dp_step.emplace();
  }
  try {
    y_pred = model_(x, true);
    Tensor loss = total_loss(yf, y_pred, sample_weight, per_output_);
    value = loss.item();
    if (guard && !std::isfinite(value)) problem.what = "the loss is " + non_finite_name(value);
    if (dp_ && dp_->active() && loss.requires_grad()) {
      // Every rank takes part in the gradients' sum, whatever its loss; the guard then decides alike.
      const bool bad_somewhere = dp_->backward(loss, share_, trainable_, !problem.what.empty());
      if (bad_somewhere && problem.what.empty()) problem.what = "the loss is not finite on another rank";
    } else if (loss.requires_grad() && problem.what.empty()) {
      tape.backward(loss);
    } else {
      tape.clear();  // nothing trainable: no gradient, no update
    }
  } catch (...) {
    tape.clear();  // a failed step must not leave its entries (and their tensors) on the tape
    throw;
  }
  // A finite loss can still have a gradient that overflowed; applying it would ruin every weight.
  for (std::size_t i = 0; guard && problem.what.empty() && i < trainable_.size(); ++i) {
    const Tensor& w = trainable_[i]->value;
    if (w.has_grad() && !all_finite(w.impl()->grad.data(), w.impl()->grad.size()))
      problem.what = "the gradient of " + trainable_[i]->path() + " is not finite";
  }
  if (problem.what.empty()) compiled_.optimizer->apply_gradients(trainable_);
  track(yf, y_pred, sample_weight, value, per_output_);
  return problem;
}

void Runner::test_step(const Tensors& x, const Tensors& y, const Tensor& sample_weight) {
  adapt_threads();  // threads for this step: fewer while other processes keep cores busy
  prepare(x);
  NoGrad ng;
  const Tensors y_pred = model_(x, false);
  const Tensors yf = float_targets(y);
  Tensor loss = total_loss(yf, y_pred, sample_weight, per_output_);
  track(yf, y_pred, sample_weight, loss.item(), per_output_);
}

void Runner::reset() {
  loss_sum_ = seen_ = 0;
  std::fill(output_loss_sum_.begin(), output_loss_sum_.end(), 0.0);
  for (auto& om : metrics_) {
    for (auto& m : om.plain) m->reset_state();
    for (auto& m : om.weighted) m->reset_state();
  }
}

std::vector<std::pair<double*, std::size_t>> Runner::summable_state(bool& all_summable) {
  std::vector<std::pair<double*, std::size_t>> spans{{&loss_sum_, 1}, {&seen_, 1}, {output_loss_sum_.data(), output_loss_sum_.size()}};
  all_summable = true;
  for (auto& om : metrics_)
    for (auto* list : {&om.plain, &om.weighted})
      for (auto& m : *list) {
        const auto state = m->summable_state();
        all_summable = all_summable && !state.empty();
        spans.insert(spans.end(), state.begin(), state.end());
      }
  return spans;
}

Logs Runner::logs(const std::string& prefix) {
  if (!dp_ || !dp_->active()) return local_logs(prefix);
  // The logs of the global batch: sum the running states over the ranks, read them, put ours back.
  bool all_summable = true;
  const auto spans = summable_state(all_summable);
  std::vector<double> mine;
  for (const auto& [p, n] : spans) mine.insert(mine.end(), p, p + n);
  std::vector<double> all = mine;
  dp_->sum(all, "the metrics' sum");
  const auto put = [&spans](const std::vector<double>& from) {
    std::size_t at = 0;
    for (const auto& [p, n] : spans) {
      std::copy(from.begin() + static_cast<long>(at), from.begin() + static_cast<long>(at + n), p);
      at += n;
    }
  };
  put(all);
  Logs out = local_logs(prefix);
  put(mine);
  // A metric without summable_state() has a value of its own on each rank: every rank logs rank 0's, so
  // that callbacks deciding on it (EarlyStopping, ReduceLROnPlateau) decide alike everywhere.
  if (!all_summable) {
    std::vector<double> values;
    for (const auto& kv : out) values.push_back(kv.second);
    distributed::broadcast(values.data(), values.size() * sizeof(double), 0, "the logs of unsummable metrics");
    for (std::size_t i = 0; i < out.size(); ++i) out[i].second = values[i];
  }
  return out;
}

Logs Runner::local_logs(const std::string& prefix) const {
  Logs out;
  out.emplace_back(prefix + "loss", seen_ > 0 ? loss_sum_ / seen_ : 0.0);
  const std::size_t nout = output_names_.size();
  // Keras's CompileMetrics.result(): "<output>_" with several outputs; a repeated name gets "_1", ...;
  // a weighted metric whose name is taken becomes "weighted_<name>".
  std::map<std::string, int> seen;
  const auto add = [&](const std::string& base, const std::vector<double>& values) {
    std::string key = base;
    if (seen.count(key)) key += "_" + std::to_string(seen[base]++);
    else seen[key] = 1;
    if (values.size() == 1) {
      out.emplace_back(prefix + key, values[0]);
    } else {  // a metric with several values (thresholds, classes) logs each as "<name>_<i>"
      for (std::size_t i = 0; i < values.size(); ++i) out.emplace_back(prefix + key + "_" + std::to_string(i), values[i]);
    }
  };
  const auto values = [](const std::vector<std::shared_ptr<metrics::MetricImpl>>& ms, std::size_t k) {
    return k < ms.size() ? ms[k]->results() : std::vector<double>{0.0};
  };
  for (std::size_t o = 0; o < nout; ++o) {
    const std::string head = nout > 1 ? output_names_[o] + "_" : "";
    for (std::size_t k = 0; k < metrics_[o].specs.size(); ++k) add(head + metrics_[o].specs[k].name(), values(metrics_[o].plain, k));
  }
  for (std::size_t o = 0; o < nout; ++o) {
    const std::string head = nout > 1 ? output_names_[o] + "_" : "";
    for (std::size_t k = 0; k < metrics_[o].weighted_specs.size(); ++k) {
      const std::string& n = metrics_[o].weighted_specs[k].name();
      add(seen.count(head + n) ? head + "weighted_" + n : head + n, values(metrics_[o].weighted, k));
    }
  }
  if (nout > 1)
    for (std::size_t o = 0; o < nout; ++o)
      out.emplace_back(prefix + output_names_[o] + "_loss", seen_ > 0 ? output_loss_sum_[o] / seen_ : 0.0);
  return out;
}

}  // namespace xkeras::training

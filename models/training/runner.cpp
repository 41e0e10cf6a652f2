#include "models/training/runner.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>

#include "models/training/data.hpp"
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
  const std::size_t nloss = compiled_.losses.size();
  if (nloss != 1 && nloss != nout)
    throw ValueError("Model \"" + model_.name() + "\" has " + std::to_string(nout) + " outputs, but compile() received " +
                     std::to_string(nloss) + " losses; pass one loss per output, or a single loss for every output");
  output_names_.clear();
  for (std::size_t o = 0; o < nout; ++o)
    output_names_.push_back(model_.has_graph() ? model_.outputs()[o].layer().name() : model_.name());
  metrics_.assign(nout, {});
  output_loss_sum_.assign(nout, 0.0);
  per_output_.assign(nout, 0.0);
  prepared_ = true;
}

Tensor Runner::total_loss(const Tensors& y, const Tensors& y_pred, std::vector<double>& per_output) {
  const std::size_t nout = output_names_.size();
  if (y_pred.size() != nout)
    throw ValueError("Model \"" + model_.name() + "\" returned " + std::to_string(y_pred.size()) + " outputs, expected " +
                     std::to_string(nout));
  Tensor total;
  for (std::size_t o = 0; o < nout; ++o) {
    const Loss& loss = compiled_.losses.size() == 1 ? compiled_.losses[0] : compiled_.losses[o];
    Tensor l;
    try {
      l = masked_loss(loss, y[o], y_pred[o]);
    } catch (const ValueError& e) {
      if (nout == 1) throw;
      throw ValueError("Output " + std::to_string(o) + " (\"" + output_names_[o] + "\") of model \"" + model_.name() +
                       "\": " + e.what());
    }
    per_output[o] = l.item();
    total = total.defined() ? ops::add(total, l) : l;
  }
  // Keras's compute_loss adds the model's regularization penalties, in training and evaluation.
  for (const auto& v : regularized_) total = ops::add(total, v->regularizer(v->value));
  return total;
}

Tensor Runner::masked_loss(const Loss& loss, const Tensor& y, const Tensor& y_pred) {
  const Tensor mask = y_pred.keras_mask();
  if (!mask.defined()) return loss(y, y_pred);
  // Keras 3 (Loss.__call__ with a mask on y_pred): masked entries do not count, so the loss is the
  // mean over the unmasked ones: sum(l * m) / sum(m).
  Tensor per = loss->per_sample(y, y_pred);
  if (per.shape() != mask.shape()) return loss(y, y_pred);  // the mask does not describe these losses
  double count = 0;
  for (float m : mask.value()) count += m;
  if (count == 0) return ops::scale(ops::sum(ops::mul(per, mask)), 0.0f);
  return ops::scale(ops::sum(ops::mul(per, mask)), static_cast<float>(1.0 / count));
}

void Runner::track(const Tensors& y, const Tensors& y_pred, double loss, const std::vector<double>& per_output) {
  // The loss is a running mean weighted by batch size (Keras's _loss_tracker).
  const double bs = static_cast<double>(y_pred[0].shape().empty() ? 1 : y_pred[0].shape()[0]);
  loss_sum_ += loss * bs;
  seen_ += bs;
  for (std::size_t o = 0; o < per_output.size(); ++o) output_loss_sum_[o] += per_output[o] * bs;
  for (std::size_t o = 0; o < metrics_.size(); ++o) {
    if (metrics_[o].empty())  // "accuracy" resolves from the first batch's shapes, as in Keras
      for (const auto& m : compiled_.metrics) metrics_[o].push_back(m.make(y[o].shape(), y_pred[o].shape()));
    for (auto& m : metrics_[o]) m->update_state(y[o], y_pred[o]);
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
  if (sample_weight.defined()) throw ValueError("Model \"" + model_.name() + "\": sample_weight is not supported yet");
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
  try {
    y_pred = model_(x, true);
    Tensor loss = total_loss(yf, y_pred, per_output_);
    value = loss.item();
    if (guard && !std::isfinite(value)) problem.what = "the loss is " + non_finite_name(value);
    if (loss.requires_grad() && problem.what.empty()) tape.backward(loss);  // nothing trainable: no gradient, no update
    else tape.clear();
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
  track(yf, y_pred, value, per_output_);
  return problem;
}

void Runner::test_step(const Tensors& x, const Tensors& y, const Tensor& sample_weight) {
  if (sample_weight.defined()) throw ValueError("Model \"" + model_.name() + "\": sample_weight is not supported yet");
  adapt_threads();  // threads for this step: fewer while other processes keep cores busy
  prepare(x);
  NoGrad ng;
  const Tensors y_pred = model_(x, false);
  const Tensors yf = float_targets(y);
  Tensor loss = total_loss(yf, y_pred, per_output_);
  track(yf, y_pred, loss.item(), per_output_);
}

void Runner::reset() {
  loss_sum_ = seen_ = 0;
  std::fill(output_loss_sum_.begin(), output_loss_sum_.end(), 0.0);
  for (auto& ms : metrics_)
    for (auto& m : ms) m->reset_state();
}

Logs Runner::logs(const std::string& prefix) const {
  Logs out;
  out.emplace_back(prefix + "loss", seen_ > 0 ? loss_sum_ / seen_ : 0.0);
  const std::size_t nout = output_names_.size();
  for (std::size_t o = 0; o < nout; ++o)
    for (std::size_t k = 0; k < compiled_.metrics.size(); ++k) {
      const std::string name = (nout > 1 ? output_names_[o] + "_" : "") + compiled_.metrics[k].name();
      const double v = k < metrics_[o].size() ? metrics_[o][k]->result() : 0.0;
      out.emplace_back(prefix + name, v);
    }
  if (nout > 1)
    for (std::size_t o = 0; o < nout; ++o)
      out.emplace_back(prefix + output_names_[o] + "_loss", seen_ > 0 ? output_loss_sum_[o] / seen_ : 0.0);
  return out;
}

}  // namespace xkeras::training

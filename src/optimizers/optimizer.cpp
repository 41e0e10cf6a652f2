// The optimizer base: Keras's apply() order (clip -> weight decay -> update -> constraint ->
// iterations += 1), slot bookkeeping, config and state.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "optimizers/array_codec.hpp"
#include "optimizers/config_values.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/optimizers.hpp"

namespace xkeras::optimizers {

namespace {

std::string opt_str(const std::optional<float>& v) { return v ? std::to_string(*v) : "None"; }

}  // namespace

OptimizerImpl::OptimizerImpl(std::string name, LearningRate learning_rate, BaseOptions base)
    : name_(std::move(name)), learning_rate_(static_cast<float>(learning_rate.value)), schedule_(std::move(learning_rate.schedule)),
      base_(base) {
  const int clip_args = int(base_.clipnorm.has_value()) + int(base_.clipvalue.has_value()) +
                        int(base_.global_clipnorm.has_value());
  if (clip_args > 1)
    throw ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=" +
                     opt_str(base_.clipnorm) + ", clipvalue=" + opt_str(base_.clipvalue) +
                     ", global_clipnorm=" + opt_str(base_.global_clipnorm));
  if (schedule_) learning_rate_ = static_cast<float>((*schedule_)(0));
  if (!std::isfinite(learning_rate_))
    throw ValueError("Optimizer \"" + name_ + "\": `learning_rate` must be a finite float, received " +
                     std::to_string(learning_rate_) + (schedule_ ? " (the schedule's value at step 0)" : ""));
}

float OptimizerImpl::learning_rate() const {
  return schedule_ ? static_cast<float>((*schedule_)(iterations_)) : learning_rate_;
}

void OptimizerImpl::set_learning_rate(float lr) {
  if (schedule_)
    throw ValueError("Optimizer \"" + name_ + "\" (" + class_name() + ") was created with a learning-rate schedule (" +
                     schedule_->class_name() + "), so its learning rate cannot be set; create the optimizer with a "
                     "float learning rate to change it");
  learning_rate_ = lr;
}

std::vector<std::vector<std::size_t>> OptimizerImpl::slot_groups() const {
  std::vector<std::vector<std::size_t>> g;
  for (std::size_t i = 0, n = slot_names().size(); i < n; ++i) g.push_back({i});
  return g;
}

std::vector<Array>& OptimizerImpl::slots_for(const VariablePtr& v) {
  Slots& s = slots_[v.get()];
  const auto names = slot_names();
  bool fresh = s.var.lock() != v || s.arrays.size() != names.size();
  for (std::size_t i = 0; !fresh && i < s.arrays.size(); ++i) fresh = to_shape(s.arrays[i]) != v->shape();
  if (fresh) {
    s.var = v;
    s.arrays.clear();
    for (std::size_t i = 0; i < names.size(); ++i) {
      Array a = Array::from_shape(v->shape());
      std::fill(a.begin(), a.end(), slot_initial_value(i));
      s.arrays.push_back(std::move(a));
    }
  }
  return s.arrays;
}

void OptimizerImpl::apply_gradients(const std::vector<VariablePtr>& vars) {
  if (vars.empty()) return;
  // Keras evaluates the schedule at the step count before this step's increment.
  if (schedule_) learning_rate_ = static_cast<float>((*schedule_)(iterations_));
  // global_clipnorm scales every gradient by clip * min(1/global_norm, 1/clip); a non-finite
  // norm makes the scale NaN (Keras's clip_by_global_norm does the same on purpose).
  float global_scale = 1.0f;
  const bool use_global = base_.global_clipnorm && *base_.global_clipnorm > 0;
  if (use_global) {
    double sq = 0;
    for (const auto& v : vars) {
      if (!v->value.has_grad()) continue;
      const Array& g = v->value.impl()->grad;
      const float* pg = g.data();
      for (std::size_t i = 0, n = g.size(); i < n; ++i) sq += double(pg[i]) * double(pg[i]);
    }
    const double norm = std::sqrt(sq);
    const double c = *base_.global_clipnorm;
    global_scale = static_cast<float>(c * std::min(1.0 / norm, 1.0 / c) + (norm - norm));
  }
  const bool use_norm = base_.clipnorm && *base_.clipnorm > 0;
  const bool use_value = base_.clipvalue && *base_.clipvalue > 0;
  const bool decay = base_.weight_decay.has_value();
  bool began = false;

  for (const auto& v : vars) {
    if (!v->value.has_grad()) continue;  // not connected to the loss: Keras drops None gradients
    Array& value = v->value.mutable_value();
    const Array& grad = v->value.impl()->grad;
    const std::size_t n = value.size();
    if (grad.size() != n)
      throw ValueError("Optimizer \"" + name_ + "\": gradient of " + v->path() + " has shape " +
                       shape_str(to_shape(grad)) + ", but the variable has shape " + shape_str(v->shape()));
    const float* g = grad.data();
    if (use_global || use_norm || use_value) {
      // Clip into a reused buffer: the variable's own gradient stays as the tape left it.
      if (scratch_.size() < n) scratch_.resize(n);
      float* c = scratch_.data();
      if (use_global) {
        for (std::size_t i = 0; i < n; ++i) c[i] = g[i] * global_scale;
      } else if (use_norm) {
        // clip_by_norm: g * clipnorm / max(||g||, clipnorm)
        double sq = 0;
        for (std::size_t i = 0; i < n; ++i) sq += double(g[i]) * double(g[i]);
        const float clip = *base_.clipnorm;
        const float denom = std::max(static_cast<float>(std::sqrt(sq)), clip);
        for (std::size_t i = 0; i < n; ++i) c[i] = g[i] * clip / denom;
      } else {
        const float lim = *base_.clipvalue;
        for (std::size_t i = 0; i < n; ++i) c[i] = std::min(std::max(g[i], -lim), lim);
      }
      g = c;
    }
    float* w = value.data();
    if (decay) {
      // Decoupled weight decay, before the update: var -= var * wd * lr.
      const float k = *base_.weight_decay * learning_rate_;
      for (std::size_t i = 0; i < n; ++i) w[i] -= w[i] * k;
    }
    if (!began) {  // Keras applies the decay to every variable first; begin_step reads none of them
      begin_step();
      began = true;
    }
    std::vector<Array>& slots = slots_for(v);
    slot_ptrs_.clear();
    for (auto& s : slots) slot_ptrs_.push_back(s.data());
    update_step(w, g, n, slot_ptrs_);
    if (v->constraint) v->constraint.apply(value);
  }
  ++iterations_;
}

json OptimizerImpl::base_config() const {
  return json{{"name", name_},
              // Keras keeps the learning rate in a float32 variable and writes float(value);
              // a schedule is written as its Keras object.
              {"learning_rate", schedule_ ? schedules::serialize(*schedule_) : json(static_cast<double>(learning_rate_))},
              {"weight_decay", config_values::optional_number(base_.weight_decay)},
              {"clipnorm", config_values::optional_number(base_.clipnorm)},
              {"global_clipnorm", config_values::optional_number(base_.global_clipnorm)},
              {"clipvalue", config_values::optional_number(base_.clipvalue)},
              {"use_ema", false},
              {"ema_momentum", 0.99},
              {"ema_overwrite_frequency", nullptr},
              {"loss_scale_factor", nullptr},
              {"gradient_accumulation_steps", nullptr}};
}

json OptimizerImpl::get_config() const { return base_config(); }

// ---- state ---------------------------------------------------------------------------------

json OptimizerImpl::get_state() const {
  // Sorted by path: slots_ is keyed by address, and a saved file should not depend on the heap's layout.
  std::map<std::string, const Slots*> by_path;
  for (const auto& [key, s] : slots_) {
    auto v = s.var.lock();
    if (!v) continue;  // the variable is gone: its slots are stale
    const std::string p = v->path();
    if (!by_path.emplace(p, &s).second)
      throw ValueError("Optimizer \"" + name_ + "\": two different variables share the path \"" + p +
                       "\", so the optimizer state cannot be keyed by path; give the layers unique names");
  }
  json variables = json::object();
  const auto names = slot_names();
  for (const auto& [p, s] : by_path) {
    json slots = json::object();
    for (std::size_t i = 0; i < names.size() && i < s->arrays.size(); ++i) slots[names[i]] = array_codec::encode(s->arrays[i]);
    variables[p] = std::move(slots);
  }
  json out{{"iterations", iterations_}, {"variables", std::move(variables)}};
  const auto snames = scalar_names();
  if (!snames.empty()) {
    json sc = json::object();
    for (std::size_t i = 0; i < snames.size() && i < scalars_.size(); ++i) sc[snames[i]] = static_cast<double>(scalars_[i]);
    out["scalars"] = std::move(sc);
  }
  return out;
}

void OptimizerImpl::set_state(const json& state, const std::vector<VariablePtr>& vars, const std::string& path) {
  if (!state.is_object())
    throw ConfigError(path, "expected an object with \"iterations\" and \"variables\", got " + shown(state));
  auto it = state.find("iterations");
  if (it == state.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0)
    throw ConfigError(path + ".iterations", "expected a non-negative integer, got " +
                                                (it == state.end() ? std::string("nothing") : shown(*it)));
  const std::int64_t iterations = it->get<std::int64_t>();
  auto vs = state.find("variables");
  if (vs == state.end() || !vs->is_object())
    throw ConfigError(path + ".variables", "expected an object keyed by variable path, got " +
                                               (vs == state.end() ? std::string("nothing") : shown(*vs)));

  std::map<std::string, VariablePtr> by_path;
  for (const auto& v : vars) by_path[v->path()] = v;
  const auto names = slot_names();
  // Decode and validate everything before touching the live state: a bad file leaves it intact.
  std::map<const Variable*, Slots> restored;
  for (const auto& [p, slots] : vs->items()) {
    const std::string where = path + ".variables[\"" + p + "\"]";
    auto v = by_path.find(p);
    if (v == by_path.end()) throw ConfigError(where, "no trainable variable of the model has this path");
    if (!slots.is_object()) throw ConfigError(where, "expected an object keyed by slot name");
    if (slots.size() != names.size())
      throw ConfigError(where, "expected " + std::to_string(names.size()) + " slot(s) for optimizer " + class_name() +
                                   ", got " + std::to_string(slots.size()));
    Slots s{v->second, {}};
    for (const auto& name : names) {
      auto a = slots.find(name);
      if (a == slots.end()) throw ConfigError(where, "missing slot \"" + name + "\" of optimizer " + class_name());
      Array arr = array_codec::decode(*a, where + "." + name);
      if (to_shape(arr) != v->second->shape())
        throw ConfigError(where + "." + name, "expected shape " + shape_str(v->second->shape()) + " (the variable's), got " +
                                                  shape_str(to_shape(arr)));
      s.arrays.push_back(std::move(arr));
    }
    restored[v->second.get()] = std::move(s);
  }
  // Optimizer-wide scalars (Nadam's u_product); a state without them starts them fresh.
  std::vector<float> scalars = initial_scalars();
  const auto snames = scalar_names();
  if (auto sc = state.find("scalars"); sc != state.end()) {
    if (!sc->is_object()) throw ConfigError(path + ".scalars", "expected an object keyed by name, got " + shown(*sc));
    for (const auto& [k, val] : sc->items()) {
      auto at = std::find(snames.begin(), snames.end(), k);
      if (at == snames.end()) throw ConfigError(path + ".scalars." + k, "optimizer " + class_name() + " has no such state");
      if (!val.is_number() || !std::isfinite(val.get<double>()))
        throw ConfigError(path + ".scalars." + k, "expected a finite number, got " + shown(val));
      scalars[static_cast<std::size_t>(at - snames.begin())] = static_cast<float>(val.get<double>());
    }
  }
  slots_ = std::move(restored);
  scalars_ = std::move(scalars);
  iterations_ = iterations;
}

}  // namespace xkeras::optimizers

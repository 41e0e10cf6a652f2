// Model::compile and the compile_config JSON (Keras 3: loss and loss_weights as a value, a list or a
// dict keyed by output name; metric names or metric objects).
#include "models/compiled_state.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace {

void check_loss_count(const ModelImpl& m, std::size_t n) {
  if (m.has_graph() && n != 1 && n != m.outputs().size())
    throw ValueError("Model \"" + m.name() + "\" has " + std::to_string(m.outputs().size()) + " outputs, but compile() received " +
                     std::to_string(n) + " losses; pass one loss per output, or a single loss for every output");
}

}  // namespace

void Model::compile(const Optimizer& optimizer, const Loss& loss, const std::vector<Metric>& metrics) const {
  ptr_->set_compiled(std::make_shared<CompiledState>(CompiledState{optimizer, {loss}, metrics, false}));
}

void Model::compile(const Optimizer& optimizer, const std::vector<Loss>& losses, const std::vector<Metric>& metrics) const {
  if (losses.empty()) throw ValueError("Model \"" + ptr_->name() + "\": compile() received an empty list of losses");
  check_loss_count(*ptr_, losses.size());
  ptr_->set_compiled(std::make_shared<CompiledState>(CompiledState{optimizer, losses, metrics, true}));
}

void Model::compile(const Optimizer& optimizer, const NamedLosses& losses, const NamedMetrics& metrics) const {
  compile(optimizer, CompileOptions().with_loss_by_output(losses).with_metrics_by_output(metrics));
}

void Model::compile(const Optimizer& optimizer, const CompileOptions& o) const {
  const std::string who = "Model \"" + ptr_->name() + "\": compile()";
  if (o.loss.empty() == o.loss_by_output.empty())
    throw ValueError(who + " needs either `loss` (one loss, or one per output) or `loss_by_output` (keyed by output name), not " +
                     (o.loss.empty() ? "neither" : "both"));
  if (!o.loss_weights.empty() && !o.loss_weights_by_output.empty())
    throw ValueError(who + ": give either loss_weights or loss_weights_by_output, not both");
  check_loss_count(*ptr_, o.loss.empty() ? 1 : o.loss.size());
  if (ptr_->has_graph() && !o.loss_weights.empty() && o.loss_weights.size() != ptr_->outputs().size())
    throw ValueError(who + ": loss_weights has " + std::to_string(o.loss_weights.size()) + " values, but the model has " +
                     std::to_string(ptr_->outputs().size()) + " outputs");
  // Names are checked against the outputs when training starts (a Sequential may not be built yet).
  auto state = std::make_shared<CompiledState>(CompiledState{optimizer, o.loss, o.metrics, o.loss.size() > 1});
  state->losses_by_output = o.loss_by_output;
  state->loss_weights = o.loss_weights;
  state->loss_weights_by_output = o.loss_weights_by_output;
  state->metrics_by_output = o.metrics_by_output;
  state->weighted_metrics = o.weighted_metrics;
  ptr_->set_compiled(std::move(state));
}

Optimizer Model::optimizer() const {
  if (!ptr_->compiled()) throw ValueError("Model \"" + ptr_->name() + "\" has no optimizer: call compile() first");
  return ptr_->compiled()->optimizer;
}

namespace {

xkeras::json metric_list(const std::vector<Metric>& ms) {
  xkeras::json out = xkeras::json::array();
  for (const auto& m : ms) out.push_back(m.to_json());
  return out;
}

}  // namespace

xkeras::json compile_config(const CompiledState& s) {
  xkeras::json loss;
  if (!s.losses_by_output.empty()) {
    loss = xkeras::json::object();
    for (const auto& [name, l] : s.losses_by_output) loss[name] = l.to_json();
  } else if (s.losses_as_list) {
    loss = xkeras::json::array();
    for (const auto& l : s.losses) loss.push_back(l.to_json());
  } else {
    loss = s.losses.at(0).to_json();
  }
  xkeras::json loss_weights = nullptr;
  if (!s.loss_weights.empty()) loss_weights = s.loss_weights;
  if (!s.loss_weights_by_output.empty()) loss_weights = s.loss_weights_by_output;
  xkeras::json metrics = nullptr;
  if (!s.metrics_by_output.empty()) {
    // Keras's dict form: output name -> list; metrics for every output are added to each.
    metrics = xkeras::json::object();
    for (const auto& [name, ms] : s.metrics_by_output) metrics[name] = metric_list(ms);
    if (!s.metrics.empty()) metrics["*"] = metric_list(s.metrics);
  } else if (!s.metrics.empty()) {
    metrics = metric_list(s.metrics);
  }
  xkeras::json weighted = nullptr;
  if (!s.weighted_metrics.empty()) weighted = metric_list(s.weighted_metrics);
  return xkeras::json{{"optimizer", s.optimizer.to_json()},
                      {"loss", loss},
                      {"loss_weights", loss_weights},
                      {"metrics", metrics},
                      {"weighted_metrics", weighted},
                      {"run_eagerly", false},
                      {"steps_per_execution", 1},
                      {"jit_compile", false}};
}

namespace {

std::vector<Metric> metrics_from_json(const xkeras::json& m, const std::string& path) {
  if (!m.is_array()) throw ConfigError(path, "expected a list of metrics, got " + shown(m));
  std::vector<Metric> out;
  for (std::size_t i = 0; i < m.size(); ++i) out.push_back(Metric::from_json(m[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

double number(const xkeras::json& j, const std::string& path) {
  if (!j.is_number()) throw ConfigError(path, "expected a number, got " + shown(j));
  return j.get<double>();
}

}  // namespace

std::shared_ptr<CompiledState> compiled_state_from_config(const xkeras::json& c, const std::string& path) {
  if (!c.is_object()) throw ConfigError(path, "expected an object, got " + shown(c));
  if (!c.contains("optimizer")) throw ConfigError(path + ".optimizer", "missing");
  Optimizer optimizer = Optimizer::from_json(c["optimizer"], path + ".optimizer");
  if (!c.contains("loss") || c["loss"].is_null()) throw ConfigError(path + ".loss", "a loss is required");
  std::vector<Loss> losses;
  std::map<std::string, Loss> by_output;
  bool as_list = false;
  const auto& l = c["loss"];
  const bool loss_is_object = l.is_object() && !l.contains("class_name");  // a dict keyed by output name
  if (l.is_array()) {
    if (l.empty()) throw ConfigError(path + ".loss", "expected at least one loss");
    as_list = true;
    for (std::size_t i = 0; i < l.size(); ++i) losses.push_back(Loss::from_json(l[i], path + ".loss[" + std::to_string(i) + "]"));
  } else if (loss_is_object) {
    if (l.empty()) throw ConfigError(path + ".loss", "expected at least one loss");
    for (const auto& [name, v] : l.items()) by_output.emplace(name, Loss::from_json(v, path + ".loss." + name));
  } else {
    losses.push_back(Loss::from_json(l, path + ".loss"));
  }
  auto state = std::make_shared<CompiledState>(CompiledState{optimizer, losses, {}, as_list});
  state->losses_by_output = std::move(by_output);
  if (c.contains("loss_weights") && !c["loss_weights"].is_null()) {
    const auto& w = c["loss_weights"];
    const std::string wp = path + ".loss_weights";
    if (w.is_array()) {
      for (std::size_t i = 0; i < w.size(); ++i) state->loss_weights.push_back(number(w[i], wp + "[" + std::to_string(i) + "]"));
    } else if (w.is_object()) {
      for (const auto& [name, v] : w.items()) state->loss_weights_by_output[name] = number(v, wp + "." + name);
    } else if (w.is_number()) {
      state->loss_weights.push_back(w.get<double>());  // one output
    } else {
      throw ConfigError(wp, "expected a list or a dict of numbers, got " + shown(w));
    }
  }
  if (c.contains("metrics") && !c["metrics"].is_null()) {
    const auto& m = c["metrics"];
    if (m.is_object()) {
      for (const auto& [name, v] : m.items()) {
        std::vector<Metric> ms = v.is_array() ? metrics_from_json(v, path + ".metrics." + name)
                                              : std::vector<Metric>{Metric::from_json(v, path + ".metrics." + name)};
        if (name == "*") state->metrics = std::move(ms);
        else state->metrics_by_output[name] = std::move(ms);
      }
    } else {
      state->metrics = metrics_from_json(m, path + ".metrics");
    }
  }
  if (c.contains("weighted_metrics") && !c["weighted_metrics"].is_null())
    state->weighted_metrics = metrics_from_json(c["weighted_metrics"], path + ".weighted_metrics");
  return state;
}

}  // namespace xkeras

// Model::compile and the compile_config JSON.
#include "models/compiled_state.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

void Model::compile(const Optimizer& optimizer, const Loss& loss, const std::vector<Metric>& metrics) const {
  ptr_->set_compiled(std::make_shared<CompiledState>(CompiledState{optimizer, {loss}, metrics, false}));
}

void Model::compile(const Optimizer& optimizer, const std::vector<Loss>& losses, const std::vector<Metric>& metrics) const {
  if (losses.empty()) throw ValueError("Model \"" + ptr_->name() + "\": compile() received an empty list of losses");
  if (ptr_->has_graph() && losses.size() != 1 && losses.size() != ptr_->outputs().size())
    throw ValueError("Model \"" + ptr_->name() + "\" has " + std::to_string(ptr_->outputs().size()) +
                     " outputs, but compile() received " + std::to_string(losses.size()) +
                     " losses; pass one loss per output, or a single loss for every output");
  ptr_->set_compiled(std::make_shared<CompiledState>(CompiledState{optimizer, losses, metrics, true}));
}

Optimizer Model::optimizer() const {
  if (!ptr_->compiled()) throw ValueError("Model \"" + ptr_->name() + "\" has no optimizer: call compile() first");
  return ptr_->compiled()->optimizer;
}

xkeras::json compile_config(const CompiledState& s) {
  xkeras::json loss;
  if (s.losses_as_list) {
    loss = xkeras::json::array();
    for (const auto& l : s.losses) loss.push_back(l.to_json());
  } else {
    loss = s.losses.at(0).to_json();
  }
  xkeras::json metrics = nullptr;
  if (!s.metrics.empty()) {
    metrics = xkeras::json::array();
    for (const auto& m : s.metrics) metrics.push_back(m.name());
  }
  return xkeras::json{{"optimizer", s.optimizer.to_json()},
                        {"loss", loss},
                        {"loss_weights", nullptr},
                        {"metrics", metrics},
                        {"weighted_metrics", nullptr},
                        {"run_eagerly", false},
                        {"steps_per_execution", 1},
                        {"jit_compile", false}};
}

namespace {

Metric metric_from_json(const xkeras::json& j, const std::string& path) {
  // A string, or a function written by Keras as {"class_name": "function", "config": "<name>"}.
  const xkeras::json* name = &j;
  if (j.is_object() && j.contains("class_name") && j["class_name"] == "function" && j.contains("config")) name = &j["config"];
  if (!name->is_string()) throw ConfigError(path, "expected a metric name such as \"accuracy\", got " + shown(j));
  try {
    return Metric(name->get<std::string>());
  } catch (const ValueError& e) {
    throw ConfigError(path, e.what());
  }
}

}  // namespace

std::shared_ptr<CompiledState> compiled_state_from_config(const xkeras::json& c, const std::string& path) {
  if (!c.is_object()) throw ConfigError(path, "expected an object, got " + shown(c));
  if (!c.contains("optimizer")) throw ConfigError(path + ".optimizer", "missing");
  Optimizer optimizer = Optimizer::from_json(c["optimizer"], path + ".optimizer");
  if (!c.contains("loss") || c["loss"].is_null()) throw ConfigError(path + ".loss", "a loss is required");
  std::vector<Loss> losses;
  bool as_list = false;
  const auto& l = c["loss"];
  if (l.is_array()) {
    if (l.empty()) throw ConfigError(path + ".loss", "expected at least one loss");
    as_list = true;
    for (std::size_t i = 0; i < l.size(); ++i) losses.push_back(Loss::from_json(l[i], path + ".loss[" + std::to_string(i) + "]"));
  } else {
    losses.push_back(Loss::from_json(l, path + ".loss"));
  }
  if (c.contains("loss_weights") && !c["loss_weights"].is_null())
    throw ConfigError(path + ".loss_weights", "loss weights are not supported; expected null, got " + shown(c["loss_weights"]));
  std::vector<Metric> metrics;
  if (c.contains("metrics") && !c["metrics"].is_null()) {
    const auto& m = c["metrics"];
    if (!m.is_array()) throw ConfigError(path + ".metrics", "expected a list of metric names, got " + shown(m));
    for (std::size_t i = 0; i < m.size(); ++i) metrics.push_back(metric_from_json(m[i], path + ".metrics[" + std::to_string(i) + "]"));
  }
  return std::make_shared<CompiledState>(CompiledState{optimizer, losses, metrics, as_list});
}

}  // namespace xkeras

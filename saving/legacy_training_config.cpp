// A legacy .h5's "training_config" (tf.keras's model_metadata: optimizer_config, loss, metrics, ...)
// as the model's compile state. As Keras does, a file whose optimizer or loss cannot be rebuilt still
// loads: uncompiled, with a warning on stderr. Metrics xkeras does not know are dropped with a warning.
#include <iostream>
#include <string>

#include "models/compiled_state.hpp"
#include "saving/json_util.hpp"
#include "saving/legacy_h5.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::legacy {

namespace {

// tf.keras writes compiled metrics as one list per output of MeanMetricWrapper objects; Keras 1/2
// wrote names. Names are what xkeras reads.
json flat_metrics(const json& m) {
  json out = json::array();
  if (!m.is_array()) return m;
  for (const auto& e : m) {
    if (e.is_array()) {
      for (const auto& x : flat_metrics(e)) out.push_back(x);
    } else if (e.is_object() && e.value("class_name", "") == "MeanMetricWrapper" && e.contains("config") &&
               e["config"].is_object() && e["config"].contains("name")) {
      out.push_back(e["config"]["name"]);
    } else {
      out.push_back(e);
    }
  }
  return out;
}

// training_config keys -> compile_config keys (the optimizer is "optimizer_config" there).
json as_compile_config(const json& tc) {
  json c = json::object();
  for (const char* key : {"loss", "loss_weights", "weighted_metrics"})
    if (tc.contains(key)) c[key] = tc[key];
  if (tc.contains("optimizer_config")) c["optimizer"] = tc["optimizer_config"];
  else if (tc.contains("optimizer")) c["optimizer"] = tc["optimizer"];
  // tf.keras >= 2.11 names its own optimizers by their registered name, "Custom>Adam".
  if (c.contains("optimizer") && c["optimizer"].is_object() && c["optimizer"].contains("class_name") &&
      c["optimizer"]["class_name"].is_string()) {
    const std::string cls = c["optimizer"]["class_name"];
    if (cls.rfind("Custom>", 0) == 0) c["optimizer"]["class_name"] = cls.substr(7);
  }
  // Keras 1 and 2.0-2.2 spelled the learning rate "lr" (tf.keras still accepted it).
  if (c.contains("optimizer") && c["optimizer"].is_object() && c["optimizer"].contains("config")) {
    json& oc = c["optimizer"]["config"];
    if (oc.is_object() && oc.contains("lr") && !oc.contains("learning_rate")) {
      oc["learning_rate"] = oc["lr"];
      oc.erase("lr");
    }
  }
  if (tc.contains("metrics") && !tc["metrics"].is_null()) c["metrics"] = flat_metrics(tc["metrics"]);
  // tf.keras writes "weighted_metrics": null and, in Keras 1/2, "sample_weight_mode": null; only
  // what compiled_state_from_config reads matters.
  return c;
}

}  // namespace

void compile_from_training_config(ModelImpl& model, const std::string& text, const std::string& source) {
  const std::string path = source + ": training_config";
  json tc;
  try {
    tc = parse_document(text, path);
  } catch (const ConfigError& e) {
    std::cerr << "WARNING: " << e.what() << "; the model is loaded uncompiled\n";
    return;
  }
  if (!tc.is_object()) {
    std::cerr << "WARNING: " << path << " is not a JSON object; the model is loaded uncompiled\n";
    return;
  }
  json c = as_compile_config(tc);
  // Optimizer and loss first: without them the model stays uncompiled. Metrics after: a metric xkeras
  // does not know (Keras 1's "fmeasure") only drops the metrics.
  json metrics = c.contains("metrics") ? c["metrics"] : json(nullptr);
  c.erase("metrics");
  try {
    model.set_compiled(compiled_state_from_config(c, path));
  } catch (const std::exception& e) {
    std::cerr << "WARNING: No training configuration was restored (" << e.what()
              << "); the model is loaded uncompiled: compile it yourself\n";
    return;
  }
  if (metrics.is_null()) return;
  c["metrics"] = std::move(metrics);
  try {
    model.set_compiled(compiled_state_from_config(c, path));
  } catch (const std::exception& e) {
    std::cerr << "WARNING: " << e.what() << "; the model is compiled without the file's metrics\n";
  }
}

}  // namespace xkeras::saving::legacy

// Model::to_json / model_from_json: the Keras 3 model object, with compile_config when compiled.
#include "saving/model_json.hpp"

#include <cstdint>

#include "keras_dialect.hpp"
#include "load_budget.hpp"
#include "models/compiled_state.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving {

namespace {

// Keras 3 Model.get_compile_config (trainer.py), built by the training code; its keys are put
// back in Keras's order. Absent while the optimizer or a loss cannot describe itself.
ojson ordered_compile_config(const CompiledState& state) {
  json c;
  try {
    c = compile_config(state);
  } catch (const NotImplementedError&) {
    return nullptr;
  }
  if (!c.is_object() || !c.contains("optimizer") || c["optimizer"].is_null()) return nullptr;
  ojson out;
  for (const char* key : {"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                          "steps_per_execution", "jit_compile"})
    if (c.contains(key)) out[key] = ordered(c[key]);
  for (const auto& [key, value] : c.items())
    if (!out.contains(key)) out[key] = ordered(value);
  return out;
}

}  // namespace

ojson model_object(const ModelImpl& model, bool with_compile) {
  ojson o = layer_object(model);
  if (with_compile && model.compiled()) {
    ojson c = ordered_compile_config(*model.compiled());
    if (!c.is_null()) o["compile_config"] = std::move(c);
  }
  return o;
}

}  // namespace xkeras::saving

namespace xkeras {

std::string Model::to_json(int indent) const {
  // Invalid UTF-8 in a user-given name becomes U+FFFD rather than an exception.
  return saving::model_object(*ptr_, true).dump(indent, ' ', false, saving::ojson::error_handler_t::replace);
}

Model model_from_json(const std::string& text) {
  json doc = saving::parse_document(text, "(json text)");
  // json.dump(model.to_json()) in Python writes the model as a JSON string holding JSON.
  if (doc.is_string()) doc = saving::parse_document(doc.get<std::string>(), "(json text, a JSON string holding JSON)");
  if (doc.is_object() && doc.contains("modelTopology"))
    throw ConfigError("modelTopology", "this is a TensorFlow.js model.json: the model is its \"modelTopology\" and its "
                                       "weights are in the files \"weightsManifest\" lists. Read it whole with "
                                       "load_model(\"path/to/model.json\"), or pass the modelTopology object to model_from_json");
  detail::DialectScope dialect(detail::dialect_of(doc));
  detail::LoadBudget budget(SIZE_MAX, true);  // no weights to check against; traces are bounded
  // The h5 / TensorFlow.js converter layout: {"keras_version", "backend", "model_config": {...}}.
  if (doc.is_object() && doc.contains("model_config") && !doc.contains("class_name")) {
    const json inner = doc["model_config"].is_string()
                           ? saving::parse_document(doc["model_config"].get<std::string>(), "model_config")
                           : doc["model_config"];
    return Model(saving::model_from_object(inner, "model_config"));
  }
  return Model(saving::model_from_object(doc, ""));
}

}  // namespace xkeras

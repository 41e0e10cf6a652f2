// Model::to_json / model_from_json: the Keras 3 model object, with compile_config when compiled.
#include "serialization/model_json.hpp"

#include <cstdint>

#include "load_budget.hpp"
#include "models/compiled_state.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::serialization {

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

}  // namespace xkeras::serialization

namespace xkeras {

std::string Model::to_json(int indent) const {
  // Invalid UTF-8 in a user-given name becomes U+FFFD rather than an exception.
  return serialization::model_object(*ptr_, true).dump(indent, ' ', false, serialization::ojson::error_handler_t::replace);
}

Model model_from_json(const std::string& text) {
  const json doc = serialization::parse_document(text, "(json text)");
  detail::LoadBudget budget(SIZE_MAX, true);  // no weights to check against; traces are bounded
  return Model(serialization::model_from_object(doc, ""));
}

}  // namespace xkeras

// load_model("m.h5"): a full model in the legacy HDF5 layout (tf.keras 2.x, multi-backend Keras 1/2,
// Keras 3's model.save("m.h5")). The "model_config" attribute goes through the same reader as
// model_from_json (with the file's Keras version as its dialect), the weights through
// legacy_h5_weights.cpp, "training_config" through legacy_training_config.cpp.
// Optimizer weights ("optimizer_weights") are restored where their names are unambiguous
// (legacy_optimizer_weights.cpp); otherwise the optimizer starts fresh, as after compile().
#include <cstdint>
#include <string>

#include "keras_dialect.hpp"
#include "load_budget.hpp"
#include "saving/formats.hpp"
#include "saving/legacy_h5.hpp"
#include "saving/model_json.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

// A ConfigError from the JSON reader names a JSON path; the file's name goes in front of it.
[[noreturn]] void rethrow_in_file(const ConfigError& e, const std::string& source) {
  const std::string what = e.what(), prefix = e.path() + ": ";
  const std::string message = what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
  throw ConfigError(source + ": " + e.path(), message);
}

// The dialect comes from the file's own keras_version/backend attributes; without them, from the config.
// xkeras writes "xkeras <version>" with a config in tf.keras's layout, so Keras 2's names.
detail::KerasDialect dialect_of_file(const h5::File& file, const json& config) {
  json top = json::object();
  for (const char* key : {"keras_version", "backend"})
    if (file.has_attr(key)) top[key] = file.attr_string(key);
  if (!top.contains("keras_version")) return detail::dialect_of(config);
  if (top["keras_version"].get_ref<const std::string&>().rfind("xkeras", 0) == 0) top["keras_version"] = "2";
  return detail::dialect_of(top);
}

}  // namespace

Model load_legacy_h5(const h5::File& file, bool compile) {
  const std::string& source = file.source();
  const std::string where = source + ": model_config";
  json config = parse_document(file.attr_string("model_config"), where);
  if (!config.is_object())
    throw ConfigError(where, "expected a JSON object {\"class_name\": ..., \"config\": ...}, got " + shown(config));
  if (!file.has_group("model_weights"))
    throw ConfigError(source + ": /", "expected the group \"model_weights\" beside the attribute \"model_config\", "
                                      "but the file has none");
  const auto index = legacy::read_weights_index(file.group("model_weights"), file);
  detail::DialectScope dialect(dialect_of_file(file, config));
  // The layers may create no more weight values than the file holds, and need not initialize them.
  detail::LoadBudget budget(index.values, false);
  std::shared_ptr<ModelImpl> model;
  try {
    model = model_from_object(config, "model_config");
  } catch (const ConfigError& e) {
    rethrow_in_file(e, source);
  }
  const auto weights = legacy::assign_weights(*model, index, false, false);
  if (compile && file.has_attr("training_config")) {
    legacy::compile_from_training_config(*model, file.attr_string("training_config"), source);
    legacy::restore_optimizer_weights(*model, file, weights);
  }
  return Model(model);
}

}  // namespace xkeras::saving
